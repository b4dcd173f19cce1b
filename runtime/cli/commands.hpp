// The table of commands: their flags (Boost descriptions), argument counts and how their parsed
// flags become the option structs of container/. Internal to cli/.
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "cli/flags.hpp"
#include "cli/parse.hpp"

namespace burrow::cli {

struct CommandSpec {
  std::string_view name;
  std::string_view summary;
  std::string_view arguments;  // the positional part of the usage line, e.g. "<container-id>"
  FlagsAfterArgs flags_after_args;
  size_t min_args;
  size_t max_args;
  po::options_description (*visible_flags)();  // listed by --help (each includes --help/-h)
  po::options_description (*hidden_flags)();   // accepted, not listed
  Result<Command> (*build)(const po::variables_map& flags,
                           const std::vector<std::string>& arguments);
};

std::span<const CommandSpec> command_specs();
const CommandSpec* find_command(std::string_view name);

// `path` made absolute against the current directory and normalized ("" -> the current directory).
Result<std::string> absolute_path(const std::string& path);

}  // namespace burrow::cli
