#include "gitlab/commands.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/signalfd.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstring>
#include <filesystem>
#include <iostream>

#include "base/file.hpp"
#include "base/syscalls.hpp"
#include "gitlab/config_output.hpp"
#include "gitlab/pod_holder.hpp"
#include "gitlab/pod_record.hpp"
#include "gitlab/stages.hpp"
#include "io/event_loop.hpp"
#include "pod/job_dir.hpp"
#include "pod/signal_processes.hpp"
#include "run/cleanup.hpp"
#include "runtime_client/runtime_client.hpp"

namespace burrow::shim::gitlab {
namespace {

using namespace std::chrono_literals;

// An error for the job log (the runner shows the driver's stderr there).
int system_failure(const ExitCodes& codes, const std::string& message) {
  std::fprintf(stderr, "ERROR: burrow-shim: %s\n", message.c_str());
  return codes.system_failure;
}

std::string job_dir(const DriverOptions& options, const std::string& key) {
  return options.pod.scratch_root + "/" + key;
}

// Waits up to `patience` for the process behind `pidfd` to end.
bool ended_within(int pidfd, std::chrono::milliseconds patience) {
  struct pollfd watched = {pidfd, POLLIN, 0};
  int ready;
  while ((ready = ::poll(&watched, 1, static_cast<int>(patience.count()))) < 0 && errno == EINTR) {
  }
  return ready > 0;
}

// Ends the job's pod holder (if it lives) and removes what is left of its job dir.
Status remove_job(const DriverOptions& options, const std::string& key) {
  std::string dir = job_dir(options, key);
  std::error_code ec;
  if (!std::filesystem::exists(dir, ec)) return {};
  if (auto owner = pod::read_owner(dir); owner && pod::owner_alive(*owner)) {
    auto pidfd = sys::pidfd_open(owner->pid);
    // Checked again through the pidfd's process: a pid reused since is never signalled.
    if (pidfd && pod::owner_alive(*owner)) {
      (void)sys::pidfd_send_signal(pidfd->get(), SIGTERM);
      if (!ended_within(pidfd->get(), options.stop_patience)) {
        std::fprintf(stderr,
                     "WARNING: burrow-shim: the pod holder of job %s did not end in %lld s: "
                     "killing it\n",
                     key.c_str(), static_cast<long long>(options.stop_patience.count()));
        (void)sys::pidfd_send_signal(pidfd->get(), SIGKILL);
        (void)ended_within(pidfd->get(), 10s);
      }
    }
  }
  if (!std::filesystem::exists(dir, ec)) return {};
  // The holder died without its teardown (killed): what a killed shim leaves, removed alike.
  if (auto removed = run::remove_job_dir(dir, options.pod.runtime_binary); !removed)
    return std::move(removed).error().wrap("remove " + dir);
  return {};
}

// Relays the holder's report lines to our stdout; true once it said it is ready.
bool relay_report(int report, pid_t holder, std::string* failure) {
  auto signals = io::make_signalfd({SIGTERM, SIGINT});
  struct pollfd watched[2] = {{report, POLLIN, 0}, {signals ? signals->get() : -1, POLLIN, 0}};
  std::string buffer;
  bool ready = false;
  for (;;) {
    if (::poll(watched, 2, -1) < 0) {
      if (errno == EINTR) continue;
      break;
    }
    if (watched[1].revents) {
      struct signalfd_siginfo info {};
      // The runner gave up on prepare: the holder stops and tears down what it made.
      if (::read(signals->get(), &info, sizeof info) > 0) ::kill(holder, SIGTERM);
    }
    if (!watched[0].revents) continue;
    char chunk[4096];
    ssize_t got = ::read(report, chunk, sizeof chunk);
    if (got < 0 && errno == EINTR) continue;
    if (got <= 0) break;
    buffer.append(chunk, static_cast<size_t>(got));
    for (size_t newline; (newline = buffer.find('\n')) != std::string::npos;) {
      std::string line = buffer.substr(0, newline);
      buffer.erase(0, newline + 1);
      if (line == kReady) {
        ready = true;
      } else if (line.rfind("failed ", 0) == 0) {
        *failure = line.substr(7);
      } else if (line.rfind("say ", 0) == 0) {
        std::string text = line.substr(4);
        for (auto& c : text) {
          if (c == '\r') c = '\n';
        }
        std::cout << text << std::endl;
      }
    }
  }
  return ready;
}

}  // namespace

int config_command(const Environment& env, const DriverOptions& options,
                   const std::string& version) {
  DriverConfig config;
  config.builds_dir = options.builds_dir;
  config.cache_dir = options.cache_dir;
  config.hostname = pod_hostname(env);
  config.version = version;
  std::cout << config_json(config).dump() << std::endl;
  return 0;
}

int prepare_command(const Environment& env, const DriverOptions& options) {
  ExitCodes codes = exit_codes(env);
  auto key = job_key(env);
  if (!key) return system_failure(codes, key.error().message);
  // An earlier attempt of this job's prepare (the runner retries it) left its pod: not reused.
  if (auto removed = remove_job(options, *key); !removed)
    return system_failure(codes, removed.error().message);
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) < 0) return system_failure(codes, Error::from_errno("pipe").message);
  Fd report_read(fds[0]);
  Fd report_write(fds[1]);
  std::cout.flush();
  pid_t holder = ::fork();
  if (holder < 0) return system_failure(codes, Error::from_errno("fork").message);
  if (holder == 0) {
    // The holder outlives this call: a session of its own (the runner's kill of prepare's
    // process group does not reach it) and none of the runner's pipes (the runner waits for
    // their end of file).
    report_read.reset();
    ::setsid();
    if (::chdir("/") < 0) ::_exit(1);
    int null = ::open("/dev/null", O_RDWR);
    for (int fd = 0; fd <= 2; ++fd) ::dup2(null, fd);
    if (null > 2) ::close(null);
    ::_exit(hold_pod(env, options, *key, std::move(report_write)));
  }
  report_write.reset();
  std::string failure;
  if (relay_report(report_read.get(), holder, &failure)) return 0;
  // The holder tears down what it made, then ends: nothing of the job stays behind.
  int status = 0;
  while (::waitpid(holder, &status, 0) < 0 && errno == EINTR) {
  }
  if (failure.empty()) failure = "system";
  std::fprintf(stderr, "ERROR: burrow-shim: the job's pod could not be prepared (%s failure)\n",
               failure.c_str());
  return codes.system_failure;
}

namespace {

// The container a stage runs in, found from the job dir.
struct StageContainer {
  Member member;
  pid_t init = 0;  // its first process (burrow-pod-init), for its mount namespace
};

Result<StageContainer> find_stage_container(const DriverOptions& options, const std::string& key,
                                            Target target) {
  std::string dir = job_dir(options, key);
  auto text = file::read(dir + "/gitlab.json");
  if (!text)
    return Error::msg("no pod for job " + key + " under " + options.pod.scratch_root +
                      " (did prepare succeed?)");
  PodRecord record = BURROW_TRY(parse_pod_record(*text, dir + "/gitlab.json"));
  auto owner = pod::read_owner(dir);
  if (!owner || !pod::owner_alive(*owner))
    return Error::msg("the pod of job " + key + " is gone (its holder ended)");
  StageContainer found{target == Target::kJob ? record.job : record.helper, 0};
  if (auto pid = file::read(dir + "/" + std::string(target_name(target)) + "/pid"))
    found.init = static_cast<pid_t>(std::atol(pid->c_str()));
  return found;
}

struct StageEnd {
  runtime::ExitStatus status;
  bool cancelled = false;
};

// Waits for `exec` (burrow exec of the stage's shell, whose pid it writes to `pid_file`). A
// SIGTERM/SIGINT (the runner's cancel or timeout) goes to the stage's processes, SIGKILL after
// `grace`; when the shell ends, what it left in the background is killed (it would hold the
// runner's output pipes open).
Result<StageEnd> wait_for_stage(runtime::Child& exec, int signals, pid_t init,
                                const std::string& pid_file, std::chrono::seconds grace) {
  // The stage's processes: its shell's session in the container (burrow exec makes one).
  auto signal_stage = [&](int signal) {
    auto pid = file::read(pid_file);
    pid_t session = pid ? static_cast<pid_t>(std::atol(pid->c_str())) : 0;
    if (init > 0) (void)pod::signal_session(init, session, signal);
  };
  StageEnd end;
  Fd timer;
  for (;;) {
    struct pollfd watched[3] = {
        {exec.pidfd(), POLLIN, 0}, {signals, POLLIN, 0}, {timer ? timer.get() : -1, POLLIN, 0}};
    if (::poll(watched, 3, -1) < 0) {
      if (errno == EINTR) continue;
      return Error::from_errno("poll");
    }
    if (watched[0].revents) break;
    struct signalfd_siginfo info {};
    if (watched[1].revents && ::read(signals, &info, sizeof info) > 0 && !end.cancelled) {
      end.cancelled = true;
      std::fprintf(stderr, "burrow-shim: %s: stopping the stage\n",
                   ::strsignal(static_cast<int>(info.ssi_signo)));
      signal_stage(SIGTERM);
      (void)exec.signal(SIGTERM);
      timer = BURROW_TRY(io::make_timer(grace));
    }
    if (watched[2].revents) {
      timer.reset();
      signal_stage(SIGKILL);
      (void)exec.signal(SIGKILL);
    }
  }
  auto status = BURROW_TRY(exec.wait());
  signal_stage(SIGKILL);
  if (!status) return Error::msg("burrow exec did not end");
  end.status = *status;
  return end;
}

}  // namespace

int run_command(const Environment& env, const DriverOptions& options, const std::string& script,
                const std::string& stage) {
  ExitCodes codes = exit_codes(env);
  auto key = job_key(env);
  if (!key) return system_failure(codes, key.error().message);
  auto target = stage_target(stage);
  if (!target) return system_failure(codes, target.error().message);
  auto container = find_stage_container(options, *key, *target);
  if (!container) return system_failure(codes, container.error().message);
  Fd script_fd(::open(script.c_str(), O_RDONLY | O_CLOEXEC));
  if (!script_fd) return system_failure(codes, Error::from_errno("open " + script).message);
  std::string logs = job_dir(options, *key) + "/logs/run-" + std::to_string(::getpid());
  if (auto made = file::mkdir_all(logs, 0700); !made)
    return system_failure(codes, made.error().message);
  runtime::RuntimeClient runtime(options.pod.runtime_binary, job_dir(options, *key) + "/state",
                                 logs);
  auto signals = io::make_signalfd({SIGTERM, SIGINT});
  if (!signals) return system_failure(codes, signals.error().message);
  const Member& member = container->member;
  std::string pid_file = logs + "/exec.pid";
  auto exec = runtime.exec_args(member.id, {"--pid-file", pid_file}, {member.shell},
                                runtime::Stdio{script_fd.get(), STDOUT_FILENO, STDERR_FILENO});
  if (!exec) return system_failure(codes, exec.error().message);
  script_fd.reset();
  auto end = wait_for_stage(*exec, signals->get(), container->init, pid_file, options.pod.grace);
  if (!end) return system_failure(codes, "stage " + stage + ": " + end.error().message);
  int code = end->status.shell_code();
  if (std::string why = runtime.logged_error(member.id, "exec"); code == 255 && !why.empty())
    return system_failure(codes, "stage " + stage + ": " + why);
  if (code == 0 && !end->cancelled) return 0;
  if (!codes.build_exit_code_file.empty()) {
    if (auto written =
            file::write_atomic(codes.build_exit_code_file, std::to_string(code) + "\n", 0600);
        !written)
      std::fprintf(stderr, "WARNING: burrow-shim: %s\n", written.error().message.c_str());
  }
  return codes.build_failure;
}

int cleanup_command(const Environment& env, const DriverOptions& options) {
  ExitCodes codes = exit_codes(env);
  auto key = job_key(env);
  if (!key) return system_failure(codes, key.error().message);
  if (auto removed = remove_job(options, *key); !removed)
    return system_failure(codes, removed.error().message);
  return 0;
}

}  // namespace burrow::shim::gitlab
