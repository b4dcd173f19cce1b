// The container's mount table as the probe reads it from /proc/self/mountinfo, and what the
// mounts let it do (reads, writes) through probe subcommands.
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <sstream>

#include "harness/container_test.hpp"

namespace integration {
namespace {

using nlohmann::json;
using MountsTest = ContainerTest;

// The last (topmost) mount at `point`, or null.
json mount_at(const json& report, const std::string& point) {
  json found;
  for (const auto& mount : report["mounts"]) {
    if (mount["mount_point"] == point) found = mount;
  }
  return found;
}

bool has_option(const json& mount, const std::string& field, const std::string& option) {
  std::string text = "," + mount[field].get<std::string>() + ",";
  return text.find("," + option + ",") != std::string::npos;
}

json add_mount(json& config, json mount) {
  config["mounts"].push_back(mount);
  return mount;
}

TEST_F(MountsTest, ProcSysfsAndDevAreMounted) {
  json report = probe_report();
  ASSERT_TRUE(report.is_object());
  EXPECT_EQ(mount_at(report, "/proc")["fs_type"], "proc");
  EXPECT_EQ(mount_at(report, "/sys")["fs_type"], "sysfs");
  EXPECT_EQ(mount_at(report, "/dev")["fs_type"], "tmpfs");
  EXPECT_EQ(mount_at(report, "/dev/pts")["fs_type"], "devpts");
  EXPECT_EQ(mount_at(report, "/dev/shm")["fs_type"], "tmpfs");
  EXPECT_EQ(mount_at(report, "/dev/mqueue")["fs_type"], "mqueue");
  EXPECT_TRUE(has_option(mount_at(report, "/sys"), "options", "ro"));
}

TEST_F(MountsTest, NoHostMountsAreVisible) {
  json report = probe_report();
  ASSERT_TRUE(report.is_object());
  for (const auto& mount : report["mounts"]) {
    std::string point = mount["mount_point"];
    EXPECT_EQ(point.find(work_), std::string::npos) << point;
    EXPECT_NE(point, "/boot") << "host mount leaked";
  }
}

TEST_F(MountsTest, TmpfsWithOptions) {
  json report = probe_report([](json& c) {
    add_mount(c, {{"destination", "/mnt"},
                  {"type", "tmpfs"},
                  {"source", "tmpfs"},
                  {"options", {"nosuid", "nodev", "noexec", "mode=1770", "size=64k"}}});
  });
  ASSERT_TRUE(report.is_object());
  json mount = mount_at(report, "/mnt");
  ASSERT_FALSE(mount.is_null()) << report["mounts"].dump();
  EXPECT_EQ(mount["fs_type"], "tmpfs");
  for (const char* flag : {"nosuid", "nodev", "noexec"}) {
    EXPECT_TRUE(has_option(mount, "options", flag)) << flag << " in " << mount["options"];
  }
  EXPECT_TRUE(has_option(mount, "super_options", "size=64k")) << mount["super_options"];
  EXPECT_TRUE(has_option(mount, "super_options", "mode=1770")) << mount["super_options"];
}

TEST_F(MountsTest, ReadOnlyBindOfAHostDirectory) {
  std::string host_dir = work_ + "/shared";
  std::filesystem::create_directories(host_dir);
  write_text(host_dir + "/greeting", "hello from the host\n");
  json read = probe_json([&](json& c) {
    add_mount(c, {{"destination", "/srv"},
                  {"type", "bind"},
                  {"source", host_dir},
                  {"options", {"rbind", "ro"}}});
    c["process"]["args"] = probe_args({"read", "/srv/greeting"});
  });
  EXPECT_EQ(read["content"], "hello from the host\n") << read.dump();

  runtime({"delete", "-f", id_});
  json write = probe_json([&](json& c) {
    add_mount(c, {{"destination", "/srv"},
                  {"type", "bind"},
                  {"source", host_dir},
                  {"options", {"rbind", "ro"}}});
    c["process"]["args"] = probe_args({"write", "/srv/new", "x"});
  });
  EXPECT_EQ(write["errno"], "EROFS") << write.dump();
  EXPECT_FALSE(std::filesystem::exists(host_dir + "/new"));
}

TEST_F(MountsTest, BindOfAFile) {
  std::string host_file = work_ + "/hosts";
  write_text(host_file, "127.0.0.1 bound\n");
  json read = probe_json([&](json& c) {
    add_mount(c, {{"destination", "/etc/hosts"},
                  {"type", "bind"},
                  {"source", host_file},
                  {"options", {"bind", "ro"}}});
    c["process"]["args"] = probe_args({"read", "/etc/hosts"});
  });
  EXPECT_EQ(read["content"], "127.0.0.1 bound\n") << read.dump();
}

// /proc/keys is in the default masked paths and exists on every kernel this runs on (kcore does
// not: some kernels lack it, and a missing masked path is skipped).
TEST_F(MountsTest, MaskedFileIsNullDevice) {
  json stat = probe_json([](json& c) {
    c["process"]["args"] = probe_args({"stat", "/proc/keys"});
  });
  EXPECT_EQ(stat["type"], "char") << stat.dump();
  EXPECT_EQ(stat["major"], 1);
  EXPECT_EQ(stat["minor"], 3);
}

TEST_F(MountsTest, MaskedDirectoryIsAnEmptyReadOnlyTmpfs) {
  json report = probe_report();
  ASSERT_TRUE(report.is_object());
  json mount = mount_at(report, "/sys/firmware");
  ASSERT_FALSE(mount.is_null());
  EXPECT_EQ(mount["fs_type"], "tmpfs");
  EXPECT_TRUE(has_option(mount, "options", "ro"));
}

TEST_F(MountsTest, CustomMaskedPath) {
  json read = probe_json([](json& c) {
    c["linux"]["maskedPaths"] = {"/proc/cpuinfo"};
    c["process"]["args"] = probe_args({"read", "/proc/cpuinfo"});
  });
  EXPECT_EQ(read["ok"], true) << read.dump();
  EXPECT_EQ(read["content"], "");
}

TEST_F(MountsTest, ReadonlyPathRefusesWrites) {
  json write = probe_json([](json& c) {
    c["linux"]["readonlyPaths"] = {"/proc/sys"};
    c["process"]["args"] = probe_args({"write", "/proc/sys/kernel/hostname", "evil"});
  });
  EXPECT_EQ(write["errno"], "EROFS") << write.dump();
}

TEST_F(MountsTest, ReadonlyPathIsAReadOnlyMount) {
  json report = probe_report();
  ASSERT_TRUE(report.is_object());
  json mount = mount_at(report, "/proc/sys");
  ASSERT_FALSE(mount.is_null());
  EXPECT_TRUE(has_option(mount, "options", "ro"));
}

TEST_F(MountsTest, ReadonlyRoot) {
  json report = probe_report([](json& c) { c["root"]["readonly"] = true; });
  ASSERT_TRUE(report.is_object());
  EXPECT_TRUE(has_option(mount_at(report, "/"), "options", "ro"));
  runtime({"delete", "-f", id_});
  json write = probe_json([](json& c) {
    c["root"]["readonly"] = true;
    c["process"]["args"] = probe_args({"write", "/probe-was-here", "x"});
  });
  EXPECT_EQ(write["errno"], "EROFS") << write.dump();
}

TEST_F(MountsTest, WritableRoot) {
  json report = probe_report([](json& c) { c["root"]["readonly"] = false; });
  ASSERT_TRUE(report.is_object());
  EXPECT_TRUE(has_option(mount_at(report, "/"), "options", "rw"));
}

// Hosts with systemd make / rshared: the container's mounts must not propagate back to the host.
// The runtime runs in a mount namespace whose mounts are all shared, which then lists its own
// mount table after the container is gone.
TEST_F(MountsTest, NoMountsLeakToASharedHost) {
  write_config();
  const char* script =
      "\"$0\" --root \"$1\" run --bundle \"$2\" \"$3\" >/dev/null || exit $?; "
      "cat /proc/self/mountinfo";
  CommandResult result = run_command({"unshare", "--mount", "--propagation", "shared", "/bin/sh",
                                      "-c", script, runtime_path(), state_root_, bundle_, id_},
                                     work_);
  ASSERT_EQ(result.exit_code, 0) << result.describe();
  EXPECT_NE(result.out.find(" / / rw"), std::string::npos);
  std::istringstream lines(result.out);
  bool root_is_shared = false;
  for (std::string line; std::getline(lines, line);) {
    EXPECT_EQ(line.find(rootfs_), std::string::npos) << "leaked: " << line;
    EXPECT_EQ(line.find(bundle_), std::string::npos) << "leaked: " << line;
    if (line.find(" / / ") != std::string::npos && line.find("shared:") != std::string::npos) {
      root_is_shared = true;
    }
  }
  EXPECT_TRUE(root_is_shared) << "the test did not make / shared\n" << result.out;
}

// Idmapped mounts (runtime-spec 1.2). A host directory with one file owned by root and one by
// uid/gid 1000, as the tests below bind it.
std::string idmap_source(const std::string& work) {
  std::string dir = work + "/idmapped";
  std::filesystem::create_directories(dir);
  write_text(dir + "/root-owned", "0\n");
  write_text(dir + "/user-owned", "1000\n");
  EXPECT_EQ(::chown((dir + "/user-owned").c_str(), 1000, 1000), 0);
  return dir;
}

json idmapped_bind(const std::string& source, std::vector<std::string> options) {
  return {{"destination", "/srv"}, {"type", "bind"}, {"source", source}, {"options", options}};
}

// With mount maps {containerID 0, hostID 1000, size 1} (written to the idmap's user namespace as
// "0 1000 1"), the kernel shows an on-disk owner containerID + n as hostID + n: root's file
// appears as 1000, and 1000's file, outside the range, as the overflow id 65534.
TEST_F(MountsTest, IdmappedBindShowsOwnersThroughTheMountMaps) {
  if (!runtime_is_burrow()) GTEST_SKIP() << "runc 1.1 has no idmapped mounts (runtime-spec 1.2)";
  std::string source = idmap_source(work_);
  auto stat_in_container = [&](const std::string& file) {
    runtime({"delete", "-f", id_});
    return probe_json([&](json& c) {
      json mount = idmapped_bind(source, {"bind", "nosuid"});
      mount["uidMappings"] = {{{"containerID", 0}, {"hostID", 1000}, {"size", 1}}};
      mount["gidMappings"] = {{{"containerID", 0}, {"hostID", 1000}, {"size", 1}}};
      add_mount(c, mount);
      c["process"]["args"] = probe_args({"stat", "/srv/" + file});
    });
  };
  json root_owned = stat_in_container("root-owned");
  EXPECT_EQ(root_owned["uid"], 1000) << root_owned.dump();
  EXPECT_EQ(root_owned["gid"], 1000) << root_owned.dump();
  json user_owned = stat_in_container("user-owned");
  EXPECT_EQ(user_owned["uid"], 65534) << user_owned.dump();
  EXPECT_EQ(user_owned["gid"], 65534) << user_owned.dump();
  runtime({"delete", "-f", id_});
  json report = probe_report([&](json& c) {
    json mount = idmapped_bind(source, {"bind", "nosuid"});
    mount["uidMappings"] = {{{"containerID", 0}, {"hostID", 1000}, {"size", 1}}};
    mount["gidMappings"] = {{{"containerID", 0}, {"hostID", 1000}, {"size", 1}}};
    add_mount(c, mount);
  });
  json srv = mount_at(report, "/srv");
  ASSERT_FALSE(srv.is_null()) << report["mounts"].dump();
  EXPECT_TRUE(has_option(srv, "options", "idmapped")) << srv["options"];
  EXPECT_TRUE(has_option(srv, "options", "nosuid")) << srv["options"];
  struct stat host {};
  ASSERT_EQ(::stat((source + "/root-owned").c_str(), &host), 0);
  EXPECT_EQ(host.st_uid, 0u) << "the host's view must not change";
}

// The idmap option without maps of its own borrows the container's (0 -> 100000, 65536): host
// files keep their owners as seen from inside the user namespace, where without the idmap they
// would all be unmapped (65534).
TEST_F(MountsTest, IdmapOptionUsesTheContainerUserNamespaceMaps) {
  if (!runtime_is_burrow()) GTEST_SKIP() << "runc 1.1 has no idmapped mounts (runtime-spec 1.2)";
  std::string source = idmap_source(work_);
  auto stat_in_container = [&](const std::string& file) {
    runtime({"delete", "-f", id_});
    return probe_json([&](json& c) {
      c["linux"]["namespaces"].push_back({{"type", "user"}});
      c["linux"]["uidMappings"] = {{{"containerID", 0}, {"hostID", 100000}, {"size", 65536}}};
      c["linux"]["gidMappings"] = {{{"containerID", 0}, {"hostID", 100000}, {"size", 65536}}};
      auto& mounts = c["mounts"];
      for (auto it = mounts.begin(); it != mounts.end();) {
        it = ((*it)["type"] == "cgroup") ? mounts.erase(it) : it + 1;
      }
      add_mount(c, idmapped_bind(source, {"rbind", "idmap", "ro"}));
      c["process"]["args"] = probe_args({"stat", "/srv/" + file});
    });
  };
  json root_owned = stat_in_container("root-owned");
  EXPECT_EQ(root_owned["uid"], 0) << root_owned.dump();
  EXPECT_EQ(root_owned["gid"], 0) << root_owned.dump();
  json user_owned = stat_in_container("user-owned");
  EXPECT_EQ(user_owned["uid"], 1000) << user_owned.dump();
  EXPECT_EQ(user_owned["gid"], 1000) << user_owned.dump();
}

// In a container with a user namespace (0 -> 100000): a bind whose uidMappings/gidMappings say
// {containerID 1000, hostID 100000} shows the host file owned by 1000 as owned by host 100000,
// which is the container's root; a file the container's root makes there is 1000's on the host.
TEST_F(MountsTest, IdmappedBindInAUserNamespaceShowsTheMappedOwner) {
  if (!runtime_is_burrow())
    GTEST_SKIP() << "runc 1.1 has no idmapped mounts (runtime-spec 1.2): it ignores the mount's "
                    "uidMappings and binds the source as it is";
  std::string source = work_ + "/user-dir";
  std::filesystem::create_directories(source);
  write_text(source + "/user-owned", "1000\n");
  ASSERT_EQ(::chown(source.c_str(), 1000, 1000), 0);
  ASSERT_EQ(::chown((source + "/user-owned").c_str(), 1000, 1000), 0);
  CommandResult result = run_container([&](json& c) {
    c["linux"]["namespaces"].push_back({{"type", "user"}});
    c["linux"]["uidMappings"] = {{{"containerID", 0}, {"hostID", 100000}, {"size", 65536}}};
    c["linux"]["gidMappings"] = {{{"containerID", 0}, {"hostID", 100000}, {"size", 65536}}};
    auto& mounts = c["mounts"];
    for (auto it = mounts.begin(); it != mounts.end();) {
      it = ((*it)["type"] == "cgroup") ? mounts.erase(it) : it + 1;
    }
    json mount = idmapped_bind(source, {"bind"});
    mount["uidMappings"] = {{{"containerID", 1000}, {"hostID", 100000}, {"size", 1}}};
    mount["gidMappings"] = {{{"containerID", 1000}, {"hostID", 100000}, {"size", 1}}};
    add_mount(c, mount);
    c["process"]["args"] = {"/bin/sh", "-c",
                            "stat -c '%u:%g' /srv/user-owned; echo made > /srv/made"};
  });
  EXPECT_EQ(result.exit_code, 0) << result.describe();
  EXPECT_EQ(result.out, "0:0\n") << result.describe();
  struct stat made {};
  ASSERT_EQ(::stat((source + "/made").c_str(), &made), 0) << result.describe();
  EXPECT_EQ(made.st_uid, 1000u);
  EXPECT_EQ(made.st_gid, 1000u);
}

// A failed preparation names the mount and the step, and leaves nothing (TearDown checks).
TEST_F(MountsTest, IdmappedBindOfAMissingSourceFailsCleanly) {
  if (!runtime_is_burrow()) GTEST_SKIP() << "runc 1.1 has no idmapped mounts (runtime-spec 1.2)";
  std::string missing = work_ + "/missing";
  size_t index = 0;
  CommandResult result = run_container([&](json& c) {
    json mount = idmapped_bind(missing, {"bind"});
    mount["uidMappings"] = {{{"containerID", 0}, {"hostID", 1000}, {"size", 1}}};
    mount["gidMappings"] = {{{"containerID", 0}, {"hostID", 1000}, {"size", 1}}};
    index = c["mounts"].size();
    add_mount(c, mount);
  });
  EXPECT_NE(result.exit_code, 0) << result.describe();
  std::string expected = "mounts[" + std::to_string(index) + "]: idmapped mount of " + missing +
                         ": open_tree: No such file or directory";
  EXPECT_NE(result.err.find(expected), std::string::npos) << result.describe();
}

// The kernel refuses overlapping ranges when the maps are written, after the helper owning the
// user namespace was forked: it must be reaped all the same (TearDown checks processes).
TEST_F(MountsTest, IdmappedBindWithOverlappingMapsFailsCleanly) {
  if (!runtime_is_burrow()) GTEST_SKIP() << "runc 1.1 has no idmapped mounts (runtime-spec 1.2)";
  std::string source = idmap_source(work_);
  size_t index = 0;
  CommandResult result = run_container([&](json& c) {
    json mount = idmapped_bind(source, {"bind"});
    mount["uidMappings"] = {{{"containerID", 0}, {"hostID", 1000}, {"size", 10}},
                            {{"containerID", 5}, {"hostID", 2000}, {"size", 10}}};
    mount["gidMappings"] = {{{"containerID", 0}, {"hostID", 1000}, {"size", 1}}};
    index = c["mounts"].size();
    add_mount(c, mount);
  });
  EXPECT_NE(result.exit_code, 0) << result.describe();
  std::string expected = "mounts[" + std::to_string(index) + "]: idmapped mount of " + source +
                         ": user namespace: write uid mappings";
  EXPECT_NE(result.err.find(expected), std::string::npos) << result.describe();
}

}  // namespace
}  // namespace integration
