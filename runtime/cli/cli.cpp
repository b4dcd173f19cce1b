// The process boundary: argv in, exit code out. Everything below returns Result; this is where an
// error is logged (once) and becomes exit status 1.
#include "cli/cli.hpp"

#include <unistd.h>

#include <string>
#include <type_traits>
#include <vector>

#include "base/log.hpp"
#include "cli/parse.hpp"
#include "container/operations.hpp"

namespace burrow::cli {
namespace {

constexpr int kFailure = 1;
constexpr int kExecFailure = 255;

void print_stdout(const std::string& text) {
  std::string out = text;
  if (!out.empty() && out.back() != '\n') out += '\n';
  std::string_view rest = out;
  while (!rest.empty()) {
    const ssize_t n = ::write(STDOUT_FILENO, rest.data(), rest.size());
    if (n <= 0) return;
    rest.remove_prefix(static_cast<size_t>(n));
  }
}

logging::LogConfig log_config(const container::GlobalOptions& global) {
  return {global.log_file, global.log_format == container::LogFormat::json, global.debug};
}

int report(const logging::LogConfig& config, const Error& error) {
  logging::report_error(config, error.message);
  return kFailure;
}

// Runs one parsed command; returns its exit code or the error to report.
Result<int> dispatch(const container::GlobalOptions& global, const Command& command) {
  return std::visit(
      [&](const auto& options) -> Result<int> {
        using T = std::decay_t<decltype(options)>;
        if constexpr (std::is_same_v<T, Help>) {
          print_stdout(options.text);
          return 0;
        } else if constexpr (std::is_same_v<T, Version>) {
          print_stdout(version_text());
          return 0;
        } else if constexpr (std::is_same_v<T, container::CreateOptions>) {
          BURROW_TRY(container::create(global, options));
        } else if constexpr (std::is_same_v<T, container::StartOptions>) {
          BURROW_TRY(container::start(global, options));
        } else if constexpr (std::is_same_v<T, container::RunOptions>) {
          return container::run(global, options);
        } else if constexpr (std::is_same_v<T, container::StateOptions>) {
          print_stdout(BURROW_TRY(container::state(global, options)));
        } else if constexpr (std::is_same_v<T, container::KillOptions>) {
          BURROW_TRY(container::kill(global, options));
        } else if constexpr (std::is_same_v<T, container::DeleteOptions>) {
          BURROW_TRY(container::remove(global, options));
        } else if constexpr (std::is_same_v<T, container::ListOptions>) {
          print_stdout(BURROW_TRY(container::list(global, options)));
        } else if constexpr (std::is_same_v<T, container::ExecOptions>) {
          return container::exec(global, options);
        } else if constexpr (std::is_same_v<T, container::PsOptions>) {
          print_stdout(BURROW_TRY(container::ps(global, options)));
        } else if constexpr (std::is_same_v<T, container::FeaturesOptions>) {
          print_stdout(BURROW_TRY(container::features()));
        } else if constexpr (std::is_same_v<T, container::GcOptions>) {
          print_stdout(BURROW_TRY(container::gc(global)));
        } else if constexpr (std::is_same_v<T, container::SpecOptions>) {
          BURROW_TRY(container::write_spec(options));
        } else if constexpr (std::is_same_v<T, container::PauseOptions>) {
          BURROW_TRY(container::pause(global, options));
        } else if constexpr (std::is_same_v<T, container::ResumeOptions>) {
          BURROW_TRY(container::resume(global, options));
        } else if constexpr (std::is_same_v<T, container::UpdateOptions>) {
          BURROW_TRY(container::update(global, options));
        } else if constexpr (std::is_same_v<T, container::PsOptions>) {
          print_stdout(BURROW_TRY(container::ps(global, options)));
        } else if constexpr (std::is_same_v<T, container::EventsOptions>) {
          BURROW_TRY(container::events(global, options, print_stdout));
        }
        return 0;
      },
      command);
}

bool is_informational(const Command& command) {
  return std::holds_alternative<Help>(command) || std::holds_alternative<Version>(command);
}

}  // namespace

int main(int argc, char** argv) {
  const std::vector<std::string> args(argv + 1, argv + argc);
  auto global = parse_global_options(args);
  if (!global) {
    // Like runc: a bad global flag is reported before --log is known, on stderr as text.
    const logging::LogConfig fallback;
    (void)logging::setup_logging(fallback);
    return report(fallback, global.error());
  }
  // The name engines register for sandbox mode (a link to this binary that install makes).
  if (argc > 0 && std::string_view(argv[0]).ends_with("burrow-sandbox"))
    global->global.sandbox = true;
  logging::LogConfig config = log_config(global->global);
  if (auto opened = logging::setup_logging(config); !opened) {
    config.file.clear();  // setup_logging fell back to stderr
    return report(config, opened.error());
  }
  auto command = parse_command(*global);
  if (!command) return report(config, command.error());
  if (global->global.systemd_cgroup && !is_informational(*command)) {
    return report(config, Error::msg("systemd cgroup driver is not supported: use the cgroupfs "
                                     "driver (--systemd-cgroup off)"));
  }
  auto status = dispatch(global->global, *command);
  if (!status && std::holds_alternative<container::ExecOptions>(*command)) {
    // runc's wording and exit status for a failed exec (its process never ran).
    logging::report_error(config, "exec failed: " + status.error().message);
    return kExecFailure;
  }
  if (!status) return report(config, status.error());
  return *status;
}

}  // namespace burrow::cli
