// Real mounts: each test forks a child in its own mount namespace, builds a container rootfs
// from a temp dir with prepare/enter/finish_rootfs and reports what it sees as JSON.
#include <gtest/gtest.h>
#include <sched.h>

#include "base/syscalls.hpp"
#include "linux/mount_cgroup.hpp"
#include "linux/mount_info.hpp"
#include "linux/rootfs.hpp"
#include "rootfs_child.hpp"

namespace burrow::linux {
namespace {

using namespace rootfs_test;

spec::Mount mnt(std::string dest, std::string type, std::string source,
                std::vector<std::string> options) {
  return spec::Mount{
      std::move(dest), std::move(type), std::move(source), std::move(options), {}, {}};
}

std::vector<spec::Mount> standard_mounts() {
  return {mnt("/proc", "proc", "proc", {"nosuid", "noexec", "nodev"}),
          mnt("/dev", "tmpfs", "tmpfs", {"nosuid", "strictatime", "mode=755", "size=65536k"}),
          mnt("/dev/pts", "devpts", "devpts",
              {"nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620", "gid=5"}),
          mnt("/dev/shm", "tmpfs", "shm", {"nosuid", "noexec", "nodev", "mode=1777"}),
          mnt("/dev/mqueue", "mqueue", "mqueue", {"nosuid", "noexec", "nodev"}),
          mnt("/sys", "sysfs", "sysfs", {"nosuid", "noexec", "nodev", "ro"})};
}

// Runs the three rootfs calls; on failure returns {"failed": step, "error": message, "code"}.
json build_rootfs(const spec::Spec& spec, const RootfsConfig& config) {
  auto plan = plan_mounts(spec, config);
  if (!plan) return json{{"failed", "plan"}, {"error", plan.error().message}};
  if (auto s = prepare_rootfs(*plan, config); !s)
    return json{{"failed", "prepare"}, {"error", s.error().message}, {"code", s.error().code}};
  if (auto s = enter_rootfs(config); !s)
    return json{{"failed", "enter"}, {"error", s.error().message}, {"code", s.error().code}};
  if (auto s = finish_rootfs(*plan, config); !s)
    return json{{"failed", "finish"}, {"error", s.error().message}, {"code", s.error().code}};
  return json::object();
}

json mounts_seen() {
  json out = json::object();
  auto mounts = read_mount_info();
  if (!mounts) return json{{"mountinfo", mounts.error().message}};
  for (const auto& m : *mounts)
    out[m.mount_point] = json{{"type", m.fs_type},
                              {"ro", m.has_mount_option("ro")},
                              {"nosuid", m.has_mount_option("nosuid")},
                              {"super", m.super_options}};
  return out;
}

std::string link_of(const std::string& path) {
  std::error_code ec;
  auto target = fs::read_symlink(path, ec);
  return ec ? "<" + ec.message() + ">" : target.string();
}

std::string try_write_existing(const std::string& path) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CLOEXEC);
  if (fd < 0) return errno_name(errno);
  ::close(fd);
  return "ok";
}

class RootfsRoot : public ::testing::Test {
 protected:
  void SetUp() override {
    if (::geteuid() != 0) GTEST_SKIP() << "needs root (mount namespaces, real mounts)";
    if (!fs::exists("/bin/busybox")) GTEST_SKIP() << "needs /bin/busybox (busybox-static)";
    populate_rootfs(rootfs.path());
  }
  TempDir rootfs{"burrow-rootfs-"};
};

struct FullRootfs {
  TempDir host_abs{"burrow-abs-"}, host_rel{"burrow-rel-"}, data{"burrow-data-"},
      files{"burrow-file-"};
  spec::Spec spec;
  RootfsConfig config;

  explicit FullRootfs(const std::string& root) {
    write_text(data.path() + "/hello", "hi");
    write_text(files.path() + "/hostfile", "filecontent");
    fs::create_directory_symlink(host_abs.path(), root + "/mnt/abs");
    fs::create_directory_symlink("../../../../../../.." + host_rel.path(), root + "/mnt/rel");
    write_text(root + "/secret.txt", "secret");
    fs::create_directories(root + "/secretdir");
    write_text(root + "/secretdir/inner", "x");
    fs::create_directories(root + "/rodir");
    spec.mounts = standard_mounts();
    spec.mounts.push_back(
        mnt("/sys/fs/cgroup", "cgroup", "cgroup", {"nosuid", "noexec", "nodev", "relatime", "ro"}));
    spec.mounts.push_back(mnt("/data", "bind", data.path(), {"rbind", "ro"}));
    spec.mounts.push_back(mnt("/etc/testfile", "bind", files.path() + "/hostfile", {"bind"}));
    spec.mounts.push_back(mnt("/rro", "bind", data.path(), {"rbind", "rro"}));
    spec.mounts.push_back(mnt("/mnt/abs", "tmpfs", "tmpfs", {}));
    spec.mounts.push_back(mnt("/mnt/rel/sub", "tmpfs", "tmpfs", {}));
    spec.linux.emplace();
    spec.linux->devices.push_back({"c", "/dev/mydev", 1, 8, 0600, 0, 0});
    spec.linux->devices.push_back({"c", "/dev/zero", 1, 5, 0640, 0, 0});
    config.rootfs = root;
    config.has_cgroup_namespace = true;
    config.readonly_paths = {"/proc/sys", "/rodir", "/missing/ro"};
    config.masked_paths = {"/secret.txt", "/secretdir", "/missing/masked"};
    config.readonly_root = true;
  }
};

json observe_full(const FullRootfs& f) {
  json out;
  out["mounts"] = mounts_seen();
  for (const char* dev : {"null", "zero", "full", "random", "urandom", "tty", "mydev"})
    out["dev"][dev] = describe_node(std::string("/dev/") + dev);
  for (const char* link : {"fd", "stdin", "stdout", "stderr", "ptmx"})
    out["link"][link] = link_of(std::string("/dev/") + link);
  out["core_exists"] = fs::exists(fs::symlink_status("/dev/core"));
  out["create"]["data"] = try_create("/data/x");
  out["create"]["rro"] = try_create("/rro/x");
  out["create"]["rodir"] = try_create("/rodir/x");
  out["create"]["root"] = try_create("/newfile");
  out["create"]["abs_marker"] = try_create(f.host_abs.path() + "/marker");
  out["create"]["rel_marker"] = try_create(f.host_rel.path() + "/sub/marker");
  out["write"]["proc_sys"] = try_write_existing("/proc/sys/kernel/hostname");
  out["read"]["secret"] = read_text("/secret.txt");
  out["read"]["data"] = read_text("/data/hello");
  out["read"]["testfile"] = read_text("/etc/testfile");
  out["secretdir_empty"] = fs::is_empty("/secretdir");
  out["busybox_true"] = run_busybox({"true"});
  out["busybox_test_null"] = run_busybox({"sh", "-c", "test -c /dev/null && test -d /proc/1"});
  return out;
}

TEST_F(RootfsRoot, FullRootfsUnderRsharedRoot) {
  FullRootfs f(rootfs.path());
  json r = run_isolated(CLONE_NEWCGROUP, [&]() -> json {
    // Like a systemd host: "/" is rshared (inside this private namespace only).
    if (::mount(nullptr, "/", nullptr, MS_REC | MS_SHARED, nullptr) < 0)
      return json{{"error", "make / rshared"}};
    json failed = build_rootfs(f.spec, f.config);
    if (!failed.empty()) return failed;
    return observe_full(f);
  });
  ASSERT_FALSE(r.contains("error")) << r.dump(2);
  const json& m = r["mounts"];
  EXPECT_EQ(m["/"]["ro"], true);
  EXPECT_EQ(m["/proc"]["type"], "proc");
  EXPECT_EQ(m["/proc"]["nosuid"], true);
  EXPECT_EQ(m["/dev"]["type"], "tmpfs");
  EXPECT_EQ(m["/dev/pts"]["type"], "devpts");
  EXPECT_EQ(m["/dev/shm"]["type"], "tmpfs");
  EXPECT_EQ(m["/dev/mqueue"]["type"], "mqueue");
  EXPECT_EQ(m["/sys"]["type"], "sysfs");
  EXPECT_EQ(m["/sys"]["ro"], true);
  EXPECT_EQ(m["/sys/fs/cgroup"]["type"], "tmpfs");
  EXPECT_EQ(m["/sys/fs/cgroup"]["ro"], true);
  EXPECT_EQ(m["/sys/fs/cgroup/memory"]["type"], "cgroup");
  EXPECT_EQ(m["/sys/fs/cgroup/memory"]["ro"], true);
  EXPECT_EQ(m["/sys/fs/cgroup/systemd"]["super"], "rw,name=systemd");
  EXPECT_EQ(m["/sys/fs/cgroup/unified"]["type"], "cgroup2");
  EXPECT_EQ(m["/data"]["ro"], true);
  EXPECT_EQ(m["/rro"]["ro"], true);
  EXPECT_EQ(m["/etc/testfile"]["ro"], false);
  EXPECT_EQ(m["/proc/sys"]["ro"], true);
  EXPECT_EQ(m["/rodir"]["ro"], true);
  // Symlinked destinations landed inside the rootfs, at the link targets' paths.
  EXPECT_EQ(m[f.host_abs.path()]["type"], "tmpfs");
  EXPECT_EQ(m[f.host_rel.path() + "/sub"]["type"], "tmpfs");
  EXPECT_EQ(r["create"]["abs_marker"], "ok");
  EXPECT_EQ(r["create"]["rel_marker"], "ok");
  EXPECT_TRUE(fs::is_empty(f.host_abs.path()));
  EXPECT_TRUE(fs::is_empty(f.host_rel.path()));
  EXPECT_EQ(r["dev"]["null"], "c 1:3 0666");
  EXPECT_EQ(r["dev"]["zero"], "c 1:5 0640");
  EXPECT_EQ(r["dev"]["full"], "c 1:7 0666");
  EXPECT_EQ(r["dev"]["random"], "c 1:8 0666");
  EXPECT_EQ(r["dev"]["urandom"], "c 1:9 0666");
  EXPECT_EQ(r["dev"]["tty"], "c 5:0 0666");
  EXPECT_EQ(r["dev"]["mydev"], "c 1:8 0600");
  EXPECT_EQ(r["link"]["fd"], "/proc/self/fd");
  EXPECT_EQ(r["link"]["stdin"], "/proc/self/fd/0");
  EXPECT_EQ(r["link"]["stdout"], "/proc/self/fd/1");
  EXPECT_EQ(r["link"]["stderr"], "/proc/self/fd/2");
  EXPECT_EQ(r["link"]["ptmx"], "pts/ptmx");
  EXPECT_EQ(r["core_exists"], fs::exists("/proc/kcore"));
  EXPECT_EQ(r["create"]["data"], "Read-only file system");
  EXPECT_EQ(r["create"]["rro"], "Read-only file system");
  EXPECT_EQ(r["create"]["rodir"], "Read-only file system");
  EXPECT_EQ(r["create"]["root"], "Read-only file system");
  EXPECT_EQ(r["write"]["proc_sys"], "Read-only file system");
  EXPECT_EQ(r["read"]["secret"], "");
  EXPECT_EQ(r["read"]["data"], "hi");
  EXPECT_EQ(r["read"]["testfile"], "filecontent");
  EXPECT_EQ(r["secretdir_empty"], true);
  EXPECT_EQ(r["busybox_true"], 0);
  EXPECT_EQ(r["busybox_test_null"], 0);
  // Nothing leaked onto the host's copies.
  EXPECT_EQ(read_text(rootfs.path() + "/secret.txt"), "secret");
  EXPECT_FALSE(fs::exists(rootfs.path() + "/newfile"));
}

// Control for the test above: without making "/" non-shared first, pivot_root under an
// rshared "/" fails, so the test above really exercises that case.
TEST_F(RootfsRoot, NaivePivotFailsUnderRsharedRoot) {
  std::string root = rootfs.path();
  json r = run_isolated(0, [&]() -> json {
    ::mount(nullptr, "/", nullptr, MS_REC | MS_SHARED, nullptr);
    if (::mount(root.c_str(), root.c_str(), nullptr, MS_BIND | MS_REC, nullptr) < 0)
      return json{{"error", "bind"}};
    if (::chdir(root.c_str()) < 0) return json{{"error", "chdir"}};
    int rc = sys::pivot_root(".", ".");
    return json{{"pivot", rc == 0 ? "ok" : errno_name(errno)}};
  });
  EXPECT_EQ(r["pivot"], "Invalid argument") << r.dump();
}

TEST_F(RootfsRoot, NoPivotMovesAndChroots) {
  spec::Spec spec;
  spec.mounts = {mnt("/proc", "proc", "proc", {})};
  RootfsConfig config;
  config.rootfs = rootfs.path();
  config.no_pivot = true;
  json r = run_isolated(0, [&]() -> json {
    json failed = build_rootfs(spec, config);
    if (!failed.empty()) return failed;
    return json{{"busybox", run_busybox({"true"})},
                {"root_is_rootfs", fs::exists("/bin/busybox") && !fs::exists("/usr/bin")},
                {"proc", mounts_seen()["/proc"]["type"]}};
  });
  ASSERT_FALSE(r.contains("failed")) << r.dump();
  EXPECT_EQ(r["busybox"], 0);
  EXPECT_EQ(r["root_is_rootfs"], true);
  EXPECT_EQ(r["proc"], "proc");
}

json mask_with_bad_dev_null(const std::string& root) {
  spec::Spec spec;  // no /dev tmpfs: the rootfs's own /dev/null is used
  RootfsConfig config;
  config.rootfs = root;
  config.masked_paths = {"/secret.txt"};
  json r = build_rootfs(spec, config);
  r["secret"] = read_text("/secret.txt");
  return r;
}

TEST_F(RootfsRoot, DevNullSymlinkMakesMaskingFail) {
  write_text(rootfs.path() + "/secret.txt", "secret");
  write_text(rootfs.path() + "/etc/empty", "");
  fs::create_symlink("/etc/empty", rootfs.path() + "/dev/null");
  json r = run_isolated(0, [&] { return mask_with_bad_dev_null(rootfs.path()); });
  EXPECT_EQ(r["failed"], "finish") << r.dump();
  EXPECT_EQ(r["error"],
            "masked path /secret.txt: /dev/null is a symlink, not the 1:3 character device; "
            "refusing to mask with it");
  EXPECT_EQ(r["code"], EINVAL);
  EXPECT_EQ(r["secret"], "secret");
}

TEST_F(RootfsRoot, DevNullRegularFileMakesMaskingFail) {
  write_text(rootfs.path() + "/secret.txt", "secret");
  write_text(rootfs.path() + "/dev/null", "");
  json r = run_isolated(0, [&] { return mask_with_bad_dev_null(rootfs.path()); });
  EXPECT_EQ(r["failed"], "finish") << r.dump();
  EXPECT_EQ(r["error"],
            "masked path /secret.txt: /dev/null is a regular file, not the 1:3 character device; "
            "refusing to mask with it");
}

// A /proc symlink (here to a host path) is refused outright: nothing is mounted, neither on the
// host dir nor on what the symlink names inside the rootfs.
TEST_F(RootfsRoot, ProcSymlinkIsRefusedAndNothingIsMounted) {
  TempDir host{"burrow-hostproc-"};
  fs::remove(rootfs.path() + "/proc");
  fs::create_directory_symlink(host.path(), rootfs.path() + "/proc");
  spec::Spec spec;
  spec.mounts = {mnt("/proc", "proc", "proc", {})};
  RootfsConfig config;
  config.rootfs = rootfs.path();
  std::string inside = rootfs.path() + host.path();
  json r = run_isolated(0, [&]() -> json {
    auto plan = plan_mounts(spec, config);
    auto prepared = prepare_rootfs(*plan, config);
    json seen = mounts_seen();  // before pivot: host paths
    return json{{"error", prepared ? "" : prepared.error().message},
                {"on_host_dir", seen.contains(host.path())},
                {"inside", seen.contains(inside)}};
  });
  EXPECT_EQ(r["error"],
            "mounts[0].destination: mount proc on /proc: the destination is a symlink in the "
            "rootfs; refusing");
  EXPECT_EQ(r["on_host_dir"], false);
  EXPECT_EQ(r["inside"], false);
  EXPECT_TRUE(fs::is_empty(host.path()));
}

TEST_F(RootfsRoot, CgroupWithoutNamespaceBindsContainerDirs) {
  RootfsConfig config;
  config.rootfs = rootfs.path();
  auto host_mounts = read_mount_info();
  ASSERT_TRUE(host_mounts.ok());
  for (const auto& h : cgroup_hierarchies(*host_mounts))
    config.cgroup_dirs[h.mount_point] = h.mount_point;  // "the container's dir": the root here
  if (config.cgroup_dirs.empty()) GTEST_SKIP() << "no cgroup hierarchies under /sys/fs/cgroup";
  spec::Spec spec;
  spec.mounts = {mnt("/proc", "proc", "proc", {}),
                 mnt("/sys/fs/cgroup", "cgroup", "cgroup", {"ro"})};
  json r = run_isolated(0, [&]() -> json {
    json failed = build_rootfs(spec, config);
    return failed.empty() ? mounts_seen() : failed;
  });
  ASSERT_FALSE(r.contains("failed")) << r.dump();
  EXPECT_EQ(r["/sys/fs/cgroup"]["type"], "tmpfs");
  EXPECT_EQ(r["/sys/fs/cgroup"]["ro"], true);
  for (const auto& [host_point, dir] : config.cgroup_dirs) {
    std::string inside =
        "/sys/fs/cgroup/" + host_point.substr(std::string("/sys/fs/cgroup/").size());
    if (host_point == "/sys/fs/cgroup") continue;
    EXPECT_TRUE(r.contains(inside)) << inside;
    EXPECT_EQ(r[inside]["ro"], true) << inside;
    EXPECT_EQ(r[inside]["nosuid"], true) << inside;
  }
}

TEST_F(RootfsRoot, MountErrorsNameStepAndPath) {
  spec::Spec spec;
  spec.mounts = {mnt("/x", "nosuchfs", "none", {})};
  RootfsConfig config;
  config.rootfs = rootfs.path();
  json r = run_isolated(0, [&] { return build_rootfs(spec, config); });
  EXPECT_EQ(r["error"], "mount nosuchfs on /x: No such device") << r.dump();
  EXPECT_EQ(r["code"], ENODEV);
  spec.mounts = {mnt("/y", "bind", "/nonexistent-burrow-src", {"bind"})};
  r = run_isolated(0, [&] { return build_rootfs(spec, config); });
  EXPECT_EQ(r["error"],
            "bind mount /nonexistent-burrow-src on /y: stat source: No such file or directory");
  write_text(rootfs.path() + "/file", "");
  spec.mounts = {mnt("/file/sub", "tmpfs", "tmpfs", {})};
  r = run_isolated(0, [&] { return build_rootfs(spec, config); });
  EXPECT_EQ(r["error"],
            "mounts[0].destination: resolve /file/sub in the rootfs: open /file/sub: Not a "
            "directory");
  EXPECT_EQ(r["code"], ENOTDIR);
}

}  // namespace
}  // namespace burrow::linux

namespace burrow::linux {
namespace {

class RootfsUserns : public RootfsRoot {};

// In a user namespace (root mapped, its own pid namespace so proc can be mounted): mknod is
// refused, so devices are the host's nodes bound in; sysfs without a network namespace is an
// rbind of /sys; the ro bind keeps the flags the kernel locked.
TEST_F(RootfsUserns, DevicesBoundSysfsRbindReadOnlyBind) {
  if (::access("/proc/sys/user/max_user_namespaces", F_OK) < 0) GTEST_SKIP() << "no user ns";
  TempDir data{"burrow-data-"};
  write_text(rootfs.path() + "/secret.txt", "secret");
  spec::Spec spec;
  spec.mounts = standard_mounts();
  spec.mounts.erase(spec.mounts.begin() + 4);  // mqueue needs its own ipc namespace here
  // gid=5 is not mapped in this namespace (the kernel says EINVAL), as with rootless runc.
  spec.mounts[2].options = {"nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620"};
  spec.mounts.push_back(mnt("/data", "bind", data.path(), {"rbind", "ro", "nosuid"}));
  RootfsConfig config;
  config.rootfs = rootfs.path();
  config.in_user_namespace = true;
  config.masked_paths = {"/secret.txt"};
  config.readonly_root = true;
  json r = run_isolated(CLONE_NEWUSER, [&]() -> json {
    if (std::string err = map_root_to_self(); !err.empty()) return json{{"error", err}};
    if (::unshare(CLONE_NEWPID) < 0) return json{{"error", "unshare pid"}};
    return run_forked([&]() -> json {
      json failed = build_rootfs(spec, config);
      if (!failed.empty()) return failed;
      json out;
      out["mounts"] = mounts_seen();
      for (const char* dev : {"null", "zero", "full", "random", "urandom", "tty"})
        out["dev"][dev] = describe_node(std::string("/dev/") + dev);
      out["create_data"] = try_create("/data/x");
      out["create_root"] = try_create("/newfile");
      out["secret"] = read_text("/secret.txt");
      out["busybox"] = run_busybox({"sh", "-c", "test $(id -u) = 0 && test -d /proc/1"});
      return out;
    });
  });
  ASSERT_FALSE(r.contains("error") || r.contains("failed")) << r.dump(2);
  EXPECT_EQ(r["mounts"]["/sys"]["type"], "sysfs");
  EXPECT_EQ(r["mounts"]["/sys"]["ro"], true);
  EXPECT_EQ(r["mounts"]["/data"]["ro"], true);
  EXPECT_EQ(r["mounts"]["/data"]["nosuid"], true);
  EXPECT_EQ(r["mounts"]["/dev/null"]["type"], "devtmpfs");  // the host's node, bound
  EXPECT_EQ(r["dev"]["null"], "c 1:3 0666");
  EXPECT_EQ(r["dev"]["zero"], "c 1:5 0666");
  EXPECT_EQ(r["dev"]["full"], "c 1:7 0666");
  EXPECT_EQ(r["dev"]["random"], "c 1:8 0666");
  EXPECT_EQ(r["dev"]["urandom"], "c 1:9 0666");
  EXPECT_EQ(r["dev"]["tty"], "c 5:0 0666");
  EXPECT_EQ(r["create_data"], "Read-only file system");
  EXPECT_EQ(r["create_root"], "Read-only file system");
  EXPECT_EQ(r["secret"], "");
  EXPECT_EQ(r["busybox"], 0);
}

TEST_F(RootfsUserns, ProcWithoutOwnPidNamespaceIsRefused) {
  spec::Spec spec;
  spec.mounts = {mnt("/proc", "proc", "proc", {})};
  RootfsConfig config;
  config.rootfs = rootfs.path();
  config.in_user_namespace = true;
  json r = run_isolated(CLONE_NEWUSER, [&]() -> json {
    if (std::string err = map_root_to_self(); !err.empty()) return json{{"error", err}};
    return build_rootfs(spec, config);
  });
  EXPECT_EQ(r["failed"], "prepare") << r.dump();
  EXPECT_EQ(r["error"], "mount proc on /proc: Operation not permitted");
  EXPECT_EQ(r["code"], EPERM);
}

}  // namespace
}  // namespace burrow::linux
