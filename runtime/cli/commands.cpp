#include "cli/commands.hpp"

#include <algorithm>
#include <charconv>
#include <filesystem>
#include <system_error>

#include "base/signals.hpp"

namespace burrow::cli {
namespace {

using namespace burrow::container;

po::options_description with_help(const char* caption) {
  po::options_description flags(caption);
  flags.add_options()("help,h", po::bool_switch(), "show help");
  return flags;
}

po::options_description no_flags() {
  return po::options_description();
}

void add_create_flags(po::options_description& flags) {
  flags.add_options()  //
      ("bundle,b", po::value<std::string>()->default_value(""),
       "path to the bundle directory (holds config.json); default: the current directory")  //
      ("console-socket", po::value<std::string>()->default_value(""),
       "AF_UNIX socket that receives the pseudoterminal's master fd (process.terminal)")  //
      ("pid-file", po::value<std::string>()->default_value(""),
       "file to write the container init's pid to")  //
      ("no-pivot", po::bool_switch(),
       "switch into the rootfs with chroot-like MS_MOVE instead of pivot_root (rootfs on a "
       "ramdisk)")  //
      ("no-new-keyring", po::bool_switch(),
       "keep the caller's session keyring instead of creating one for the container")  //
      ("preserve-fds", po::value<std::string>()->default_value("0"),
       "number of extra fds (after stdio and $LISTEN_FDS) passed to the container");
}

po::options_description create_flags() {
  auto flags = with_help("create options");
  add_create_flags(flags);
  return flags;
}

po::options_description run_flags() {
  auto flags = with_help("run options");
  add_create_flags(flags);
  flags.add_options()  //
      ("detach,d", po::bool_switch(),
       "return once the container is started; do not wait for it")  //
      ("keep", po::bool_switch(), "do not delete the container after it exits");
  return flags;
}

po::options_description help_only() {
  return with_help("options");
}

po::options_description kill_hidden_flags() {
  po::options_description flags;
  // runc keeps --all for compatibility; it only tolerates a container that is not running.
  flags.add_options()("all,a", po::bool_switch(), "obsolete");
  return flags;
}

po::options_description delete_flags() {
  auto flags = with_help("delete options");
  flags.add_options()("force,f", po::bool_switch(),
                      "kill the container (SIGKILL) if it is running, then delete it");
  return flags;
}

po::options_description list_flags() {
  auto flags = with_help("list options");
  flags.add_options()                                                                  //
      ("format,f", po::value<std::string>()->default_value("table"), "table or json")  //
      ("quiet,q", po::bool_switch(), "print container ids only");
  return flags;
}

po::options_description spec_flags() {
  auto flags = with_help("spec options");
  flags.add_options()  //
      ("bundle,b", po::value<std::string>()->default_value(""),
       "directory to write config.json to; default: the current directory")  //
      ("rootless", po::bool_switch(), "write a spec for a rootless container");
  return flags;
}

const std::string& text(const po::variables_map& flags, const char* name) {
  return flags[name].as<std::string>();
}
bool flag(const po::variables_map& flags, const char* name) {
  return flags[name].as<bool>();
}

Result<unsigned> parse_count(const std::string& value, const char* flag_name) {
  unsigned count = 0;
  const auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), count);
  if (value.empty() || ec != std::errc() || end != value.data() + value.size()) {
    return Error::msg("invalid value \"" + value + "\" for flag -" + flag_name + ": parse error");
  }
  return count;
}

Result<CreateOptions> create_options(const po::variables_map& flags, const std::string& id) {
  CreateOptions options;
  options.id = id;
  options.bundle = BURROW_TRY(absolute_path(text(flags, "bundle")));
  if (const std::string& pid_file = text(flags, "pid-file"); !pid_file.empty()) {
    options.pid_file = BURROW_TRY(absolute_path(pid_file));
  }
  options.console_socket = text(flags, "console-socket");
  options.no_pivot = flag(flags, "no-pivot");
  options.no_new_keyring = flag(flags, "no-new-keyring");
  options.preserve_fds = BURROW_TRY(parse_count(text(flags, "preserve-fds"), "preserve-fds"));
  return options;
}

Result<Command> build_create(const po::variables_map& flags, const std::vector<std::string>& args) {
  return Command(BURROW_TRY(create_options(flags, args.at(0))));
}

Result<Command> build_run(const po::variables_map& flags, const std::vector<std::string>& args) {
  RunOptions options;
  options.create = BURROW_TRY(create_options(flags, args.at(0)));
  options.detach = flag(flags, "detach");
  options.keep = flag(flags, "keep");
  return Command(std::move(options));
}

Result<Command> build_start(const po::variables_map&, const std::vector<std::string>& args) {
  return Command(StartOptions{args.at(0)});
}

Result<Command> build_state(const po::variables_map&, const std::vector<std::string>& args) {
  return Command(StateOptions{args.at(0)});
}

Result<Command> build_kill(const po::variables_map& flags, const std::vector<std::string>& args) {
  KillOptions options;
  options.id = args.at(0);
  if (args.size() > 1) options.signal = BURROW_TRY(parse_signal(args[1]));
  options.all = flag(flags, "all");
  return Command(options);
}

Result<Command> build_delete(const po::variables_map& flags, const std::vector<std::string>& args) {
  return Command(DeleteOptions{args.at(0), flag(flags, "force")});
}

Result<Command> build_list(const po::variables_map& flags, const std::vector<std::string>&) {
  ListOptions options;
  const std::string& format = text(flags, "format");
  if (format == "table")
    options.format = ListFormat::table;
  else if (format == "json")
    options.format = ListFormat::json;
  else
    return Error::msg("invalid format option \"" + format + "\": use table or json");
  options.quiet = flag(flags, "quiet");
  return Command(options);
}

Result<Command> build_features(const po::variables_map&, const std::vector<std::string>&) {
  return Command(FeaturesOptions{});
}

Result<Command> build_spec(const po::variables_map& flags, const std::vector<std::string>&) {
  SpecOptions options;
  options.bundle = BURROW_TRY(absolute_path(text(flags, "bundle")));
  options.rootless = flag(flags, "rootless");
  return Command(std::move(options));
}

constexpr auto kStop = FlagsAfterArgs::stop;
constexpr auto kAllowed = FlagsAfterArgs::allowed;

const CommandSpec kCommands[] = {
    {"create", "create a container", "<container-id>", kAllowed, 1, 1, create_flags, no_flags,
     build_create},
    {"delete", "delete a container and the resources it holds", "<container-id>", kAllowed, 1, 1,
     delete_flags, no_flags, build_delete},
    {"features", "show the enabled features (runtime-spec features JSON)", "", kAllowed, 0, 0,
     help_only, no_flags, build_features},
    {"kill", "send a signal (default: SIGTERM) to the container's init process",
     "<container-id> [signal]", kStop, 1, 2, help_only, kill_hidden_flags, build_kill},
    {"list", "list the containers under --root", "", kAllowed, 0, 0, list_flags, no_flags,
     build_list},
    {"run", "create and start a container", "<container-id>", kAllowed, 1, 1, run_flags, no_flags,
     build_run},
    {"spec", "write a new config.json", "", kAllowed, 0, 0, spec_flags, no_flags, build_spec},
    {"start", "start the user process of a created container", "<container-id>", kAllowed, 1, 1,
     help_only, no_flags, build_start},
    {"state", "print the state of a container as JSON", "<container-id>", kAllowed, 1, 1, help_only,
     no_flags, build_state},
};

}  // namespace

std::span<const CommandSpec> command_specs() {
  return kCommands;
}

const CommandSpec* find_command(std::string_view name) {
  const auto found = std::find_if(std::begin(kCommands), std::end(kCommands),
                                  [&](const CommandSpec& spec) { return spec.name == name; });
  return found == std::end(kCommands) ? nullptr : &*found;
}

Result<std::string> absolute_path(const std::string& path) {
  std::error_code ec;
  const std::filesystem::path absolute = std::filesystem::absolute(path.empty() ? "." : path, ec);
  if (ec) return Error::msg("resolve " + path + ": " + ec.message(), ec.value());
  std::string normal = absolute.lexically_normal().string();
  if (normal.size() > 1 && normal.back() == '/') normal.pop_back();  // "/a/b/." -> "/a/b"
  return normal;
}

}  // namespace burrow::cli
