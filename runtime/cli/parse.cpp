#include "cli/parse.hpp"

#include <seccomp.h>

#include <cctype>
#include <sstream>

#include <unistd.h>

#include <cstdlib>

#include "cli/commands.hpp"
#include "cli/flags.hpp"
#include "container/rootless.hpp"

namespace burrow::cli {
namespace {

using container::GlobalOptions;
using container::LogFormat;
using container::RootlessMode;

constexpr const char* kProgram = "burrow";
constexpr const char* kVersion = "0.1.0";      // keep in step with project(VERSION) in CMake
constexpr const char* kSpecVersion = "1.2.0";  // the OCI runtime spec burrow implements

po::options_description global_flags() {
  po::options_description flags("global options");
  flags.add_options()  //
      ("root", po::value<std::string>()->default_value("/run/burrow"),
       "directory for container state (best on a tmpfs; rootless: $XDG_RUNTIME_DIR/burrow)")  //
      ("log", po::value<std::string>()->default_value(""),
       "file to append burrow's log to (default: stderr)")                             //
      ("log-format", po::value<std::string>()->default_value("text"), "text or json")  //
      ("debug", po::bool_switch(), "log debug messages")                               //
      ("systemd-cgroup", po::bool_switch(),
       "use the systemd cgroup driver (not supported: burrow drives cgroupfs)")  //
      ("rootless", po::value<std::string>()->default_value("auto"),
       "rootless mode: true, false or auto")  //
      ("userns-pool", po::value<std::string>()->default_value(""),
       "START:SIZE: host ids that run.burrow.userns=auto leases 65536 at a time from "
       "(default: the burrow entries of /etc/subuid and /etc/subgid)")  //
      ("sandbox", po::bool_switch(),
       "run every container in a sandbox: a user namespace of its own, a system container, "
       "--privileged only inside it (as when invoked as burrow-sandbox)")  //
      ("help,h", po::bool_switch(), "show help")                           //
      ("version,v", po::bool_switch(), "print the version");
  return flags;
}

po::options_description hidden_global_flags() {
  po::options_description flags;
  // runc's checkpoint/restore helper path; burrow has no checkpointing, callers still pass it.
  flags.add_options()("criu", po::value<std::string>()->default_value(""), "ignored");
  return flags;
}

std::string describe(const po::options_description& flags) {
  std::ostringstream out;
  out << flags;
  return out.str();
}

std::string program_help() {
  std::string text = std::string(kProgram) + " - a container runtime with runc's command line\n\n";
  text += "USAGE:\n   burrow [global options] <command> [command options] [arguments...]\n\n";
  text += "COMMANDS:\n";
  for (const CommandSpec& spec : command_specs()) {
    text += "   " + std::string(spec.name) + std::string(10 - spec.name.size(), ' ') +
            std::string(spec.summary) + "\n";
  }
  text += "   help      show the commands, or the options of one command\n\n";
  return text + describe(global_flags());
}

std::string command_help(const CommandSpec& spec) {
  std::string text = "NAME:\n   burrow " + std::string(spec.name) + " - " +
                     std::string(spec.summary) + "\n\nUSAGE:\n   burrow " + std::string(spec.name) +
                     " [command options]";
  if (!spec.arguments.empty()) text += " " + std::string(spec.arguments);
  return text + "\n\n" + describe(spec.visible_flags());
}

Result<std::string> root_directory(const po::variables_map& flags) {
  if (flags["root"].defaulted()) return flags["root"].as<std::string>();
  Result<std::string> root = absolute_path(flags["root"].as<std::string>());
  if (root.ok() && *root == "/") return Error::msg("option --root argument should not be set to /");
  return root;
}

Result<LogFormat> log_format(const std::string& value) {
  if (value == "text" || value.empty()) return LogFormat::text;
  if (value == "json") return LogFormat::json;
  return Error::msg("invalid log-format: " + value);
}

// runc's parseBoolOrAuto: "auto" in any case, or one of Go's boolean spellings.
Result<RootlessMode> rootless_mode(const std::string& value) {
  std::string lower = value;
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (lower.empty() || lower == "auto") return RootlessMode::automatic;
  for (const char* yes : {"1", "t", "T", "TRUE", "true", "True"}) {
    if (value == yes) return RootlessMode::yes;
  }
  for (const char* no : {"0", "f", "F", "FALSE", "false", "False"}) {
    if (value == no) return RootlessMode::no;
  }
  return Error::msg("invalid --rootless value \"" + value + "\": use true, false or auto");
}

Status check_arity(const CommandSpec& spec, size_t count) {
  const std::string prefix = std::string(kProgram) + ": \"" + std::string(spec.name) + "\" ";
  if (spec.min_args == spec.max_args && count != spec.min_args) {
    return Error::msg(prefix + "requires exactly " + std::to_string(spec.min_args) +
                      " argument(s)");
  }
  if (count < spec.min_args) {
    return Error::msg(prefix + "requires a minimum of " + std::to_string(spec.min_args) +
                      " argument(s)");
  }
  if (count > spec.max_args) {
    return Error::msg(prefix + "requires a maximum of " + std::to_string(spec.max_args) +
                      " argument(s)");
  }
  return {};
}

// `burrow help [command]`.
Result<Command> help_command(const std::vector<std::string>& topics) {
  if (topics.empty()) return Command(Help{program_help()});
  const CommandSpec* spec = find_command(topics.front());
  if (spec == nullptr) return Error::msg("no help topic for \"" + topics.front() + "\"");
  return Command(Help{command_help(*spec)});
}

}  // namespace

Result<ParsedGlobal> parse_global_options(const std::vector<std::string>& args) {
  po::options_description flags;
  flags.add(global_flags()).add(hidden_global_flags());
  ScannedFlags scanned = BURROW_TRY(scan_flags(flags, args, FlagsAfterArgs::stop));
  const po::variables_map& values = scanned.values;
  ParsedGlobal parsed;
  parsed.global.rootless = BURROW_TRY(rootless_mode(values["rootless"].as<std::string>()));
  parsed.global.is_rootless =
      BURROW_TRY(container::resolve_rootless(parsed.global.rootless, ::geteuid()));
  parsed.global.root = BURROW_TRY(root_directory(values));
  // As root of a user namespace (rootless podman runs us so) the host treats us as the user who
  // made it; --rootless false asks for root mode regardless.
  parsed.global.in_user_namespace = !parsed.global.is_rootless &&
                                    parsed.global.rootless != container::RootlessMode::no &&
                                    container::running_in_user_namespace();
  const char* user = std::getenv("USER");
  bool user_namespace_root =
      parsed.global.in_user_namespace && (user == nullptr || std::string(user) != "root");
  if (values["root"].defaulted())
    parsed.global.root =
        container::default_state_root(parsed.global.is_rootless, ::geteuid(),
                                      std::getenv("XDG_RUNTIME_DIR"), user_namespace_root);
  parsed.global.log_file = values["log"].as<std::string>();
  parsed.global.log_format = BURROW_TRY(log_format(values["log-format"].as<std::string>()));
  parsed.global.debug = values["debug"].as<bool>();
  parsed.global.systemd_cgroup = values["systemd-cgroup"].as<bool>();
  parsed.global.userns_pool = values["userns-pool"].as<std::string>();
  parsed.global.sandbox = values["sandbox"].as<bool>();
  parsed.help = values["help"].as<bool>();
  parsed.version = values["version"].as<bool>();
  parsed.rest = std::move(scanned.arguments);
  return parsed;
}

Result<Command> parse_command(const ParsedGlobal& global) {
  if (global.help) return Command(Help{program_help()});
  if (global.version) return Command(Version{});
  if (global.rest.empty()) return Command(Help{program_help()});
  const std::string& name = global.rest.front();
  const std::vector<std::string> args(global.rest.begin() + 1, global.rest.end());
  if (name == "help" || name == "h") return help_command(args);
  const CommandSpec* spec = find_command(name);
  if (spec == nullptr) {
    return Error::msg("unknown command \"" + name + "\" (see " + kProgram + " --help)");
  }
  po::options_description flags;
  flags.add(spec->visible_flags()).add(spec->hidden_flags());
  const ScannedFlags scanned = BURROW_TRY(scan_flags(flags, args, spec->flags_after_args));
  if (scanned.values["help"].as<bool>()) return Command(Help{command_help(*spec)});
  BURROW_TRY(check_arity(*spec, scanned.arguments.size()));
  return spec->build(scanned.values, scanned.arguments);
}

Result<ParsedCommand> parse_command_line(const std::vector<std::string>& args) {
  ParsedGlobal global = BURROW_TRY(parse_global_options(args));
  Command command = BURROW_TRY(parse_command(global));
  return ParsedCommand{std::move(global.global), std::move(command)};
}

std::string version_text() {
  // runc's lines, one per line: scripts read "spec:" and "libseccomp:" as runc prints them.
  const struct scmp_version* seccomp = seccomp_version();
  std::string libseccomp = seccomp ? std::to_string(seccomp->major) + "." +
                                         std::to_string(seccomp->minor) + "." +
                                         std::to_string(seccomp->micro)
                                   : "unknown";
  return std::string(kProgram) + " version " + kVersion + "\nspec: " + kSpecVersion +
         "\nlibseccomp: " + libseccomp + "\n";
}

}  // namespace burrow::cli
