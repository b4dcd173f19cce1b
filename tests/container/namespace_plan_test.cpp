#include "container/namespace_plan.hpp"

#include <gtest/gtest.h>
#include <sched.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <new>
#include <string>
#include <vector>

namespace burrow::container {
namespace {

using spec::NamespaceType;

spec::Spec spec_with(std::vector<spec::Namespace> namespaces) {
  spec::Spec s;
  s.linux.emplace();
  s.linux->namespaces = std::move(namespaces);
  return s;
}

spec::Namespace made(NamespaceType type) {
  return spec::Namespace{type, ""};
}
spec::Namespace joined(NamespaceType type, std::string path) {
  return spec::Namespace{type, std::move(path)};
}

NamespacePlan planned(const spec::Spec& s) {
  auto plan = plan_namespaces(s);
  EXPECT_TRUE(plan.ok()) << plan.error().message;
  if (!plan.ok()) return {};
  return std::move(plan).value();
}

Error refused(const spec::Spec& s) {
  auto plan = plan_namespaces(s);
  EXPECT_FALSE(plan.ok());
  if (plan.ok()) return Error{};
  return std::move(plan).error();
}

ino_t inode_of_fd(int fd) {
  struct stat st {};
  EXPECT_EQ(::fstat(fd, &st), 0);
  return st.st_ino;
}

ino_t inode_of(const std::string& path) {
  struct stat st {};
  EXPECT_EQ(::stat(path.c_str(), &st), 0) << path;
  return st.st_ino;
}

TEST(PlanNamespaces, NewNamespacesAreMadeAtClone) {
  NamespacePlan plan = planned(
      spec_with({made(NamespaceType::pid), made(NamespaceType::network), made(NamespaceType::ipc),
                 made(NamespaceType::uts), made(NamespaceType::mount)}));
  EXPECT_EQ(plan.clone_flags,
            CLONE_NEWPID | CLONE_NEWNET | CLONE_NEWIPC | CLONE_NEWUTS | CLONE_NEWNS);
  EXPECT_EQ(plan.unshare_flags, 0);
  EXPECT_FALSE(plan.new_user);
  EXPECT_FALSE(plan.new_cgroup);
  EXPECT_TRUE(plan.new_network);
  EXPECT_TRUE(plan.joined.empty());
  EXPECT_FALSE(plan.joined_pid.valid());
}

TEST(PlanNamespaces, OnlyAMountNamespace) {
  NamespacePlan plan = planned(spec_with({made(NamespaceType::mount)}));
  EXPECT_EQ(plan.clone_flags, CLONE_NEWNS);
  EXPECT_EQ(plan.unshare_flags, 0);
  EXPECT_FALSE(plan.new_network);
}

TEST(PlanNamespaces, CgroupNamespaceIsLeftToTheChild) {
  NamespacePlan plan = planned(spec_with(
      {made(NamespaceType::mount), made(NamespaceType::cgroup), made(NamespaceType::pid)}));
  EXPECT_TRUE(plan.new_cgroup);
  EXPECT_EQ(plan.clone_flags & CLONE_NEWCGROUP, 0);
  EXPECT_EQ(plan.unshare_flags & CLONE_NEWCGROUP, 0);
  EXPECT_EQ(plan.clone_flags, CLONE_NEWNS | CLONE_NEWPID);
  EXPECT_EQ(plan.unshare_flags, 0);
}

TEST(PlanNamespaces, NewUserNamespaceWithNothingJoinedIsMadeAtClone) {
  NamespacePlan plan = planned(spec_with(
      {made(NamespaceType::user), made(NamespaceType::mount), made(NamespaceType::network)}));
  EXPECT_TRUE(plan.new_user);
  EXPECT_TRUE(plan.new_network);
  EXPECT_EQ(plan.clone_flags, CLONE_NEWUSER | CLONE_NEWNS | CLONE_NEWNET);
  EXPECT_EQ(plan.unshare_flags, 0);
}

TEST(PlanNamespaces, NewUserNamespaceWithAJoinedOneIsUnsharedAfterJoining) {
  NamespacePlan plan = planned(spec_with(
      {made(NamespaceType::user), made(NamespaceType::pid),
       joined(NamespaceType::network, "/proc/self/ns/net"), made(NamespaceType::ipc),
       made(NamespaceType::uts), made(NamespaceType::mount), made(NamespaceType::cgroup)}));
  EXPECT_EQ(plan.clone_flags, 0);
  EXPECT_EQ(plan.unshare_flags,
            CLONE_NEWUSER | CLONE_NEWPID | CLONE_NEWIPC | CLONE_NEWUTS | CLONE_NEWNS);
  EXPECT_TRUE(plan.new_user);
  EXPECT_TRUE(plan.new_cgroup);
  EXPECT_FALSE(plan.new_network);
  EXPECT_FALSE(plan.joined_pid.valid());
  ASSERT_EQ(plan.joined.size(), 1u);
  EXPECT_EQ(plan.joined[0].type, NamespaceType::network);
  EXPECT_EQ(plan.joined[0].path, "/proc/self/ns/net");
  ASSERT_TRUE(plan.joined[0].fd.valid());
  EXPECT_EQ(inode_of_fd(plan.joined[0].fd.get()), inode_of("/proc/self/ns/net"));
}

TEST(PlanNamespaces, JoinedNamespacesKeepTheirOrderAndPidGoesToTheParent) {
  NamespacePlan plan = planned(
      spec_with({joined(NamespaceType::uts, "/proc/self/ns/uts"), made(NamespaceType::network),
                 joined(NamespaceType::pid, "/proc/self/ns/pid"),
                 joined(NamespaceType::mount, "/proc/self/ns/mnt")}));
  // A joined mount namespace satisfies the mount requirement.
  EXPECT_EQ(plan.clone_flags, CLONE_NEWNET);
  EXPECT_EQ(plan.unshare_flags, 0);
  ASSERT_TRUE(plan.joined_pid.valid());
  EXPECT_EQ(inode_of_fd(plan.joined_pid.get()), inode_of("/proc/self/ns/pid"));
  ASSERT_EQ(plan.joined.size(), 2u);
  EXPECT_EQ(plan.joined[0].type, NamespaceType::uts);
  EXPECT_EQ(plan.joined[0].path, "/proc/self/ns/uts");
  EXPECT_EQ(inode_of_fd(plan.joined[0].fd.get()), inode_of("/proc/self/ns/uts"));
  EXPECT_EQ(plan.joined[1].type, NamespaceType::mount);
  EXPECT_EQ(inode_of_fd(plan.joined[1].fd.get()), inode_of("/proc/self/ns/mnt"));
}

// Joining a user namespace by path used to be refused ("joining a user namespace by path: not
// supported yet", up to 15b3af5); it is now planned: the user namespace is joined first, whatever
// its place in the list, and nothing is made at clone.
TEST(PlanNamespaces, AJoinedUserNamespaceIsJoinedFirstAndTheRestUnshared) {
  NamespacePlan plan = planned(
      spec_with({made(NamespaceType::mount), joined(NamespaceType::network, "/proc/self/ns/net"),
                 made(NamespaceType::pid), made(NamespaceType::cgroup),
                 joined(NamespaceType::user, "/proc/self/ns/user")}));
  EXPECT_EQ(plan.clone_flags, 0);
  EXPECT_EQ(plan.unshare_flags, CLONE_NEWNS | CLONE_NEWPID);
  EXPECT_FALSE(plan.new_user);
  EXPECT_TRUE(plan.new_cgroup);
  ASSERT_EQ(plan.joined.size(), 2u);
  EXPECT_EQ(plan.joined[0].type, NamespaceType::user);
  EXPECT_EQ(plan.joined[0].path, "/proc/self/ns/user");
  EXPECT_EQ(inode_of_fd(plan.joined[0].fd.get()), inode_of("/proc/self/ns/user"));
  EXPECT_EQ(plan.joined[1].type, NamespaceType::network);
}

TEST(PlanNamespaces, AUserPathThatIsAnotherKindIsRefused) {
  Error e = refused(spec_with({made(NamespaceType::mount), made(NamespaceType::pid),
                               joined(NamespaceType::user, "/proc/self/ns/net")}));
  EXPECT_EQ(e.code, EINVAL);
  EXPECT_EQ(e.message,
            "config.json: linux.namespaces[2]: user namespace /proc/self/ns/net: is a namespace "
            "of another kind");
}

// Refused, naming the risk: runc would mount in the host's mount namespace.
constexpr const char* kMountNamespaceRequired =
    "config.json: linux.namespaces: a mount namespace is required: without one the container's "
    "mounts would be made in the host's mount namespace, change the propagation of the host's / "
    "and outlive the container";

TEST(PlanNamespaces, AMountNamespaceIsRequired) {
  Error e = refused(spec_with({made(NamespaceType::pid), made(NamespaceType::network)}));
  EXPECT_EQ(e.code, EINVAL);
  EXPECT_EQ(e.message, kMountNamespaceRequired);
  Error none = refused(spec_with({}));
  EXPECT_EQ(none.message, kMountNamespaceRequired);
}

TEST(PlanNamespaces, APathThatIsNotANamespaceFileIsRefused) {
  Error e = refused(
      spec_with({made(NamespaceType::mount), joined(NamespaceType::network, "/etc/passwd")}));
  EXPECT_EQ(e.code, EINVAL);
  EXPECT_NE(e.message.find("not a namespace file"), std::string::npos) << e.message;
  EXPECT_EQ(e.message,
            "config.json: linux.namespaces[1]: network namespace /etc/passwd: not a namespace "
            "file: Invalid argument");
}

TEST(PlanNamespaces, ANamespaceOfAnotherKindIsRefused) {
  Error e = refused(
      spec_with({made(NamespaceType::mount), joined(NamespaceType::network, "/proc/self/ns/uts")}));
  EXPECT_EQ(e.code, EINVAL);
  EXPECT_EQ(e.message,
            "config.json: linux.namespaces[1]: network namespace /proc/self/ns/uts: is a "
            "namespace of another kind");
}

TEST(PlanNamespaces, AMissingNamespacePathIsRefused) {
  Error e = refused(
      spec_with({joined(NamespaceType::ipc, "/nonexistent/ns/ipc"), made(NamespaceType::mount)}));
  EXPECT_EQ(e.code, ENOENT);
  EXPECT_EQ(e.message,
            "config.json: linux.namespaces[0]: open ipc namespace /nonexistent/ns/ipc: No such "
            "file or directory");
}

// Regression test (found by this suite, fixed in runtime/container/namespace_plan.cpp).
TEST(PlanNamespaces, NoLinuxSectionIsRefusedNotUndefined) {
  pid_t pid = ::fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    alignas(spec::Spec) unsigned char storage[sizeof(spec::Spec)];
    // Not one repeated byte: a vector whose begin and end read the same garbage looks empty.
    for (size_t i = 0; i < sizeof(storage); ++i) storage[i] = static_cast<unsigned char>(i * 37);
    auto* s = new (storage) spec::Spec;
    bool right = false;
    {
      auto plan = plan_namespaces(*s);
      right = !plan.ok() && plan.error().message == kMountNamespaceRequired;
    }
    ::_exit(right ? 0 : 1);
  }
  int status = 0;
  ASSERT_EQ(::waitpid(pid, &status, 0), pid);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0)
      << (WIFSIGNALED(status) ? "killed by signal " + std::to_string(WTERMSIG(status))
                              : "wrong result");
}

}  // namespace
}  // namespace burrow::container
