#include <cstdio>
#include <string>
#include <vector>

#include "cli/cli.hpp"
#include "cli/parse.hpp"
#include "process/sealed_binary.hpp"

namespace {

// Commands that leave a process of ours inside a container run from a sealed copy of the binary
// (CVE-2019-5736); the others (state, kill, list, ...) need not pay for the copy. A command line
// that does not parse goes straight to the CLI, which reports the error.
bool creates_container_processes(int argc, char** argv) {
  auto parsed = burrow::cli::parse_global_options(std::vector<std::string>(argv + 1, argv + argc));
  if (!parsed || parsed->rest.empty()) return false;
  const std::string& command = parsed->rest.front();
  return command == "create" || command == "run" || command == "exec";
}

}  // namespace

int main(int argc, char** argv) {
  if (creates_container_processes(argc, argv)) {
    auto sealed = burrow::process::reexec_from_sealed_copy(argv);
    if (!sealed) {
      std::fprintf(stderr, "%s\n", sealed.error().message.c_str());
      return 1;
    }
  }
  return burrow::cli::main(argc, argv);
}
