// OOM notifications for `burrow events`: v1 through an eventfd registered on memory.oom_control
// (cgroup.event_control), v2 by watching memory.events with inotify.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "base/error.hpp"
#include "cgroups/context.hpp"

namespace burrow::cgroups {

class OomWatcher {
 public:
  virtual ~OomWatcher() = default;
  // Readable (POLLIN) when something happened.
  virtual int fd() const = 0;
  // After fd() polled readable: how many OOM events happened since the last call (0 when the
  // wake-up was something else, such as the cgroup being removed).
  virtual Result<uint64_t> consume() = 0;
};

Result<std::unique_ptr<OomWatcher>> watch_oom_v1(const CgroupsContext& ctx,
                                                 const std::string& memory_dir);
Result<std::unique_ptr<OomWatcher>> watch_oom_v2(const std::string& unified_dir);

}  // namespace burrow::cgroups
