// The command line, parsed: `burrow [global options] <command> [command options] <id> [args...]`,
// runc-compatible (flags, defaults, error texts). Pure: no output, no logging; relative paths are
// made absolute against the current directory.
#pragma once

#include <string>
#include <variant>
#include <vector>

#include "base/error.hpp"
#include "container/options.hpp"

namespace burrow::cli {

// --help / -h / `help [command]`: the text to print on stdout (exit 0).
struct Help {
  std::string text;
};
// --version / -v.
struct Version {};

using Command =
    std::variant<Help, Version, container::CreateOptions, container::StartOptions,
                 container::RunOptions, container::StateOptions, container::KillOptions,
                 container::DeleteOptions, container::ListOptions, container::SpecOptions,
                 container::ExecOptions, container::PsOptions, container::PauseOptions,
                 container::ResumeOptions, container::UpdateOptions, container::EventsOptions,
                 container::FeaturesOptions, container::GcOptions>;

struct ParsedCommand {
  container::GlobalOptions global;
  Command command;
};

// The global options and where the command starts. `args` excludes the program name.
struct ParsedGlobal {
  container::GlobalOptions global;
  std::vector<std::string> rest;  // command name and its arguments; empty: no command given
  bool help = false;
  bool version = false;
};

// Step one, split out so the CLI can set up logging (--log) before reporting command errors.
Result<ParsedGlobal> parse_global_options(const std::vector<std::string>& args);
// Step two: the command and its options.
Result<Command> parse_command(const ParsedGlobal& global);
// Both steps. `args` excludes the program name (argv[1..]).
Result<ParsedCommand> parse_command_line(const std::vector<std::string>& args);

// "burrow version 0.1.0\nspec: 1.2.0\nlibseccomp: 2.5.4\n"
std::string version_text();

}  // namespace burrow::cli
