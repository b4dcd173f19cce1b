#include "dind/dind_images.hpp"

#include <unistd.h>

#include <filesystem>
#include <iostream>

#include "harness/command.hpp"

namespace integration::dind {

using namespace std::chrono_literals;
namespace fs = std::filesystem;

const Images& dind_images(const std::string& dir) {
  static const Images built = [&dir] {
    Images result;
    fs::create_directories(dir);
    result.dind = dir + "/dind.tar";
    result.cli = dir + "/cli.tar";
    const std::string script = BURROW_SOURCE_DIR "/scripts/make-dind-image";
    // Test processes run at once: each has output files of its own.
    const std::string logs = dir + "/make-" + std::to_string(::getpid()) + "-";
    Command dind({script, result.dind}, logs + "dind.out", logs + "dind.err");
    Command cli({script, "--cli", result.cli}, logs + "cli.out", logs + "cli.err");
    // A cold build downloads and installs ~100 packages: minutes on a small machine.
    for (auto* made : {&dind, &cli}) {
      CommandResult outcome = made->wait(900s);
      std::cerr << outcome.out;
      if (outcome.exit_code == 3) {
        result.skip = outcome.err;
      } else if (outcome.exit_code != 0 && result.error.empty()) {
        result.error = "scripts/make-dind-image: " + outcome.describe();
      }
    }
    for (const char* file : {"dind.out", "dind.err", "cli.out", "cli.err"}) fs::remove(logs + file);
    return result;
  }();
  return built;
}

}  // namespace integration::dind
