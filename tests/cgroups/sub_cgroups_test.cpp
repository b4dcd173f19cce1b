#include "cgroups/sub_cgroups.hpp"

#include <gtest/gtest.h>

#include <set>

namespace burrow::cgroups {
namespace {

// A hybrid host: cpu,cpuacct together, memory, name=systemd and the cgroup2.
Layout hybrid() {
  Layout layout;
  layout.mode = Mode::hybrid;
  auto add = [&](const std::string& mount, std::vector<std::string> controllers, bool unified) {
    Hierarchy h;
    h.mount_point = mount;
    h.controllers = std::move(controllers);
    h.unified = unified;
    layout.hierarchies.push_back(h);
  };
  add("/sys/fs/cgroup/cpu,cpuacct", {"cpu", "cpuacct"}, false);
  add("/sys/fs/cgroup/memory", {"memory"}, false);
  add("/sys/fs/cgroup/systemd", {"name=systemd"}, false);
  add("/sys/fs/cgroup/unified", {}, true);
  return layout;
}

const std::map<std::string, std::string> kContainer = {
    {"/sys/fs/cgroup/cpu,cpuacct", "/sys/fs/cgroup/cpu,cpuacct/c1"},
    {"/sys/fs/cgroup/memory", "/sys/fs/cgroup/memory/c1"},
    {"/sys/fs/cgroup/systemd", "/sys/fs/cgroup/systemd/c1"},
    {"/sys/fs/cgroup/unified", "/sys/fs/cgroup/unified/c1"},
};

// "" on success with the resolved dirs in `out`, else the error text.
std::string resolve(const std::vector<std::string>& args, std::map<std::string, std::string>& out,
                    const std::set<std::string>& existing = {}) {
  auto request = parse_sub_cgroups(args);
  if (!request) return request.error().message;
  auto is_dir = [&](const std::string& dir) { return existing.empty() || existing.count(dir); };
  auto resolved = resolve_sub_cgroups(*request, hybrid(), kContainer, is_dir);
  if (!resolved) return resolved.error().message;
  out = *resolved;
  return "";
}

TEST(SubCgroups, OnePathAppliesEverywhere) {
  std::map<std::string, std::string> dirs;
  ASSERT_EQ(resolve({"sub/inner"}, dirs), "");
  for (const auto& [mount, dir] : kContainer) EXPECT_EQ(dirs[mount], dir + "/sub/inner");
  // Lexically, as runc's path.Join: "/sub" is "sub", "sub/.." the container's own cgroup.
  ASSERT_EQ(resolve({"/sub"}, dirs), "");
  EXPECT_EQ(dirs["/sys/fs/cgroup/memory"], "/sys/fs/cgroup/memory/c1/sub");
  ASSERT_EQ(resolve({"sub/../."}, dirs), "");
  EXPECT_EQ(dirs, kContainer);
}

TEST(SubCgroups, ControllersPickTheirHierarchies) {
  std::map<std::string, std::string> dirs;
  ASSERT_EQ(resolve({"memory:m", "cpuacct,name=systemd:c"}, dirs), "");
  EXPECT_EQ(dirs["/sys/fs/cgroup/memory"], "/sys/fs/cgroup/memory/c1/m");
  EXPECT_EQ(dirs["/sys/fs/cgroup/cpu,cpuacct"], "/sys/fs/cgroup/cpu,cpuacct/c1/c");
  EXPECT_EQ(dirs["/sys/fs/cgroup/systemd"], "/sys/fs/cgroup/systemd/c1/c");
  EXPECT_EQ(dirs["/sys/fs/cgroup/unified"], "/sys/fs/cgroup/unified/c1") << "left alone";
}

TEST(SubCgroups, ErrorsNameTheArgument) {
  std::map<std::string, std::string> dirs;
  EXPECT_EQ(resolve({"a:b:c"}, dirs), "invalid --cgroup argument: a:b:c");
  EXPECT_EQ(resolve({"one", "two"}, dirs),
            "invalid --cgroup argument: one (missing <controller>: prefix)");
  EXPECT_EQ(resolve({"memory:m", "two"}, dirs),
            "invalid --cgroup argument: two (missing <controller>: prefix)");
  EXPECT_EQ(resolve({"../escape"}, dirs),
            "--cgroup ../escape: ../escape is not a sub cgroup path (it leads out of the "
            "container's cgroup)");
  EXPECT_EQ(resolve({"memory:sub/../../c2"}, dirs),
            "--cgroup memory:sub/../../c2: sub/../../c2 is not a sub cgroup path (it leads out "
            "of the container's cgroup)");
  EXPECT_EQ(resolve({"frob:sub"}, dirs),
            "--cgroup frob:sub: the container has no cgroup in a hierarchy with the frob "
            "controller");
  EXPECT_EQ(resolve({"memory:nope"}, dirs, {"/sys/fs/cgroup/memory/c1/other"}),
            "--cgroup memory:nope: /sys/fs/cgroup/memory/c1/nope: no such sub-cgroup of the "
            "container's cgroup");
  auto request = parse_sub_cgroups({"sub"});
  ASSERT_TRUE(request.ok());
  auto none = resolve_sub_cgroups(*request, hybrid(), {}, [](const std::string&) { return true; });
  ASSERT_FALSE(none.ok());
  EXPECT_EQ(none.error().message, "--cgroup sub: the container has no cgroup of its own");
}

}  // namespace
}  // namespace burrow::cgroups
