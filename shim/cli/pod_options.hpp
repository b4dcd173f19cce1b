// The pod options `burrow-shim run` and every `burrow-shim gitlab` subcommand share (so
// config.toml's *_args of the custom executor carry the same flags as a `run` command line):
// the image store, scratch root, network, volumes, memory limit, service wait, grace, default
// image and the companion binaries.
#pragma once

#include <optional>
#include <string>

#include <boost/program_options.hpp>

#include "run/options.hpp"

namespace burrow::shim::cli {

void add_pod_options(boost::program_options::options_description& options);

// Fills `out` from parsed `values`; an error message (a usage error) when one is bad.
std::optional<std::string> read_pod_options(const boost::program_options::variables_map& values,
                                            run::RunOptions& out);

}  // namespace burrow::shim::cli
