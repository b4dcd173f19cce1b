#include <fcntl.h>
#include <sys/stat.h>

#include <cstdio>
#include <string>
#include <variant>
#include <vector>

#include "cli/cli.hpp"
#include "cli/parse.hpp"
#include "linux/fds.hpp"
#include "process/sealed_binary.hpp"

namespace {

// Commands that leave a process of ours inside a container run from a sealed view of the binary
// (CVE-2019-5736); the others (state, kill, list, ...) need not pay for it. A command line
// that does not parse goes straight to the CLI, which reports the error.
// Returns the state root (overlayfs's spare layer for the sealed view, when it exists) through
// `state_root`.
bool creates_container_processes(int argc, char** argv, std::string* state_root) {
  auto parsed = burrow::cli::parse_global_options(std::vector<std::string>(argv + 1, argv + argc));
  if (!parsed || parsed->rest.empty()) return false;
  const std::string& command = parsed->rest.front();
  struct stat st {};
  if (::stat(parsed->global.root.c_str(), &st) == 0 && S_ISDIR(st.st_mode))
    *state_root = parsed->global.root;
  return command == "create" || command == "run" || command == "exec";
}

// --preserve-fds N passes the caller's fds 3..3+N-1 into the container. Checked before burrow
// opens anything: a number the caller left closed would otherwise be taken by one of burrow's
// own fds (its log, the state directory's lock) and that fd would reach the container.
bool preserved_fds_are_open(int argc, char** argv) {
  auto parsed = burrow::cli::parse_command_line(std::vector<std::string>(argv + 1, argv + argc));
  if (!parsed) return true;  // the CLI reports the parse error
  unsigned preserved = 0;
  // create and run pass systemd's socket-activation fds too, ahead of the preserved ones.
  if (auto* create = std::get_if<burrow::container::CreateOptions>(&parsed->command))
    preserved = burrow::linux::socket_activation_fds() + create->preserve_fds;
  if (auto* run = std::get_if<burrow::container::RunOptions>(&parsed->command))
    preserved = burrow::linux::socket_activation_fds() + run->create.preserve_fds;
  if (auto* exec = std::get_if<burrow::container::ExecOptions>(&parsed->command))
    preserved = exec->preserve_fds;
  for (unsigned fd = 3; fd < 3 + preserved; ++fd) {
    if (::fcntl(static_cast<int>(fd), F_GETFD) < 0) {
      std::fprintf(stderr, "--preserve-fds %u: fd %u is not open\n", preserved, fd);
      return false;
    }
  }
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  if (!preserved_fds_are_open(argc, argv)) return 1;
  std::string state_root;
  if (creates_container_processes(argc, argv, &state_root)) {
    auto sealed = burrow::process::reexec_from_sealed_copy(argv, state_root);
    if (!sealed) {
      std::fprintf(stderr, "%s\n", sealed.error().message.c_str());
      return 1;
    }
  }
  return burrow::cli::main(argc, argv);
}
