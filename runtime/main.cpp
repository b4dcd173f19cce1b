#include <cstdio>
#include <cstring>
#include <string_view>

#include "cli/cli.hpp"
#include "process/sealed_binary.hpp"

namespace {

// Commands that leave a process of ours inside a container. They run from a sealed copy of the
// binary (CVE-2019-5736); the others (state, kill, list, ...) need not pay for the copy.
bool creates_container_processes(int argc, char** argv) {
  static constexpr std::string_view kValueFlags[] = {"--root", "--log", "--log-format",
                                                     "--rootless", "--criu"};
  for (int i = 1; i < argc; ++i) {
    std::string_view arg = argv[i];
    if (arg == "--") return false;
    if (!arg.starts_with('-')) return arg == "create" || arg == "run" || arg == "exec";
    if (arg.find('=') != std::string_view::npos) continue;
    for (std::string_view flag : kValueFlags) {
      if (arg == flag || flag.substr(1) == arg) {  // --root or -root
        ++i;
        break;
      }
    }
  }
  return false;
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
