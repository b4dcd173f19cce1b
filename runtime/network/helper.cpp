#include "network/helper.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstring>
#include <fstream>

#include <nlohmann/json.hpp>

#include "base/syscalls.hpp"
#include "network/helper_args.hpp"
#include "network/process_tools.hpp"
#include "state/status.hpp"

namespace burrow::network::detail {
namespace {

constexpr int kReadyTimeoutMs = 10000;
constexpr int kStopGraceMs = 2000;

struct ChildFds {
  int ready = -1;  // write end, slirp4netns only
  int exit = -1;   // read end, slirp4netns only
};

// In the forked child: arrange fds 0-2 and 3.., then exec. Never returns.
[[noreturn]] void exec_helper(const HelperContext& context, ChildFds child) {
  std::vector<int> keep{context.netns_fd, context.userns_fd, child.ready, child.exit,
                        context.log_fd};
  if (!keep_only_fds(keep)) ::_exit(126);
  int log = keep[4];
  int null = ::open("/dev/null", O_RDONLY);
  if (null < 0 || ::dup2(null, 0) < 0 || ::dup2(log, 1) < 0 || ::dup2(log, 2) < 0) ::_exit(126);
  ::close(null);
  ::close(log);
  reset_signals();
  // slirp4netns follows the watcher if it is killed (pasta's daemon does not inherit this).
  (void)::prctl(PR_SET_PDEATHSIG, SIGKILL);
  HelperFds fds{keep[0], keep[1], keep[2], keep[3]};
  HelperPaths paths{context.binary, context.state_dir + "/pasta.pid",
                    context.state_dir + "/pasta.log", context.state_dir + "/slirp4netns.sock"};
  std::vector<std::string> args =
      context.config->mode == Mode::pasta
          ? pasta_args(*context.config, fds, paths, ::geteuid(), ::getegid())
          : slirp4netns_args(*context.config, fds, paths, ::geteuid() == 0);
  std::vector<char*> argv;
  for (auto& arg : args) argv.push_back(arg.data());
  argv.push_back(nullptr);
  ::execv(context.binary.c_str(), argv.data());
  std::fprintf(stderr, "exec %s: %s\n", context.binary.c_str(), std::strerror(errno));
  ::_exit(127);
}

Result<Helper> fork_helper(const HelperContext& context, ChildFds child) {
  pid_t pid = ::fork();
  if (pid < 0) return Error::from_errno("fork");
  if (pid == 0) exec_helper(context, child);
  Helper helper;
  helper.pid = pid;
  auto pidfd = sys::pidfd_open(pid);  // our unreaped child: the pid cannot be recycled
  if (!pidfd) {
    ::kill(pid, SIGKILL);
    ::waitpid(pid, nullptr, 0);
    return std::move(pidfd).error();
  }
  helper.pidfd = std::move(*pidfd);
  return helper;
}

std::string exit_description(pid_t pid) {
  int status = 0;
  if (::waitpid(pid, &status, 0) < 0) return "vanished";
  if (WIFEXITED(status)) return "exited with status " + std::to_string(WEXITSTATUS(status));
  return "killed by signal " + std::to_string(WTERMSIG(status));
}

Error helper_failed(const HelperContext& context, const std::string& how) {
  std::string last = last_log_line(log_path(context.state_dir));
  return Error::msg(std::string(mode_name(context.config->mode)) + " " + how +
                    (last.empty() ? "" : ": " + last));
}

// One request on slirp4netns's API socket; the reply is {"return":{...}} or {"error":{...}}.
Status slirp4netns_request(const std::string& socket_path, const PortForward& forward) {
  std::string request = slirp4netns_forward_request(forward);
  Fd socket(::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
  if (!socket) return Error::from_errno("socket");
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  if (socket_path.size() >= sizeof(address.sun_path))
    return Error::msg("API socket path too long: " + socket_path, ENAMETOOLONG);
  std::strcpy(address.sun_path, socket_path.c_str());
  if (::connect(socket.get(), reinterpret_cast<sockaddr*>(&address), sizeof(address)) < 0)
    return Error::from_errno("connect " + socket_path);
  if (::write(socket.get(), request.data(), request.size()) != static_cast<ssize_t>(request.size()))
    return Error::from_errno("write API request");
  (void)::shutdown(socket.get(), SHUT_WR);
  std::string reply;
  char buffer[512];
  for (ssize_t got; (got = ::read(socket.get(), buffer, sizeof(buffer))) > 0;)
    reply.append(buffer, static_cast<size_t>(got));
  nlohmann::json parsed = nlohmann::json::parse(reply, nullptr, false);
  if (parsed.is_object() && parsed.contains("return")) return {};
  std::string why = reply;
  if (parsed.is_object() && parsed["error"].is_object() && parsed["error"]["desc"].is_string())
    why = parsed["error"]["desc"].get<std::string>();
  return Error::msg(std::string("slirp4netns: port forward ") + protocol_name(forward.protocol) +
                    ":" + forward.host_address + ":" + std::to_string(forward.host_port) + ":" +
                    std::to_string(forward.container_port) + ": " + why);
}

Status add_slirp4netns_forwards(const HelperContext& context) {
  std::string socket_path = context.state_dir + "/slirp4netns.sock";
  for (const PortForward& forward : context.config->ports)
    BURROW_TRY(slirp4netns_request(socket_path, forward));
  // Nothing more is added: no one else gets to change the forwards.
  (void)::unlink(socket_path.c_str());
  return {};
}

Result<Helper> start_slirp4netns(const HelperContext& context) {
  int ready[2], exit[2];
  if (::pipe2(ready, O_CLOEXEC) < 0) return Error::from_errno("pipe");
  Fd ready_read(ready[0]), ready_write(ready[1]);
  if (::pipe2(exit, O_CLOEXEC) < 0) return Error::from_errno("pipe");
  Fd exit_read(exit[0]), exit_write(exit[1]);
  Helper helper = BURROW_TRY(fork_helper(context, {ready_write.get(), exit_read.get()}));
  ready_write.reset();
  exit_read.reset();
  helper.exit_fd = std::move(exit_write);
  struct pollfd waits[2] = {{ready_read.get(), POLLIN, 0}, {helper.pidfd.get(), POLLIN, 0}};
  int polled = ::poll(waits, 2, kReadyTimeoutMs);
  char byte = 0;
  if (polled > 0 && (waits[0].revents & POLLIN) && ::read(ready_read.get(), &byte, 1) == 1) {
    if (auto added = add_slirp4netns_forwards(context); !added) {
      stop_helper(helper);
      return std::move(added).error();
    }
    return helper;
  }
  if (polled == 0) {
    stop_helper(helper);
    return helper_failed(context,
                         "not ready after " + std::to_string(kReadyTimeoutMs / 1000) + " s");
  }
  (void)wait_exited(helper.pidfd.get(), kReadyTimeoutMs);
  return helper_failed(context, exit_description(helper.pid));
}

// pasta's foreground process exits once the namespace is configured, leaving its daemon (now our
// child: we are a subreaper) whose pid it wrote to the pid file.
Result<Helper> start_pasta(const HelperContext& context) {
  Helper foreground = BURROW_TRY(fork_helper(context, {}));
  if (!wait_exited(foreground.pidfd.get(), kReadyTimeoutMs)) {
    stop_helper(foreground);
    return helper_failed(context,
                         "not ready after " + std::to_string(kReadyTimeoutMs / 1000) + " s");
  }
  std::string how = exit_description(foreground.pid);
  if (how != "exited with status 0") return helper_failed(context, how);
  std::ifstream pid_file(context.state_dir + "/pasta.pid");
  pid_t pid = -1;
  if (!(pid_file >> pid) || pid <= 0) return helper_failed(context, "wrote no pid file");
  auto stat = state::read_proc_stat(pid);
  std::ifstream status("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  pid_t parent = -1;
  while (std::getline(status, line))
    if (line.rfind("PPid:", 0) == 0) parent = static_cast<pid_t>(std::stol(line.substr(5)));
  if (!stat || parent != ::getpid())
    return helper_failed(context, "daemon " + std::to_string(pid) + " is not ours");
  Helper helper;
  helper.pid = pid;
  helper.pidfd = BURROW_TRY(sys::pidfd_open(pid));
  return helper;
}

}  // namespace

std::string log_path(const std::string& state_dir) {
  return state_dir + "/network.log";
}

Result<Helper> start_helper(const HelperContext& context) {
  if (context.config->mode == Mode::pasta) return start_pasta(context);
  return start_slirp4netns(context);
}

void stop_helper(Helper& helper) {
  if (helper.pid <= 0) return;
  helper.exit_fd.reset();
  terminate(helper.pidfd.get(), kStopGraceMs);
  ::waitpid(helper.pid, nullptr, 0);
  helper.pid = -1;
}

}  // namespace burrow::network::detail
