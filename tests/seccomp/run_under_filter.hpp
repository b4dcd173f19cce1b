// Test helper: runs a syscall in a forked child under a compiled filter and reports what the
// child saw, or how it died.
#pragma once

#include <sys/types.h>

#include <functional>
#include <string>

#include <nlohmann/json.hpp>

#include "seccomp/filter.hpp"
#include "spec/model.hpp"

namespace burrow::seccomp::testing {

struct Outcome {
  bool reported = false;  // the child wrote its result (it was not killed first)
  long ret = 0;
  int err = 0;           // errno after the call, when ret == -1
  bool trapped = false;  // a SIGSYS handler ran
  int killed_by = 0;     // the signal that ended the child, if one did
};

// What the child does under the filter; returns the syscall's result (errno is read after).
using SyscallBody = std::function<long()>;

// fork; child: no_new_privs, load `filter`, SIGSYS handler, body, report; parent: collect.
Outcome run_under(const Filter& filter, const SyscallBody& body);

// linux.seccomp from JSON, through the real config.json parser.
spec::Seccomp seccomp_config(const nlohmann::json& seccomp);

// compile() that must succeed and produce a filter.
Filter compile_ok(const nlohmann::json& seccomp);
// compile()'s error text ("" when it succeeded).
std::string compile_error(const nlohmann::json& seccomp);

}  // namespace burrow::seccomp::testing
