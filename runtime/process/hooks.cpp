#include "process/hooks.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cctype>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <nlohmann/json.hpp>

#include "base/fd.hpp"

extern char** environ;

namespace burrow::process {
namespace {

using Clock = std::chrono::steady_clock;

// Go's error texts are lower case ("no such file or directory", "signal: killed"): clients and
// people compare runc's and ours.
std::string lower_first(std::string text) {
  if (!text.empty()) text[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(text[0])));
  return text;
}

struct Pipe {
  Fd read_end, write_end;
  static Result<Pipe> make() {
    int fds[2];
    if (::pipe2(fds, O_CLOEXEC) < 0) return Error::from_errno("pipe for hook");
    return Pipe{Fd(fds[0]), Fd(fds[1])};
  }
};

struct HookPipes {
  Pipe stdin_pipe, stdout_pipe, stderr_pipe, exec_error;
};

std::vector<char*> c_strings(const std::vector<std::string>& strings) {
  std::vector<char*> pointers;
  for (const auto& s : strings) pointers.push_back(const_cast<char*>(s.c_str()));
  pointers.push_back(nullptr);
  return pointers;
}

// In the forked child: stdio onto the pipes, nothing else open, exec. An exec failure goes
// back as errno over the close-on-exec error pipe.
[[noreturn]] void exec_hook(const spec::Hook& hook, HookPipes& pipes) {
  ::signal(SIGPIPE, SIG_DFL);
  sigset_t none;
  sigemptyset(&none);
  ::sigprocmask(SIG_SETMASK, &none, nullptr);
  if (::dup2(pipes.stdin_pipe.read_end.get(), 0) < 0 ||
      ::dup2(pipes.stdout_pipe.write_end.get(), 1) < 0 ||
      ::dup2(pipes.stderr_pipe.write_end.get(), 2) < 0)
    ::_exit(126);
  int error_fd = pipes.exec_error.write_end.get();
  // Everything but stdio and the error pipe (close-on-exec) goes.
  if (error_fd > 3) ::close_range(3, static_cast<unsigned>(error_fd) - 1, 0);
  ::close_range(static_cast<unsigned>(error_fd) + 1, ~0U, 0);
  std::vector<std::string> args =
      hook.args.empty() ? std::vector<std::string>{hook.path} : hook.args;
  std::vector<char*> argv = c_strings(args);
  // Like runc (Go's exec.Cmd): no env in the spec means the runtime's own environment.
  std::vector<char*> envp = c_strings(hook.env);
  ::execve(hook.path.c_str(), argv.data(), hook.env.empty() ? environ : envp.data());
  int error = errno;
  (void)!::write(error_fd, &error, sizeof error);
  ::_exit(127);
}

// Feeds stdin, collects stdout/stderr until both close or the deadline passes. False: timed out.
bool pump(HookPipes& pipes, const std::string& input, std::string& out, std::string& err,
          std::optional<Clock::time_point> deadline) {
  size_t written = 0;
  Fd in = std::move(pipes.stdin_pipe.write_end);
  if (input.empty()) in = Fd();
  std::array<Fd*, 2> outputs{&pipes.stdout_pipe.read_end, &pipes.stderr_pipe.read_end};
  std::array<std::string*, 2> sinks{&out, &err};
  for (;;) {
    std::vector<pollfd> fds;
    if (in) fds.push_back({in.get(), POLLOUT, 0});
    for (Fd* fd : outputs)
      if (*fd) fds.push_back({fd->get(), POLLIN, 0});
    if (fds.empty()) return true;
    int timeout = -1;
    if (deadline) {
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(*deadline - Clock::now());
      if (left.count() <= 0) return false;
      timeout = static_cast<int>(left.count());
    }
    int n = ::poll(fds.data(), fds.size(), timeout);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return n < 0;  // poll error: treat as done; 0: the deadline passed
    for (const pollfd& p : fds) {
      if (!p.revents) continue;
      if (in && p.fd == in.get()) {
        ssize_t w = ::write(in.get(), input.data() + written, input.size() - written);
        if (w > 0) written += static_cast<size_t>(w);
        if (w < 0 || written == input.size()) in = Fd();  // EPIPE: the hook does not read it
        continue;
      }
      for (size_t i = 0; i < outputs.size(); ++i) {
        if (!*outputs[i] || p.fd != outputs[i]->get()) continue;
        char buffer[4096];
        ssize_t r = ::read(p.fd, buffer, sizeof buffer);
        if (r > 0)
          sinks[i]->append(buffer, static_cast<size_t>(r));
        else if (r == 0 || errno != EINTR)
          *outputs[i] = Fd();
      }
    }
  }
}

bool sigpipe_pending() {
  sigset_t pending;
  sigemptyset(&pending);
  ::sigpending(&pending);
  return sigismember(&pending, SIGPIPE) == 1;
}

// A write to a hook that exits without reading its stdin raises SIGPIPE. Ignoring it is not
// enough where the caller blocks signals (a foreground `run` does, and forwards what it reads
// from its signalfd to the container): a blocked signal is never ignored, it stays pending. So
// a SIGPIPE that we raised is taken back here.
void take_back_our_sigpipe(bool was_pending) {
  if (was_pending || !sigpipe_pending()) return;
  sigset_t pipe_only;
  sigemptyset(&pipe_only);
  sigaddset(&pipe_only, SIGPIPE);
  timespec now{};
  (void)::sigtimedwait(&pipe_only, nullptr, &now);
}

std::string describe_status(int status) {
  if (WIFEXITED(status)) return "exit status " + std::to_string(WEXITSTATUS(status));
  return "signal: " + lower_first(::strsignal(WTERMSIG(status)));
}

std::string seconds_text(int seconds) {
  char text[32];
  std::snprintf(text, sizeof text, "%.1fs", static_cast<double>(seconds));
  return text;
}

}  // namespace

std::string hook_state_json(const HookState& state) {
  nlohmann::ordered_json json = {
      {"ociVersion", state.oci_version}, {"id", state.id}, {"status", state.status}};
  if (state.pid > 0) json["pid"] = state.pid;
  json["bundle"] = state.bundle;
  if (!state.annotations.empty()) json["annotations"] = state.annotations;
  return json.dump();
}

Status run_hook(const spec::Hook& hook, const std::string& state_json) {
  HookPipes pipes{BURROW_TRY(Pipe::make()), BURROW_TRY(Pipe::make()), BURROW_TRY(Pipe::make()),
                  BURROW_TRY(Pipe::make())};
  // A hook that exits without reading its stdin must not kill us with SIGPIPE.
  bool sigpipe_was_pending = sigpipe_pending();
  struct sigaction ignore {
  }, previous{};
  ignore.sa_handler = SIG_IGN;
  ::sigaction(SIGPIPE, &ignore, &previous);
  pid_t pid = ::fork();
  if (pid < 0) {
    ::sigaction(SIGPIPE, &previous, nullptr);
    return Error::from_errno("fork/exec " + hook.path);
  }
  if (pid == 0) exec_hook(hook, pipes);
  pipes.stdin_pipe.read_end = Fd();
  pipes.stdout_pipe.write_end = Fd();
  pipes.stderr_pipe.write_end = Fd();
  pipes.exec_error.write_end = Fd();
  int exec_errno = 0;
  bool exec_failed =
      ::read(pipes.exec_error.read_end.get(), &exec_errno, sizeof exec_errno) == sizeof exec_errno;
  std::optional<Clock::time_point> deadline;
  if (hook.timeout) deadline = Clock::now() + std::chrono::seconds(*hook.timeout);
  std::string out, err;
  bool in_time = exec_failed || pump(pipes, state_json, out, err, deadline);
  if (!in_time) ::kill(pid, SIGKILL);
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  take_back_our_sigpipe(sigpipe_was_pending);
  ::sigaction(SIGPIPE, &previous, nullptr);
  if (exec_failed)
    return Error(exec_errno,
                 "fork/exec " + hook.path + ": " + lower_first(std::strerror(exec_errno)));
  if (!in_time)
    return Error(ETIMEDOUT, "hook ran past specified timeout of " + seconds_text(*hook.timeout));
  if (WIFEXITED(status) && WEXITSTATUS(status) == 0) return {};
  return Error::msg("error running hook: " + describe_status(status) + ", stdout: " + out +
                    ", stderr: " + err);
}

Status run_hooks(const std::vector<spec::Hook>& hooks, const std::string& kind,
                 const std::string& state_json) {
  for (size_t i = 0; i < hooks.size(); ++i) {
    Status ran = run_hook(hooks[i], state_json);
    if (!ran)
      return std::move(ran).error().wrap("error running " + kind + " hook #" + std::to_string(i));
  }
  return {};
}

}  // namespace burrow::process
