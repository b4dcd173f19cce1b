// Writing linux.resources into one controller's cgroup dir, per controller and cgroup version.
// The Manager routes each controller to the hierarchy that has it (a hybrid host has memory on
// v1 and hugetlb on the cgroup2) and calls these. Every error names the OCI field it is about
// ("linux.resources.memory.swap: ..."); a value the host cannot honour is an error, never
// skipped.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "base/error.hpp"
#include "cgroups/context.hpp"
#include "spec/model.hpp"

namespace burrow::cgroups {

// create: a new cgroup. update: `burrow update` on a live one: fields absent from the request
// keep their value, and a v2 file that combines two fields (cpu.max) keeps the other half.
enum class ApplyMode { create, update };

namespace res {

struct Target {
  const CgroupsContext& ctx;
  std::string dir;
  ApplyMode mode = ApplyMode::create;
};

// One write of `value` to dir/file; errors say which field asked for it.
Status write_field(const Target& t, const std::string& file, const std::string& value,
                   const std::string& field);

// Shared checks: swappiness range; checkBeforeUpdate against
// `usage_file`; an optional control file that must exist for `field`.
Status memory_checks(const spec::MemoryResources& m);
Status check_usage(const Target& t, const spec::MemoryResources& m, const std::string& usage_file,
                   int64_t swap);
Status require_control(const Target& t, const std::string& file, const std::string& field);

Status memory_v1(const Target& t, const spec::MemoryResources& m);
Status memory_v2(const Target& t, const spec::MemoryResources& m);
Status cpu_v1(const Target& t, const spec::CpuResources& c);
Status cpu_v2(const Target& t, const spec::CpuResources& c);
// cpuset.cpus / cpuset.mems: the same files on v1 and v2.
Status cpuset(const Target& t, const spec::CpuResources& c);
Status pids(const Target& t, int64_t limit);
Status blkio_v1(const Target& t, const spec::BlockIoResources& b);
Status io_v2(const Target& t, const spec::BlockIoResources& b);
Status hugetlb(const Target& t, const std::vector<spec::HugepageLimit>& limits, bool v2);
// linux.resources.unified: file name -> value, written as given (v2 only).
Status unified_files(const Target& t, const std::map<std::string, std::string>& files);

// Does the request touch the controller at all? (An empty object asks for nothing.)
bool wants_memory(const spec::Resources& r);
// memory.kernel and memory.kernelTCP are ignored, as runc 1.1 does (Linux deprecated kernel memory
// limits in 5.4; on current kernels a kmem limit has no effect and cgroup v2 has neither): one
// debug line per field given.
void log_ignored_kernel_memory(const spec::Resources& r);
bool wants_cpu(const spec::Resources& r);
bool wants_cpuset(const spec::Resources& r);
bool wants_blkio(const spec::Resources& r);

}  // namespace res
}  // namespace burrow::cgroups
