// `features`: the runtime-spec features document, compared key by key and type by type with
// `runc features` on this machine (Debian's runc 1.1.5 has the command), keys runc 1.1.5 does not
// print checked against the runtime-spec's schema (specs-go/features), and every namespace,
// capability and hook it lists used in a real create.
#include <filesystem>
#include <map>
#include <set>

#include "harness/container_test.hpp"

namespace integration {
namespace {

using nlohmann::json;
namespace fs = std::filesystem;

constexpr const char* kRunc = "/usr/sbin/runc";

// The runtime-spec's features document (specs-go/features/features.go), as JSON path -> type.
// "a" = array of strings, "o" = object, "b" = bool, "s" = string, "m" = map of strings.
const std::map<std::string, std::string> kSchema = {
    {"/ociVersionMin", "s"},
    {"/ociVersionMax", "s"},
    {"/hooks", "a"},
    {"/mountOptions", "a"},
    {"/linux", "o"},
    {"/linux/namespaces", "a"},
    {"/linux/capabilities", "a"},
    {"/linux/cgroup", "o"},
    {"/linux/cgroup/v1", "b"},
    {"/linux/cgroup/v2", "b"},
    {"/linux/cgroup/systemd", "b"},
    {"/linux/cgroup/systemdUser", "b"},
    {"/linux/cgroup/rdma", "b"},
    {"/linux/seccomp", "o"},
    {"/linux/seccomp/enabled", "b"},
    {"/linux/seccomp/actions", "a"},
    {"/linux/seccomp/operators", "a"},
    {"/linux/seccomp/archs", "a"},
    {"/linux/seccomp/knownFlags", "a"},
    {"/linux/seccomp/supportedFlags", "a"},
    {"/linux/apparmor", "o"},
    {"/linux/apparmor/enabled", "b"},
    {"/linux/selinux", "o"},
    {"/linux/selinux/enabled", "b"},
    {"/linux/intelRdt", "o"},
    {"/linux/intelRdt/enabled", "b"},
    {"/linux/mountExtensions", "o"},
    {"/linux/mountExtensions/idmap", "o"},
    {"/linux/mountExtensions/idmap/enabled", "b"},
    {"/annotations", "m"},
    {"/potentiallyUnsafeConfigAnnotations", "a"},
};

std::string type_of(const json& value) {
  if (value.is_boolean()) return "b";
  if (value.is_string()) return "s";
  if (value.is_array()) {
    for (const auto& item : value)
      if (!item.is_string()) return "array with a non-string";
    return "a";
  }
  if (value.is_object()) return "o";
  return value.type_name();
}

// Every path in the document with its type; the annotations map is one leaf.
void flatten(const json& value, const std::string& path, std::map<std::string, std::string>& out) {
  if (path == "/annotations") {
    bool strings = value.is_object();
    for (const auto& [key, item] : value.items()) strings = strings && item.is_string();
    out[path] = strings ? "m" : "annotations with a non-string";
    return;
  }
  if (!path.empty()) out[path] = type_of(value);
  if (value.is_object())
    for (const auto& [key, item] : value.items()) flatten(item, path + "/" + key, out);
}

std::set<std::string> names(const json& list) {
  return list.get<std::set<std::string>>();
}

class Features : public ContainerTest {
 protected:
  json features_of(const std::vector<std::string>& argv) {
    CommandResult result = run_command(argv, work_);
    EXPECT_EQ(result.exit_code, 0) << result.describe();
    return json::parse(result.out, nullptr, false);
  }
  json ours() {
    CommandResult result = runtime({"features"});
    EXPECT_EQ(result.exit_code, 0) << result.describe();
    json doc = json::parse(result.out, nullptr, false);
    EXPECT_TRUE(doc.is_object()) << result.out;
    return doc;
  }
  json runcs() {
    if (!fs::exists(kRunc)) return nullptr;
    return features_of({kRunc, "features"});
  }
};

TEST_F(Features, EveryKeyHasTheSchemasType) {
  std::map<std::string, std::string> flat;
  flatten(ours(), "", flat);
  for (const auto& [path, type] : flat) {
    auto known = kSchema.find(path);
    ASSERT_NE(known, kSchema.end()) << path << " is not in the runtime-spec's features schema";
    EXPECT_EQ(type, known->second) << path;
  }
}

// What runc 1.1.5 prints, burrow prints too, with the same JSON type. Keys runc 1.1.5 lacks
// (newer spec fields: cgroup.rdma, seccomp knownFlags/supportedFlags, intelRdt, mountExtensions,
// potentiallyUnsafeConfigAnnotations) are held to the schema above.
TEST_F(Features, KeyByKeyAndTypeByTypeAgainstRunc) {
  json runc = runcs();
  if (runc.is_null()) GTEST_SKIP() << "needs " << kRunc << " (Debian's runc)";
  ASSERT_TRUE(runc.is_object());
  std::map<std::string, std::string> theirs, mine;
  flatten(runc, "", theirs);
  flatten(ours(), "", mine);
  for (const auto& [path, type] : theirs) {
    ASSERT_TRUE(mine.count(path)) << "runc prints " << path << ", burrow does not";
    EXPECT_EQ(mine[path], type) << path;
  }
  for (const auto& [path, type] : mine) {
    if (!theirs.count(path)) {
      EXPECT_TRUE(kSchema.count(path)) << path;
    }
  }
}

TEST_F(Features, ListsAgreeWithRuncWhereBothImplementTheSame) {
  json runc = runcs();
  if (runc.is_null()) GTEST_SKIP() << "needs " << kRunc << " (Debian's runc)";
  json doc = ours();
  EXPECT_EQ(names(doc["hooks"]), names(runc["hooks"]));
  EXPECT_EQ(names(doc["linux"]["capabilities"]), names(runc["linux"]["capabilities"]));
  EXPECT_EQ(doc["ociVersionMin"], runc["ociVersionMin"]);
  // runc 1.1.5 has no time namespace; every namespace it has, the runtime under test has.
  for (const auto& ns : names(runc["linux"]["namespaces"]))
    EXPECT_TRUE(names(doc["linux"]["namespaces"]).count(ns)) << ns;
  for (const char* key : {"actions", "operators"})
    EXPECT_EQ(names(doc["linux"]["seccomp"][key]), names(runc["linux"]["seccomp"][key])) << key;
  for (const auto& arch : names(runc["linux"]["seccomp"]["archs"]))
    EXPECT_TRUE(names(doc["linux"]["seccomp"]["archs"]).count(arch)) << arch;
  EXPECT_EQ(doc["annotations"]["io.github.seccomp.libseccomp.version"],
            runc["annotations"]["io.github.seccomp.libseccomp.version"]);
  // Mount options: runc's, except what only runc does (MS_POSIXACL "acl"/"noacl"; burrow hands
  // them to the filesystem as data) and what burrow refuses as not supported yet (tmpcopyup).
  std::set<std::string> expected = names(runc["mountOptions"]);
  if (runtime_is_burrow())
    for (const char* only_runc : {"acl", "noacl", "tmpcopyup"}) expected.erase(only_runc);
  for (const auto& option : expected)
    EXPECT_TRUE(names(doc["mountOptions"]).count(option)) << option;
}

TEST_F(Features, SupportedSeccompFlagsAreKnownFlags) {
  json seccomp = ours()["linux"]["seccomp"];
  if (!seccomp.contains("supportedFlags")) GTEST_SKIP() << "runtime prints no supportedFlags";
  std::set<std::string> known = names(seccomp["knownFlags"]);
  for (const auto& flag : names(seccomp["supportedFlags"])) EXPECT_TRUE(known.count(flag)) << flag;
}

// Every listed namespace at once, in one real container.
TEST_F(Features, EveryListedNamespaceIsAccepted) {
  std::set<std::string> listed = names(ours()["linux"]["namespaces"]);
  write_config([&](json& c) {
    c["linux"]["namespaces"] = json::array();
    for (const auto& ns : listed) c["linux"]["namespaces"].push_back({{"type", ns}});
    if (listed.count("user")) {
      c["linux"]["uidMappings"] = {{{"containerID", 0}, {"hostID", 100000}, {"size", 65536}}};
      c["linux"]["gidMappings"] = {{{"containerID", 0}, {"hostID", 100000}, {"size", 65536}}};
      auto& mounts = c["mounts"];  // a user namespace may not mount the host's cgroups here
      for (auto it = mounts.begin(); it != mounts.end();)
        it = ((*it)["type"] == "cgroup") ? mounts.erase(it) : it + 1;
    }
  });
  CommandResult created = runtime({"create", "--bundle", bundle_, id_});
  ASSERT_EQ(created.exit_code, 0) << created.describe();
  EXPECT_EQ(container_status(id_), "created");
}

// Every listed capability in the bounding set (the host may lack some, which only the
// effective/permitted sets would need).
TEST_F(Features, EveryListedCapabilityIsAccepted) {
  json caps = ours()["linux"]["capabilities"];
  write_config([&](json& c) { c["process"]["capabilities"]["bounding"] = caps; });
  CommandResult created = runtime({"create", "--bundle", bundle_, id_});
  ASSERT_EQ(created.exit_code, 0) << created.describe();
  EXPECT_EQ(container_status(id_), "created");
}

// Every listed hook kind once; each appends its name to a file, so all of them ran.
TEST_F(Features, EveryListedHookIsAcceptedAndRuns) {
  std::set<std::string> listed = names(ours()["hooks"]);
  const std::string log = work_ + "/hooks.log";
  write_config([&](json& c) {
    c["process"]["args"] = probe_args({"exit", "0"});
    for (const auto& hook : listed) {
      // createContainer and startContainer run in the container, whose rootfs has busybox sh.
      c["hooks"][hook] = {{{"path", "/bin/sh"}, {"args", {"sh", "-c", "true"}}}};
    }
    for (const char* host_side : {"prestart", "createRuntime", "poststart", "poststop"}) {
      if (listed.count(host_side))
        c["hooks"][host_side] = {
            {{"path", "/bin/sh"},
             {"args", {"sh", "-c", std::string("echo ") + host_side + " >> " + log}}}};
    }
  });
  CommandResult run = runtime({"run", "--bundle", bundle_, id_});
  ASSERT_EQ(run.exit_code, 0) << run.describe();
  std::string ran = read_text(log);
  for (const char* host_side : {"prestart", "createRuntime", "poststart", "poststop"}) {
    if (listed.count(host_side)) {
      EXPECT_NE(ran.find(host_side), std::string::npos) << ran;
    }
  }
}

}  // namespace
}  // namespace integration
