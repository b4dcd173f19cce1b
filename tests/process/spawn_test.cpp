// spawn_child: a plain child, and a sibling (CLONE_PARENT, how exec forks its process so that
// `burrow exec` itself is the process's parent).
#include "process/spawn.hpp"

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

namespace burrow::process {
namespace {

TEST(Spawn, ChildRunsAndExits) {
  auto child = spawn_child(SpawnRequest{}, [] { ::_exit(7); });
  ASSERT_TRUE(child.ok()) << child.error().message;
  siginfo_t info{};
  ASSERT_EQ(::waitid(P_PIDFD, static_cast<id_t>(child->pidfd.get()), &info, WEXITED), 0);
  EXPECT_EQ(info.si_code, CLD_EXITED);
  EXPECT_EQ(info.si_status, 7);
}

TEST(Spawn, SiblingIsTheCallersParentsChild) {
  int pipe_fds[2];
  ASSERT_EQ(::pipe(pipe_fds), 0);
  pid_t helper = ::fork();
  ASSERT_GE(helper, 0);
  if (helper == 0) {
    SpawnRequest request;
    request.sibling = true;
    auto sibling = spawn_child(request, [&] {
      pid_t parent = ::getppid();
      (void)!::write(pipe_fds[1], &parent, sizeof parent);
      ::_exit(3);
    });
    ::_exit(sibling.ok() ? 0 : 1);
  }
  ::close(pipe_fds[1]);
  int status = 0;
  ASSERT_EQ(::waitpid(helper, &status, 0), helper);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
  pid_t parent = 0;
  ASSERT_EQ(::read(pipe_fds[0], &parent, sizeof parent), static_cast<ssize_t>(sizeof parent));
  ::close(pipe_fds[0]);
  EXPECT_EQ(parent, ::getpid());
  // ... and we reap it, with its own exit status and SIGCHLD as the exit signal.
  pid_t reaped = ::waitpid(-1, &status, 0);
  EXPECT_GT(reaped, 0);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 3);
}

}  // namespace
}  // namespace burrow::process
