#include "cli/commands.hpp"

#include <algorithm>
#include <charconv>
#include <cstdint>
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

po::options_description exec_flags() {
  auto flags = with_help("exec options");
  using Strings = std::vector<std::string>;
  flags.add_options()  //
      ("process,p", po::value<std::string>()->default_value(""),
       "path to an OCI process JSON (instead of a command and the flags below)")  //
      ("cwd", po::value<std::string>()->default_value(""),
       "working directory in the container")  //
      ("env,e", po::value<Strings>()->composing(),
       "set an environment variable KEY=value (repeatable)")                          //
      ("user,u", po::value<std::string>()->default_value(""), "uid[:gid] to run as")  //
      ("additional-gids,g", po::value<Strings>()->composing(),
       "an additional gid (repeatable)")  //
      ("cap,c", po::value<Strings>()->composing(),
       "add a capability to the effective, permitted and bounding sets (repeatable)")  //
      ("no-new-privs", po::bool_switch(), "set no_new_privs for the process")          //
      ("tty,t", po::bool_switch(), "allocate a pseudo-TTY (not supported yet)")        //
      ("console-socket", po::value<std::string>()->default_value(""),
       "AF_UNIX socket that receives the pseudoterminal's master fd (not supported yet)")  //
      ("detach,d", po::bool_switch(), "return once the process runs; do not wait for it")  //
      ("pid-file", po::value<std::string>()->default_value(""),
       "file to write the process's pid to")  //
      ("preserve-fds", po::value<std::string>()->default_value("0"),
       "number of extra fds (after stdio) passed to the process")  //
      ("apparmor", po::value<std::string>()->default_value(""),
       "AppArmor profile for the process (not supported on this host)")  //
      ("process-label", po::value<std::string>()->default_value(""),
       "SELinux label for the process (not supported on this host)")  //
      ("cgroup", po::value<Strings>()->composing(),
       "run the process in an existing sub-cgroup of the container's: [<controller>:]<path> "
       "(repeatable, one per controller)")  //
      ("ignore-paused", po::bool_switch(), "allow exec in a paused container");
  return flags;
}

po::options_description ps_flags() {
  auto flags = with_help("ps options");
  flags.add_options()("format,f", po::value<std::string>()->default_value("table"),
                      "table (the host's ps, filtered) or json (the pids)");
  return flags;
}

po::options_description help_only() {
  return with_help("options");
}

po::options_description kill_flags() {
  auto flags = with_help("kill options");
  flags.add_options()("all,a", po::bool_switch(),
                      "signal every process in the container's cgroup (SIGKILL via cgroup.kill "
                      "where the host has it; other signals: freeze, signal each, thaw)");
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
       "directory to write config.json to; default: the current directory")     //
      ("rootless", po::bool_switch(), "write a spec for a rootless container")  //
      ("profile", po::value<std::string>()->default_value(""),
       "security profile to apply: default or dind (profiles/README.md)");
  return flags;
}

// runc's update flags, each a string so that "given" and "given as 0" differ.
constexpr const char* kUpdateFields[] = {
    "blkio-weight", "cpu-period",    "cpu-quota",         "cpu-burst",    "cpu-share",
    "cpu-shares",   "cpu-rt-period", "cpu-rt-runtime",    "cpu-idle",     "cpuset-cpus",
    "cpuset-mems",  "kernel-memory", "kernel-memory-tcp", "memory",       "memory-reservation",
    "memory-swap",  "pids-limit",    "l3-cache-schema",   "mem-bw-schema"};

po::options_description update_flags() {
  auto flags = with_help("update options");
  flags.add_options()("resources,r", po::value<std::string>(),
                      "file with the linux.resources JSON to apply, or - for standard input");
  for (const char* name : kUpdateFields) {
    flags.add_options()(name, po::value<std::string>(), "see runc update");
  }
  return flags;
}

po::options_description events_flags() {
  auto flags = with_help("events options");
  flags.add_options()                                                            //
      ("stats", po::bool_switch(), "print the container's stats once and exit")  //
      ("interval", po::value<std::string>()->default_value("5s"),
       "time between stats events (Go duration: 500ms, 5s, 1m)");
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

std::vector<std::string> strings(const po::variables_map& flags, const char* name) {
  if (!flags.count(name)) return {};
  return flags[name].as<std::vector<std::string>>();
}

// Go's strconv.Atoi, then the uint32 runc converts to; runc's wording for the error.
Result<uint32_t> parse_id(const std::string& value, const char* what) {
  int64_t number = 0;
  const char* begin = value.data() + (value.starts_with('+') ? 1 : 0);
  const auto [end, ec] = std::from_chars(begin, value.data() + value.size(), number);
  if (value.empty() || ec != std::errc() || end != value.data() + value.size() || number < 0 ||
      number > UINT32_MAX) {
    return Error::msg("parsing " + value + " as int for " + what +
                      " failed: strconv.Atoi: " + "parsing \"" + value + "\": invalid syntax");
  }
  return static_cast<uint32_t>(number);
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

Status read_exec_user(const po::variables_map& flags, ExecOptions& options) {
  const std::string& user = text(flags, "user");
  if (!user.empty()) {
    const size_t colon = user.find(':');
    if (colon != std::string::npos)
      options.gid = BURROW_TRY(parse_id(user.substr(colon + 1), "gid"));
    options.uid = BURROW_TRY(parse_id(user.substr(0, colon), "uid"));
  }
  for (const std::string& gid : strings(flags, "additional-gids")) {
    int64_t number = 0;
    const auto [end, ec] = std::from_chars(gid.data(), gid.data() + gid.size(), number);
    if (gid.empty() || ec != std::errc() || end != gid.data() + gid.size())
      return Error::msg("invalid value \"" + gid + "\" for flag -additional-gids: parse error");
    if (number < 0 || number > UINT32_MAX)
      return Error::msg("additional-gids must be a positive number " + gid);
    options.additional_gids.push_back(static_cast<uint32_t>(number));
  }
  return {};
}

Result<Command> build_exec(const po::variables_map& flags, const std::vector<std::string>& args) {
  ExecOptions options;
  options.id = args.at(0);
  options.args.assign(args.begin() + 1, args.end());
  if (const std::string& process = text(flags, "process"); !process.empty())
    options.process_file = BURROW_TRY(absolute_path(process));
  options.cwd = text(flags, "cwd");
  options.env = strings(flags, "env");
  BURROW_TRY(read_exec_user(flags, options));
  options.caps = strings(flags, "cap");
  if (!flags["no-new-privs"].defaulted()) options.no_new_privs = flag(flags, "no-new-privs");
  options.tty = flag(flags, "tty");
  options.console_socket = text(flags, "console-socket");
  options.detach = flag(flags, "detach");
  if (const std::string& pid_file = text(flags, "pid-file"); !pid_file.empty())
    options.pid_file = BURROW_TRY(absolute_path(pid_file));
  options.preserve_fds = BURROW_TRY(parse_count(text(flags, "preserve-fds"), "preserve-fds"));
  options.apparmor = text(flags, "apparmor");
  options.process_label = text(flags, "process-label");
  options.cgroups = strings(flags, "cgroup");
  options.ignore_paused = flag(flags, "ignore-paused");
  return Command(std::move(options));
}

Result<Command> build_ps(const po::variables_map& flags, const std::vector<std::string>& args) {
  PsOptions options;
  options.id = args.at(0);
  options.ps_args.assign(args.begin() + 1, args.end());
  const std::string& format = text(flags, "format");
  if (format == "table")
    options.format = PsFormat::table;
  else if (format == "json")
    options.format = PsFormat::json;
  else
    return Error::msg("invalid format option");
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

// runc's checkpoint and restore need CRIU; burrow has no checkpointing. The commands exist so
// that `help` and `-h` answer as for runc's, and a call says why it fails.
Result<Command> build_checkpoint(const po::variables_map&, const std::vector<std::string>&) {
  return Error::msg("checkpoint is not supported by burrow (no CRIU checkpoint/restore)", ENOTSUP);
}

Result<Command> build_restore(const po::variables_map&, const std::vector<std::string>&) {
  return Error::msg("restore is not supported by burrow (no CRIU checkpoint/restore)", ENOTSUP);
}

Result<Command> build_features(const po::variables_map&, const std::vector<std::string>&) {
  return Command(FeaturesOptions{});
}

Result<Command> build_gc(const po::variables_map&, const std::vector<std::string>&) {
  return Command(GcOptions{});
}

Result<Command> build_spec(const po::variables_map& flags, const std::vector<std::string>&) {
  SpecOptions options;
  options.bundle = BURROW_TRY(absolute_path(text(flags, "bundle")));
  options.rootless = flag(flags, "rootless");
  options.profile = text(flags, "profile");
  return Command(std::move(options));
}

Result<Command> build_pause(const po::variables_map&, const std::vector<std::string>& args) {
  return Command(PauseOptions{args.at(0)});
}

Result<Command> build_resume(const po::variables_map&, const std::vector<std::string>& args) {
  return Command(ResumeOptions{args.at(0)});
}

Result<Command> build_update(const po::variables_map& flags, const std::vector<std::string>& args) {
  UpdateOptions options;
  options.id = args.at(0);
  if (flags.count("resources")) options.resources_path = text(flags, "resources");
  for (const char* name : kUpdateFields) {
    if (flags.count(name)) options.fields.emplace_back(name, text(flags, name));
  }
  return Command(std::move(options));
}

// A Go time.Duration as runc's --interval takes it: a number and a unit (ns us ms s m h).
Result<unsigned> parse_duration_ms(const std::string& value) {
  double amount = 0;
  size_t used = 0;
  try {
    amount = std::stod(value, &used);
  } catch (const std::exception&) {
    used = 0;
  }
  std::string unit = value.substr(used);
  const std::pair<const char*, double> units[] = {{"ns", 1e-6}, {"us", 1e-3}, {"ms", 1},
                                                  {"s", 1e3},   {"m", 6e4},   {"h", 3.6e6}};
  for (const auto& [name, scale] : units) {
    if (used > 0 && unit == name && amount > 0) {
      double ms = amount * scale;
      return static_cast<unsigned>(ms < 1 ? 1 : ms);
    }
  }
  return Error::msg("invalid value \"" + value + "\" for flag -interval: parse error");
}

Result<Command> build_events(const po::variables_map& flags, const std::vector<std::string>& args) {
  EventsOptions options;
  options.id = args.at(0);
  options.stats = flag(flags, "stats");
  options.interval_ms = BURROW_TRY(parse_duration_ms(text(flags, "interval")));
  return Command(options);
}

constexpr auto kStop = FlagsAfterArgs::stop;
constexpr auto kAllowed = FlagsAfterArgs::allowed;

const CommandSpec kCommands[] = {
    {"checkpoint", "checkpoint a running container (not supported: burrow has no CRIU support)",
     "<container-id>", kAllowed, 0, SIZE_MAX, help_only, no_flags, build_checkpoint},
    {"create", "create a container", "<container-id>", kAllowed, 1, 1, create_flags, no_flags,
     build_create},
    {"delete", "delete a container and the resources it holds", "<container-id>", kAllowed, 1, 1,
     delete_flags, no_flags, build_delete},
    {"events", "display container events such as OOM notifications and cgroup stats",
     "<container-id>", kAllowed, 1, 1, events_flags, no_flags, build_events},
    {"exec", "execute a new process inside the container",
     "<container-id> <command> [args...]  || -p process.json <container-id>", kStop, 1, SIZE_MAX,
     exec_flags, no_flags, build_exec},
    {"features", "show the enabled features (runtime-spec features JSON)", "", kAllowed, 0, 0,
     help_only, no_flags, build_features},
    {"gc", "remove what killed creates left under --root (burrow's own; see README)", "", kAllowed,
     0, 0, help_only, no_flags, build_gc},
    {"kill", "send a signal (default: SIGTERM) to the container's init process",
     "<container-id> [signal]", kStop, 1, 2, kill_flags, no_flags, build_kill},
    {"list", "list the containers under --root", "", kAllowed, 0, 0, list_flags, no_flags,
     build_list},
    {"pause", "suspend all processes of the container (cgroup freezer)", "<container-id>", kAllowed,
     1, 1, help_only, no_flags, build_pause},
    {"ps", "display the processes running inside a container", "<container-id> [ps options]", kStop,
     1, SIZE_MAX, ps_flags, no_flags, build_ps},
    {"resume", "resume all processes of a paused container", "<container-id>", kAllowed, 1, 1,
     help_only, no_flags, build_resume},
    {"restore", "restore a container from a checkpoint (not supported: burrow has no CRIU support)",
     "<container-id>", kAllowed, 0, SIZE_MAX, help_only, no_flags, build_restore},
    {"run", "create and start a container", "<container-id>", kAllowed, 1, 1, run_flags, no_flags,
     build_run},
    {"spec", "write a new config.json", "", kAllowed, 0, 0, spec_flags, no_flags, build_spec},
    {"start", "start the user process of a created container", "<container-id>", kAllowed, 1, 1,
     help_only, no_flags, build_start},
    {"state", "print the state of a container as JSON", "<container-id>", kAllowed, 1, 1, help_only,
     no_flags, build_state},
    {"update", "update the container's resource limits", "<container-id>", kAllowed, 1, 1,
     update_flags, no_flags, build_update},
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
