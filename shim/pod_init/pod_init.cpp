// burrow-pod-init: pid 1 of a job's pod (the infra container). Every container of the pod lives
// in its pid namespace, so when this process ends the kernel kills all of them. It ends when its
// stdin reaches end of file: the write end is held by burrow-shim alone, so a shim that dies,
// even by SIGKILL, takes the whole pod with it. Until then it reaps the pod's orphans. It is
// static (the infra rootfs holds nothing else) and has no options.
#include <poll.h>
#include <signal.h>
#include <sys/signalfd.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>

namespace {

void reap_all() {
  int status = 0;
  while (::waitpid(-1, &status, WNOHANG) > 0) {
  }
}

}  // namespace

int main() {
  // SIGTERM and SIGINT from outside end the pod as the shim's end would; SIGCHLD means reaping.
  sigset_t handled;
  sigemptyset(&handled);
  sigaddset(&handled, SIGCHLD);
  sigaddset(&handled, SIGTERM);
  sigaddset(&handled, SIGINT);
  if (::sigprocmask(SIG_BLOCK, &handled, nullptr) < 0) return 1;
  int signals = ::signalfd(-1, &handled, SFD_CLOEXEC | SFD_NONBLOCK);
  if (signals < 0) return 1;
  struct pollfd watched[2] = {{STDIN_FILENO, POLLIN, 0}, {signals, POLLIN, 0}};
  for (;;) {
    if (::poll(watched, 2, -1) < 0) {
      if (errno == EINTR) continue;
      return 1;
    }
    if (watched[0].revents) {
      char buffer[64];
      ssize_t got = ::read(STDIN_FILENO, buffer, sizeof buffer);
      if (got == 0 || (got < 0 && errno != EINTR && errno != EAGAIN)) return 0;  // the shim is gone
    }
    if (watched[1].revents) {
      struct signalfd_siginfo info {};
      while (::read(signals, &info, sizeof info) == static_cast<ssize_t>(sizeof info)) {
        if (info.ssi_signo == SIGTERM || info.ssi_signo == SIGINT) return 0;
      }
      reap_all();
    }
  }
}
