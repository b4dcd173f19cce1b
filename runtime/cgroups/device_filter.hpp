// cgroup v2 device rules: v2 has no devices controller, so the rules become an eBPF program of
// type BPF_PROG_TYPE_CGROUP_DEVICE attached to the container's cgroup (as runc and crun do). The
// program checks the rules from last to first and the first that matches decides, which is what
// the v1 controller does with "a" denied first and the rules written in order; nothing matching
// is denied.
#pragma once

#include <linux/bpf.h>

#include <vector>

#include "base/error.hpp"
#include "cgroups/context.hpp"
#include "cgroups/devices.hpp"

namespace burrow::cgroups {

// The program's instructions (pure; unit-tested).
std::vector<struct bpf_insn> device_filter_program(const std::vector<DeviceCgroupRule>& rules);

// Loads the program and attaches it (BPF_PROG_ATTACH, BPF_F_ALLOW_MULTI) to the cgroup2 dir
// `dir`; the attachment lives as long as the cgroup. With ctx.emulate_cgroupfs the rules' text
// goes to `dir`/devices.bpf instead (one per line), for tests.
Status attach_device_filter(const CgroupsContext& ctx, const std::string& dir,
                            const std::vector<DeviceCgroupRule>& rules);

}  // namespace burrow::cgroups
