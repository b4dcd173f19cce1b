// Test helper: runs a compiled filter's BPF in user space on a seccomp_data of the test's making,
// so a rule for an architecture the host cannot run (i386 without IA32 emulation, x32) is checked
// all the same. Covers the classic BPF that libseccomp and burrow's prefixes emit.
#pragma once

#include <linux/seccomp.h>

#include <cstdint>
#include <vector>

#include "seccomp/filter.hpp"

namespace burrow::seccomp::testing {

// The SECCOMP_RET_* value `filter` returns for this call (arguments not given are 0).
uint32_t evaluate(const Filter& filter, uint32_t arch, int nr, const std::vector<uint64_t>& args);

}  // namespace burrow::seccomp::testing
