#include "runner/runtime.hpp"

#include <unistd.h>

#include <algorithm>
#include <set>
#include <sstream>

namespace burrow::bench {

namespace {

bool valid_name(const std::string& name) {
  return !name.empty() && std::all_of(name.begin(), name.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.';
  });
}

std::string find_on_path(const std::string& name, const std::string& search_path) {
  std::istringstream dirs(search_path);
  for (std::string dir; std::getline(dirs, dir, ':');) {
    std::string candidate = dir + "/" + name;
    if (access(candidate.c_str(), X_OK) == 0) return candidate;
  }
  return {};
}

std::string base_name(const std::string& path) {
  auto slash = path.rfind('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

}  // namespace

std::vector<std::string> Runtime::command(const std::string& root,
                                          const std::vector<std::string>& subcommand) const {
  std::vector<std::string> argv{path};
  argv.insert(argv.end(), args.begin(), args.end());
  argv.insert(argv.end(), {"--root", root});
  argv.insert(argv.end(), subcommand.begin(), subcommand.end());
  return argv;
}

Result<Runtime> parse_runtime(const std::string& text, const RuntimeDefaults& defaults) {
  Runtime runtime;
  auto equals = text.find('=');
  runtime.name = text.substr(0, equals);
  auto fail = [&](const std::string& why) { return Error::msg("runtime '" + text + "': " + why); };
  if (!valid_name(runtime.name)) {
    return fail("the name must be letters, digits, '-', '_' or '.'");
  }
  if (equals == std::string::npos) {
    if ((runtime.name == "burrow" || runtime.name == "burrow-sandbox") &&
        !defaults.burrow.empty()) {
      runtime.path = defaults.burrow;
      if (runtime.name == "burrow-sandbox") runtime.args = {"--sandbox"};  // README: Sandbox mode
    } else {
      runtime.path = find_on_path(runtime.name, defaults.search_path);
    }
    if (runtime.path.empty()) return fail("no such binary on " + defaults.search_path);
  } else {
    std::istringstream words(text.substr(equals + 1));
    words >> runtime.path;
    for (std::string word; words >> word;) runtime.args.push_back(word);
    if (runtime.path.empty()) return fail("no path after '='");
    if (runtime.path.front() != '/') return fail("the path must be absolute");
  }
  if (access(runtime.path.c_str(), X_OK) != 0) {
    return Error::from_errno("runtime '" + text + "': " + runtime.path);
  }
  runtime.hide_cgroup2 = defaults.hybrid_host && base_name(runtime.path) == "crun";
  return runtime;
}

Result<std::vector<Runtime>> parse_runtimes(const std::vector<std::string>& items,
                                            const RuntimeDefaults& defaults) {
  std::vector<Runtime> runtimes;
  std::set<std::string> names;
  for (const auto& item : items) {
    std::istringstream pieces(item);
    for (std::string piece; std::getline(pieces, piece, ',');) {
      if (piece.empty()) continue;
      Runtime runtime = BURROW_TRY(parse_runtime(piece, defaults));
      if (!names.insert(runtime.name).second) {
        return Error::msg("runtime '" + runtime.name + "' is named twice");
      }
      runtimes.push_back(std::move(runtime));
    }
  }
  if (runtimes.empty()) return Error::msg("no runtime given (--runtimes burrow,runc,...)");
  return runtimes;
}

}  // namespace burrow::bench
