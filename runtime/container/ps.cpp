// burrow ps: the processes in the container's cgroup. json: their host pids as a JSON array
// (`null` when there are none, as runc's Go encoder writes an empty list); table: the host's
// `ps` with the given options (default -ef), keeping its header and the rows of those pids.
#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "base/fd.hpp"
#include "container/cgroup_ops.hpp"
#include "container/loaded.hpp"
#include "container/operations.hpp"
#include "container/ps_table.hpp"

namespace burrow::container {
namespace {

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
  return filter_ps_rows(output, pids);
}

}  // namespace burrow::container
