// burrow ps: the container's processes as its cgroup lists them. `--format json` prints the pid
// array; the table runs the host's `ps` (with the given options, default -ef) and keeps its
// header and the lines whose PID column is one of the container's, as runc does.
#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <sstream>

#include "base/fd.hpp"
#include "base/file.hpp"
#include "cgroups/manager.hpp"
#include "container/cgroup_ops.hpp"
#include "container/loaded.hpp"
#include "container/operations.hpp"

extern char** environ;

namespace burrow::container {
namespace {

// `ps args...` with stdout and stderr captured.
Result<std::string> run_ps(const std::vector<std::string>& args) {
  int pipefd[2];
  if (::pipe2(pipefd, O_CLOEXEC) < 0) return Error::from_errno("pipe");
  Fd read_end(pipefd[0]), write_end(pipefd[1]);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, write_end.get(), STDOUT_FILENO);
  posix_spawn_file_actions_adddup2(&actions, write_end.get(), STDERR_FILENO);
  std::vector<std::string> argv_text = {"ps"};
  argv_text.insert(argv_text.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (auto& a : argv_text) argv.push_back(a.data());
  argv.push_back(nullptr);
  pid_t pid = 0;
  int err = ::posix_spawnp(&pid, "ps", &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (err != 0) return Error::from_errno("run ps", err);
  write_end.reset();
  auto output = file::read_fd(read_end.get(), "ps output");
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (!output) return std::move(output).error();
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    return Error::msg("ps failed (status " + std::to_string(status) + "): " + *output);
  }
  return *output;
}

}  // namespace

Result<std::string> ps_table(const std::string& ps_output, const std::vector<pid_t>& pids) {
  std::istringstream lines(ps_output);
  std::string header;
  std::getline(lines, header);
  std::istringstream titles(header);
  int pid_index = -1;
  std::string title;
  for (int i = 0; titles >> title; ++i) {
    if (title == "PID") {
      pid_index = i;
      break;
    }
  }
  if (pid_index < 0) return Error::msg("couldn't find PID field in ps output");
  std::string out = header + "\n";
  for (std::string line; std::getline(lines, line);) {
    if (line.empty()) continue;
    std::istringstream fields(line);
    std::string field;
    for (int i = 0; i <= pid_index && fields >> field; ++i) {
    }
    pid_t pid = static_cast<pid_t>(std::strtol(field.c_str(), nullptr, 10));
    if (std::find(pids.begin(), pids.end(), pid) != pids.end()) out += line + "\n";
  }
  return out;
}

Result<std::string> ps(const GlobalOptions& global, const PsOptions& options) {
  state::StateStore store(global.root);
  std::vector<pid_t> pids;
  {
    LoadedContainer container = BURROW_TRY(load_container(store, options.id));
    auto manager = BURROW_TRY(load_cgroups(container.state));
    pids = BURROW_TRY(manager->pids());
  }
  if (options.json) {
    nlohmann::json list = nlohmann::json::array();
    for (pid_t pid : pids) list.push_back(pid);
    return list.dump();
  }
  std::vector<std::string> args = options.ps_args;
  if (args.empty()) args = {"-ef"};
  std::string output = BURROW_TRY(run_ps(args));
  return ps_table(output, pids);
}

}  // namespace burrow::container
