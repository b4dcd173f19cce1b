// burrow ps: the processes in the container's cgroup. json: their host pids as a JSON array
// (`null` when there are none, as runc's Go encoder writes an empty list); table: the host's
// `ps` with the given options (default -ef), keeping its header and the rows of those pids.
#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <sstream>

#include "base/fd.hpp"
#include "container/cgroup_ops.hpp"
#include "container/loaded.hpp"
#include "container/operations.hpp"

namespace burrow::container {
namespace {

std::string pids_json(const std::vector<pid_t>& pids) {
  if (pids.empty()) return "null";
  std::string text = "[";
  for (pid_t pid : pids) text += (text.size() > 1 ? "," : "") + std::to_string(pid);
  return text + "]";
}

// Runs `ps args...` from PATH; its stdout and stderr together, as runc reads them.
Result<std::string> run_host_ps(const std::vector<std::string>& args) {
  int pipe_fds[2];
  if (::pipe2(pipe_fds, O_CLOEXEC) < 0) return Error::from_errno("pipe");
  Fd reader(pipe_fds[0]), writer(pipe_fds[1]);
  pid_t child = ::fork();
  if (child < 0) return Error::from_errno("fork ps");
  if (child == 0) {
    ::dup2(writer.get(), STDOUT_FILENO);
    ::dup2(writer.get(), STDERR_FILENO);
    std::vector<char*> argv{const_cast<char*>("ps")};
    for (const auto& arg : args) argv.push_back(const_cast<char*>(arg.c_str()));
    argv.push_back(nullptr);
    ::execvp("ps", argv.data());
    ::_exit(127);
  }
  writer.reset();
  std::string output;
  char buffer[4096];
  for (;;) {
    ssize_t n = ::read(reader.get(), buffer, sizeof(buffer));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    output.append(buffer, static_cast<size_t>(n));
  }
  int status = 0;
  while (::waitpid(child, &status, 0) < 0 && errno == EINTR) {
  }
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    std::string how = WIFEXITED(status) ? "exit status " + std::to_string(WEXITSTATUS(status))
                                        : "signal " + std::to_string(WTERMSIG(status));
    return Error::msg(how + ": " + output);
  }
  return output;
}

Result<std::string> filter_rows(const std::string& output, const std::vector<pid_t>& pids) {
  std::istringstream lines(output);
  std::string header;
  std::getline(lines, header);
  std::istringstream titles(header);
  size_t pid_column = 0;
  bool found = false;
  for (std::string title; titles >> title; ++pid_column) {
    if (title == "PID") {
      found = true;
      break;
    }
  }
  if (!found) return Error::msg("couldn't find PID field in ps output");
  std::string text = header + "\n";
  for (std::string line; std::getline(lines, line);) {
    if (line.empty()) continue;
    std::istringstream fields(line);
    std::string field;
    for (size_t i = 0; i <= pid_column && fields >> field; ++i) {
    }
    char* end = nullptr;
    long pid = std::strtol(field.c_str(), &end, 10);
    if (field.empty() || *end != '\0') return Error::msg("unable to parse pid: " + field);
    if (std::find(pids.begin(), pids.end(), static_cast<pid_t>(pid)) != pids.end())
      text += line + "\n";
  }
  return text;
}

}  // namespace

Result<std::string> ps(const GlobalOptions& global, const PsOptions& options) {
  state::StateStore store(global.root);
  std::vector<pid_t> pids;
  {
    LoadedContainer container = BURROW_TRY(load_container(store, options.id));
    pids = BURROW_TRY(container_pids(container.state));
  }
  if (options.format == PsFormat::json) return pids_json(pids);
  std::vector<std::string> args = options.ps_args;
  if (args.empty()) args = {"-ef"};
  std::string output = BURROW_TRY(run_host_ps(args));
  return filter_rows(output, pids);
}

}  // namespace burrow::container
