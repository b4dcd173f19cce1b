#include "run_under_filter.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>

#include <gtest/gtest.h>

#include "spec/parse.hpp"

namespace burrow::seccomp::testing {
namespace {

volatile sig_atomic_t g_trapped = 0;  // child-only; set by its SIGSYS handler

void on_sigsys(int) {
  g_trapped = 1;
}

// Not instrumented by ASan (scripts/sanitize): before each noreturn call ASan checks the stack
// with sigaltstack(2), which a filter under test may deny, and its failure report needs mmap(2).
__attribute__((no_sanitize("address"))) [[noreturn]] void child(const Filter& filter,
                                                                const SyscallBody& body,
                                                                int report) {
  struct rlimit no_core = {0, 0};
  ::setrlimit(RLIMIT_CORE, &no_core);  // KILL_PROCESS dumps core
  struct sigaction action {};
  action.sa_handler = on_sigsys;
  ::sigaction(SIGSYS, &action, nullptr);
  if (::prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0) ::_exit(100);
  if (!load(filter)) ::_exit(101);
  errno = 0;
  Outcome outcome;
  outcome.ret = body();
  outcome.err = errno;
  outcome.trapped = g_trapped != 0;
  outcome.reported = true;
  (void)!::write(report, &outcome, sizeof(outcome));
  ::_exit(0);
}

}  // namespace

Outcome run_under(const Filter& filter, const SyscallBody& body) {
  int pipe_fds[2];
  if (::pipe2(pipe_fds, O_CLOEXEC) < 0) {
    ADD_FAILURE() << "pipe2";
    return {};
  }
  pid_t pid = ::fork();
  if (pid == 0) {
    ::close(pipe_fds[0]);
    child(filter, body, pipe_fds[1]);
  }
  ::close(pipe_fds[1]);
  Outcome outcome;
  if (::read(pipe_fds[0], &outcome, sizeof(outcome)) != sizeof(outcome)) outcome = Outcome{};
  ::close(pipe_fds[0]);
  int status = 0;
  ::waitpid(pid, &status, 0);
  if (WIFSIGNALED(status)) outcome.killed_by = WTERMSIG(status);
  if (WIFEXITED(status) && WEXITSTATUS(status) != 0)
    ADD_FAILURE() << "child exited with " << WEXITSTATUS(status);
  return outcome;
}

spec::Seccomp seccomp_config(const nlohmann::json& seccomp) {
  nlohmann::json document = {{"ociVersion", "1.2.0"},
                             {"root", {{"path", "rootfs"}}},
                             {"process", {{"args", {"x"}}, {"cwd", "/"}}},
                             {"linux", {{"seccomp", seccomp}}}};
  auto spec = spec::parse_config(document);
  if (!spec) {
    ADD_FAILURE() << spec.error().message;
    return {};
  }
  return *spec->linux->seccomp;
}

Filter compile_ok(const nlohmann::json& seccomp) {
  auto filter = compile(seccomp_config(seccomp));
  if (!filter) {
    ADD_FAILURE() << filter.error().message;
    return {};
  }
  if (!*filter) {
    ADD_FAILURE() << "no filter";
    return {};
  }
  return std::move(**filter);
}

std::string compile_error(const nlohmann::json& seccomp) {
  auto filter = compile(seccomp_config(seccomp));
  return filter ? "" : filter.error().message;
}

}  // namespace burrow::seccomp::testing
