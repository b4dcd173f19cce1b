// What `burrow exec` runs: the process of an OCI process JSON (--process), or the container's own
// process with the command line's overrides (runc 1.1's rules), validated by the spec code.
#pragma once

#include "base/error.hpp"
#include "container/options.hpp"
#include "spec/model.hpp"

namespace burrow::container {

// `container` is the container's config (state dir copy). Errors name the field: for
// --process FILE "<file>: <member path>: <reason>" ("process.json: cwd: Cwd must be an absolute
// path"); otherwise "process.<path>: <reason>" of the process made from config.json and flags.
Result<spec::Process> exec_process_spec(const spec::Spec& container, const ExecOptions& options);

}  // namespace burrow::container
