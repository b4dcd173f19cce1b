// Semantic checks on a parsed config.json, before anything is created. Rules follow runc's
// (libcontainer/configs/validate and specconv), with runc's wording where runc has one, so
// tools that match runc's error text keep working. Fields burrow does not implement yet are
// refused by name: "<path>: not supported yet" (see validate_unsupported.cpp).
#pragma once

#include <string>

#include "base/error.hpp"
#include "spec/model.hpp"

namespace burrow::spec {

struct ValidationContext {
  std::string bundle_dir;  // absolute; root.path is relative to it
  bool rootless = false;   // burrow runs without root on the host (euid != 0)
};

// Errors read "config.json: <json path>: <reason>", e.g.
// "config.json: process.capabilities.bounding[3]: unknown capability \"CAP_FOO\"".
Status validate_config(const Spec& spec, const ValidationContext& ctx);

// The process rules of validate_config, for a process exec runs in a container made from
// `spec` (spec.process is that process): errors "process.<path>: <reason>", or, with
// `relative_paths`, "<path>: <reason>" (a process JSON file of its own). No prefix is added.
Status validate_process(const Spec& spec, bool relative_paths = false);

}  // namespace burrow::spec
