// Namespaces: new ones differ from the host's, absent ones are the host's, and a namespace
// given by path is joined (same inode).
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <sys/mount.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "harness/container_test.hpp"

namespace integration {
namespace {

using nlohmann::json;

// uid_map pads its columns: compare with runs of spaces squeezed out.
std::string squeeze_spaces(const std::string& text) {
  std::string squeezed;
  for (char ch : text) {
    if (ch != ' ' || (!squeezed.empty() && squeezed.back() != ' ')) squeezed.push_back(ch);
  }
  return squeezed;
}

// Makes the config's namespace entry of `type` join `path`.
void join_namespace_at(json& config, const std::string& type, const std::string& path) {
  for (auto& ns : config["linux"]["namespaces"]) {
    if (ns["type"] == type) ns["path"] = path;
  }
}

// A user namespace's root may not mount or bind the host's cgroup hierarchies here.
void drop_cgroup_mounts(json& config) {
  auto& mounts = config["mounts"];
  for (auto it = mounts.begin(); it != mounts.end();) {
    it = ((*it)["type"] == "cgroup") ? mounts.erase(it) : it + 1;
  }
}

using NamespacesTest = ContainerTest;

// Spec namespace type -> /proc/self/ns link name.
const std::pair<const char*, const char*> kNamespaceLinks[] = {
    {"pid", "pid"}, {"network", "net"}, {"ipc", "ipc"},
    {"uts", "uts"}, {"mount", "mnt"},   {"cgroup", "cgroup"}};

TEST_F(NamespacesTest, NewNamespacesDifferFromTheHost) {
  json report = probe_report([](json& c) {
    c["linux"]["namespaces"].push_back({{"type", "cgroup"}});
  });
  ASSERT_TRUE(report.is_object());
  for (const auto& [type, link] : kNamespaceLinks) {
    auto host = host_namespace_inode(link);
    ASSERT_TRUE(host.has_value()) << link;
    EXPECT_NE(report["namespaces"][link], *host) << type << " namespace is the host's";
  }
}

TEST_F(NamespacesTest, UnlistedNamespacesAreTheHosts) {
  json report = probe_report([](json& c) {
    c["linux"]["namespaces"] = {{{"type", "pid"}}, {{"type", "mount"}}};
    c.erase("hostname");  // needs a uts namespace
  });
  ASSERT_TRUE(report.is_object());
  for (const char* link : {"net", "ipc", "uts", "user"}) {
    EXPECT_EQ(report["namespaces"][link], *host_namespace_inode(link)) << link;
  }
}

// A named network namespace from iproute2, removed again by the destructor.
class NamedNetns {
 public:
  NamedNetns(const std::string& name, const std::string& scratch) : name_(name), scratch_(scratch) {
    created_ = run_command({"ip", "netns", "add", name_}, scratch_).exit_code == 0;
  }
  ~NamedNetns() {
    if (created_) run_command({"ip", "netns", "delete", name_}, scratch_);
  }
  bool created() const { return created_; }
  std::string path() const { return "/var/run/netns/" + name_; }

 private:
  std::string name_, scratch_;
  bool created_ = false;
};

TEST_F(NamespacesTest, JoinsANetworkNamespaceByPath) {
  NamedNetns netns(id_, work_);
  if (!netns.created()) GTEST_SKIP() << "`ip netns add` failed (needs iproute2)";
  auto expected = inode_of(netns.path());
  ASSERT_TRUE(expected.has_value());
  std::string path = netns.path();
  json report = probe_report([&](json& c) { join_namespace_at(c, "network", path); });
  ASSERT_TRUE(report.is_object());
  EXPECT_EQ(report["namespaces"]["net"], *expected);
}

TEST_F(NamespacesTest, JoinsAUtsNamespaceByPath) {
  // unshare binds the new namespace onto a file; the file lives in the test's work dir, which
  // TearDown unmounts.
  std::string file = work_ + "/uts";
  write_text(file, "");
  auto made = run_command({"unshare", "--uts=" + file, "hostname", "joined"}, work_);
  ASSERT_EQ(made.exit_code, 0) << made.describe();
  struct Unbind {
    std::string path;
    ~Unbind() { umount2(path.c_str(), MNT_DETACH); }
  } unbind{file};
  auto expected = inode_of(file);
  json report = probe_report([&](json& c) {
    c.erase("hostname");
    join_namespace_at(c, "uts", file);
  });
  ASSERT_TRUE(report.is_object());
  EXPECT_EQ(report["namespaces"]["uts"], *expected);
  EXPECT_EQ(report["hostname"], "joined");
}

TEST_F(NamespacesTest, PidNamespaceMakesTheProcessInit) {
  json report = probe_report();
  ASSERT_TRUE(report.is_object());
  EXPECT_EQ(report["pid"], 1);
  EXPECT_EQ(report["ppid"], 0);
}

TEST_F(NamespacesTest, UserNamespaceWithMappings) {
  json report = probe_report([](json& c) {
    c["linux"]["namespaces"].push_back({{"type", "user"}});
    c["linux"]["uidMappings"] = {{{"containerID", 0}, {"hostID", 100000}, {"size", 65536}}};
    c["linux"]["gidMappings"] = {{{"containerID", 0}, {"hostID", 100000}, {"size", 65536}}};
    drop_cgroup_mounts(c);
  });
  ASSERT_TRUE(report.is_object());
  EXPECT_NE(report["namespaces"]["user"], *host_namespace_inode("user"));
  EXPECT_EQ(report["uid"], 0);
  EXPECT_EQ(squeeze_spaces(report["uid_map"].get<std::string>()), "0 100000 65536\n");
}

// A user namespace joined by path (as a pod sandbox's): entered first, its maps already written;
// the new pid and mount namespaces are then owned by it.
// A process of the test's own, parked in a new user namespace whose maps the test writes (as a
// pod sandbox's would be): its /proc/<pid>/ns/user is the path to join.
class UserNamespaceHolder {
 public:
  // with_network: the process also makes a network namespace, owned by its user namespace.
  explicit UserNamespaceHolder(bool with_network = false) {
    int ready[2];
    if (pipe2(ready, O_CLOEXEC) < 0) return;
    pid_ = fork();
    if (pid_ == 0) {
      char byte = unshare(CLONE_NEWUSER) == 0 ? 'y' : 'n';
      if (byte == 'y' && with_network && unshare(CLONE_NEWNET) != 0) byte = 'n';
      (void)!write(ready[1], &byte, 1);
      pause();
      _exit(0);
    }
    close(ready[1]);
    char byte = 'n';
    (void)!read(ready[0], &byte, 1);
    close(ready[0]);
    std::string proc = "/proc/" + std::to_string(pid_) + "/";
    ok_ = byte == 'y' && write_file(proc + "uid_map", "0 100000 65536\n") &&
          write_file(proc + "gid_map", "0 100000 65536\n");
  }
  ~UserNamespaceHolder() {
    if (pid_ > 0) {
      kill(pid_, SIGKILL);
      waitpid(pid_, nullptr, 0);
    }
  }
  bool ok() const { return ok_; }
  std::string path() const { return "/proc/" + std::to_string(pid_) + "/ns/user"; }
  std::string network_path() const { return "/proc/" + std::to_string(pid_) + "/ns/net"; }

 private:
  static bool write_file(const std::string& path, const std::string& text) {
    std::ofstream out(path);
    out << text;
    out.flush();
    return static_cast<bool>(out);
  }
  pid_t pid_ = -1;
  bool ok_ = false;
};

// The parent gets the init's namespaces as fds the init sends over the sync socket (a
// non-dumpable init's /proc/<pid>/ns is closed to the host); its debug log names them.
TEST_F(NamespacesTest, InitSendsItsNamespaceFdsToTheParent) {
  if (!runtime_is_burrow()) GTEST_SKIP() << "reads burrow's own debug log";
  write_config();
  std::string log = work_ + "/log.json";
  CommandResult result =
      runtime({"--debug", "--log", log, "--log-format", "json", "run", "--bundle", bundle_, id_});
  ASSERT_EQ(result.exit_code, 0) << result.describe();
  json report = last_json_line(result.out);
  ASSERT_TRUE(report.is_object()) << result.describe();
  std::string sent;
  std::ifstream lines(log);
  for (std::string line; std::getline(lines, line);) {
    json entry = json::parse(line, nullptr, false);
    if (entry.is_object() &&
        entry["msg"].get<std::string>().starts_with("container init namespaces:"))
      sent = entry["msg"];
  }
  ASSERT_FALSE(sent.empty()) << "no namespace line in the debug log";
  for (const char* name : {"pid", "net", "ipc", "uts", "mnt"}) {
    std::string expected = std::string(name) + ":[" + report["namespaces"][name].dump() + "]";
    EXPECT_NE(sent.find(expected), std::string::npos) << expected << " not in: " << sent;
  }
}

TEST_F(NamespacesTest, JoinsAUserNamespaceByPath) {
  UserNamespaceHolder holder;
  ASSERT_TRUE(holder.ok()) << "could not make a user namespace to join";
  auto expected = inode_of(holder.path());
  ASSERT_TRUE(expected.has_value());
  json report = probe_report([&](json& c) {
    c["linux"]["namespaces"].push_back({{"type", "user"}, {"path", holder.path()}});
    // The joined namespace's own maps, as a pod sandbox's config carries them (runc requires
    // them and checks them against the namespace).
    c["linux"]["uidMappings"] = {{{"containerID", 0}, {"hostID", 100000}, {"size", 65536}}};
    c["linux"]["gidMappings"] = {{{"containerID", 0}, {"hostID", 100000}, {"size", 65536}}};
    drop_cgroup_mounts(c);
  });
  ASSERT_TRUE(report.is_object());
  EXPECT_EQ(report["namespaces"]["user"], *expected);
  EXPECT_NE(report["namespaces"]["pid"], *host_namespace_inode("pid"));
  EXPECT_EQ(report["pid"], 1);
  EXPECT_EQ(report["uid"], 0);
  EXPECT_EQ(squeeze_spaces(report["uid_map"].get<std::string>()), "0 100000 65536\n");
}

// A namespace owned by the host joined together with a new user namespace: it must be joined
// before the user namespace exists, so the init joins, unshares the user namespace, waits for its
// maps, unshares the rest and forks into the new pid namespace.
TEST_F(NamespacesTest, JoinsAHostNetworkNamespaceFromANewUserNamespace) {
  if (!runtime_is_burrow())
    GTEST_SKIP() << "runc 1.1 mounts sysfs here and fails with EPERM; burrow binds /sys";
  NamedNetns netns(id_, work_);
  if (!netns.created()) GTEST_SKIP() << "`ip netns add` failed (needs iproute2)";
  auto expected = inode_of(netns.path());
  ASSERT_TRUE(expected.has_value());
  std::string path = netns.path();
  json report = probe_report([&](json& c) {
    join_namespace_at(c, "network", path);
    c["linux"]["namespaces"].push_back({{"type", "user"}});
    c["linux"]["uidMappings"] = {{{"containerID", 0}, {"hostID", 100000}, {"size", 65536}}};
    c["linux"]["gidMappings"] = {{{"containerID", 0}, {"hostID", 100000}, {"size", 65536}}};
    drop_cgroup_mounts(c);
  });
  ASSERT_TRUE(report.is_object());
  EXPECT_EQ(report["namespaces"]["net"], *expected);
  EXPECT_NE(report["namespaces"]["user"], *host_namespace_inode("user"));
  EXPECT_NE(report["namespaces"]["pid"], *host_namespace_inode("pid"));
  EXPECT_EQ(report["pid"], 1);
  EXPECT_EQ(report["uid"], 0);
  // /sys comes from the host by bind: sysfs may not be mounted for a netns this userns lacks.
  // Only the sysfs itself, read-only: none of the host's mounts under it (its cgroup tree).
  bool sys_mounted = false;
  for (const auto& mount : report["mounts"]) {
    std::string point = mount["mount_point"];
    if (point == "/sys") {
      sys_mounted = true;
      EXPECT_TRUE(mount["options"].get<std::string>().starts_with("ro")) << mount;
    }
    EXPECT_FALSE(point.starts_with("/sys/fs/cgroup") || point.starts_with("/sys/kernel"))
        << "a host mount under /sys came along: " << mount;
  }
  EXPECT_TRUE(sys_mounted);
}

// A network namespace joined together with the user namespace that owns it (a pod's members
// join the pod's): its root may mount a sysfs of its own, which shows that namespace's devices
// (only lo), not the host's.
TEST_F(NamespacesTest, JoinedUserNamespaceMountsSysfsOfTheNetworkNamespaceItOwns) {
  UserNamespaceHolder holder(true);
  ASSERT_TRUE(holder.ok()) << "could not make a user and network namespace to join";
  CommandResult run = run_container([&](json& c) {
    join_namespace_at(c, "network", holder.network_path());
    c["linux"]["namespaces"].push_back({{"type", "user"}, {"path", holder.path()}});
    c["linux"]["uidMappings"] = {{{"containerID", 0}, {"hostID", 100000}, {"size", 65536}}};
    c["linux"]["gidMappings"] = {{{"containerID", 0}, {"hostID", 100000}, {"size", 65536}}};
    drop_cgroup_mounts(c);
    c["process"]["args"] = {"/bin/sh", "-c",
                            "ls /sys/class/net | tr '\\n' ' '; "
                            "awk '$5 == \"/sys\" { for (i = 7; i < NF; i++) if ($i == \"-\") print "
                            "\"fs: \" $(i + 1) }' "
                            "/proc/self/mountinfo"};
  });
  ASSERT_EQ(run.exit_code, 0) << run.describe();
  EXPECT_EQ(run.out, "lo fs: sysfs\n") << run.describe();
}

}  // namespace
}  // namespace integration
