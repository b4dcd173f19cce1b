// Flag scanning with the syntax of Go's `flag` package, which runc's CLI library uses and which
// runc's callers rely on: `-name` and `--name` are the same flag (so `-bundle` and `--b` work),
// values come as `-name value` or `-name=value`, booleans take `-name` or `-name=false`, `--`
// ends the flags, and a lone `-` is an argument. Boost.Program_options describes the flags, stores
// the values and prints the help; this file only decides which word is which.
#pragma once

#include <boost/program_options.hpp>
#include <string>
#include <vector>

#include "base/error.hpp"

namespace burrow::cli {

namespace po = boost::program_options;

enum class FlagsAfterArgs {
  stop,     // the first argument ends the flags: the rest are arguments (kill <id> <signal>)
  allowed,  // flags may follow arguments, as runc allows for commands that take only an id
};

struct ScannedFlags {
  po::variables_map values;            // every flag of the description, defaults included
  std::vector<std::string> arguments;  // the words that are not flags, in order
};

// Scans `args` against `description`. Boolean flags are those declared with po::bool_switch();
// repeatable (slice) flags are those declared composing
// (po::value<std::vector<...>>()->composing()): every occurrence is kept, in order. Other repeated
// flags keep the last value, as Go does. Errors use Go's wording: "flag provided but not defined:
// -bogus", "flag needs an argument: -bundle", "invalid boolean value \"x\" for -detach: parse
// error".
Result<ScannedFlags> scan_flags(const po::options_description& description,
                                const std::vector<std::string>& args, FlagsAfterArgs mode);

}  // namespace burrow::cli
