#include "runner/process.hpp"

#include <fcntl.h>
#include <grp.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <sys/mount.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstring>
#include <fstream>
#include <sstream>
#include <utility>

namespace burrow::bench {

namespace {

using Clock = std::chrono::steady_clock;

// In the forked child: only async-signal-safe calls until execve.
[[noreturn]] void exec_child(const std::vector<char*>& argv, const std::vector<char*>& envp,
                             const SpawnOptions& options, int devnull) {
  sigset_t empty;
  sigemptyset(&empty);
  sigprocmask(SIG_SETMASK, &empty, nullptr);
  setpgid(0, 0);
  if (options.mount_namespace >= 0 && setns(options.mount_namespace, CLONE_NEWNS) != 0) _exit(126);
  if (options.uid >= 0) {
    if (setgroups(0, nullptr) != 0 || setgid(static_cast<gid_t>(options.gid)) != 0 ||
        setuid(static_cast<uid_t>(options.uid)) != 0) {
      _exit(126);
    }
  }
  if (chdir(options.cwd.c_str()) != 0) _exit(126);
  dup2(devnull, 0);
  dup2(options.out >= 0 ? options.out : devnull, 1);
  dup2(options.err >= 0 ? options.err : devnull, 2);
  if (envp.size() > 1) {
    execve(argv[0], argv.data(), envp.data());
  } else {
    execv(argv[0], argv.data());
  }
  _exit(127);
}

std::vector<char*> pointers(const std::vector<std::string>& strings) {
  std::vector<char*> result;
  for (const auto& s : strings) result.push_back(const_cast<char*>(s.c_str()));
  result.push_back(nullptr);
  return result;
}

ExitStatus from_wait_status(int status) {
  ExitStatus result;
  if (WIFEXITED(status)) result.code = WEXITSTATUS(status);
  if (WIFSIGNALED(status)) result.signal = WTERMSIG(status);
  return result;
}

}  // namespace

std::string ExitStatus::describe() const {
  if (timed_out) return "timed out";
  if (signal != 0) return "killed by signal " + std::to_string(signal);
  return "exit status " + std::to_string(code);
}

Child::Child(Child&& other) noexcept
    : pid_(std::exchange(other.pid_, -1)),
      pidfd_(std::move(other.pidfd_)),
      reaped_(std::exchange(other.reaped_, true)) {}

Child& Child::operator=(Child&& other) noexcept {
  if (this != &other) {
    kill_and_reap();
    pid_ = std::exchange(other.pid_, -1);
    pidfd_ = std::move(other.pidfd_);
    reaped_ = std::exchange(other.reaped_, true);
  }
  return *this;
}

Child::~Child() {
  kill_and_reap();
}

void Child::kill_and_reap() {
  if (pid_ > 0 && !reaped_) {
    syscall(SYS_pidfd_send_signal, pidfd_.get(), SIGKILL, nullptr, 0);
    int status = 0;
    while (waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
    }
    reaped_ = true;
  }
}

ExitStatus Child::wait(std::chrono::milliseconds timeout) {
  pollfd entry{pidfd_.get(), POLLIN, 0};
  int ready;
  do {
    ready = poll(&entry, 1, static_cast<int>(timeout.count()));
  } while (ready < 0 && errno == EINTR);
  bool timed_out = ready == 0;
  if (timed_out) syscall(SYS_pidfd_send_signal, pidfd_.get(), SIGKILL, nullptr, 0);
  int status = 0;
  while (waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
  }
  reaped_ = true;
  ExitStatus result = from_wait_status(status);
  result.timed_out = timed_out;
  return result;
}

Result<Child> spawn(const std::vector<std::string>& argv, const SpawnOptions& options) {
  if (argv.empty()) return Error::msg("spawn: empty command");
  Fd devnull(open("/dev/null", O_RDWR | O_CLOEXEC));
  if (!devnull) return Error::from_errno("open /dev/null");
  auto args = pointers(argv);
  auto envp = pointers(options.env);
  pid_t pid = fork();
  if (pid < 0) return Error::from_errno("fork for " + argv[0]);
  if (pid == 0) exec_child(args, envp, options, devnull.get());
  int pidfd = static_cast<int>(syscall(SYS_pidfd_open, pid, 0));
  if (pidfd < 0) {
    int err = errno;
    kill(pid, SIGKILL);
    waitpid(pid, nullptr, 0);
    return Error::from_errno("pidfd_open for " + argv[0], err);
  }
  return Child(pid, Fd(pidfd));
}

Result<Timed> run_timed(const std::vector<std::string>& argv, const SpawnOptions& options,
                        std::chrono::milliseconds timeout) {
  auto start = Clock::now();
  Child child = BURROW_TRY(spawn(argv, options));
  Timed timed;
  timed.status = child.wait(timeout);
  timed.ms = std::chrono::duration<double, std::milli>(Clock::now() - start).count();
  return timed;
}

Result<Fd> make_mount_namespace(bool hide_cgroup2) {
  int ready[2], done[2];
  if (pipe2(ready, O_CLOEXEC) != 0) return Error::from_errno("pipe");
  Fd ready_read(ready[0]), ready_write(ready[1]);
  if (pipe2(done, O_CLOEXEC) != 0) return Error::from_errno("pipe");
  Fd done_read(done[0]), done_write(done[1]);
  std::vector<std::string> hidden;
  if (hide_cgroup2) {
    std::ifstream mounts("/proc/self/mounts");
    for (std::string line; std::getline(mounts, line);) {
      std::istringstream words(line);
      std::string source, target, type;
      words >> source >> target >> type;
      if (type == "cgroup2" && target.rfind("/sys/fs/cgroup/", 0) == 0) hidden.push_back(target);
    }
  }
  pid_t pid = fork();
  if (pid < 0) return Error::from_errno("fork for a mount namespace");
  if (pid == 0) {
    done_write.reset();  // else the read below never sees the parent's end close
    ready_read.reset();
    char status = 0;
    if (unshare(CLONE_NEWNS) != 0 ||
        mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr) != 0) {
      status = static_cast<char>(errno);
    }
    for (const auto& target : hidden) {
      if (status == 0 && umount2(target.c_str(), MNT_DETACH) != 0)
        status = static_cast<char>(errno);
    }
    (void)!write(ready_write.get(), &status, 1);
    char byte;
    (void)!read(done_read.get(), &byte, 1);
    _exit(0);
  }
  ready_write.reset();
  done_read.reset();
  char status = 1;
  Result<Fd> result = Error::msg("mount namespace helper ended early");
  if (read(ready_read.get(), &status, 1) == 1) {
    if (status != 0) {
      result = Error::from_errno("unshare a private mount namespace", status);
    } else {
      std::string path = "/proc/" + std::to_string(pid) + "/ns/mnt";
      int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
      result = fd >= 0 ? Result<Fd>(Fd(fd)) : Result<Fd>(Error::from_errno("open " + path));
    }
  }
  done_write.reset();
  while (waitpid(pid, nullptr, 0) < 0 && errno == EINTR) {
  }
  return result;
}

}  // namespace burrow::bench
