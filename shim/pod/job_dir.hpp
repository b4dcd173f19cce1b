// A job's scratch directory: everything a job makes on the host lives under it, so teardown and
// `burrow-shim cleanup` remove one tree.
//
//   <scratch root>/<job key>/
//     owner.json        the shim's pid and its start time: a dir whose owner is gone is abandoned
//     state/            burrow's --root for the job's containers
//     logs/             burrow's per-call logs, one log per service
//     hosts             the pod's /etc/hosts
//     builds/           the workspace, unless --workspace names a host dir
//     <container>/      bundle (config.json), rootfs mount point, overlay upper and work dirs
#pragma once

#include <sys/types.h>

#include <optional>
#include <string>
#include <vector>

#include "base/error.hpp"

namespace burrow::shim::pod {

// The shim process that owns a job dir: pid plus its start time in clock ticks since boot
// (/proc/<pid>/stat field 22), so a recycled pid is never taken for the owner.
struct Owner {
  pid_t pid = 0;
  unsigned long long start_time = 0;
  bool operator==(const Owner&) const = default;
};

// This process, as an Owner.
Result<Owner> current_owner();
// Whether `owner` is still the same live process.
bool owner_alive(const Owner& owner);

class JobDir {
 public:
  // Makes <root>/<key> (the key must be new) with its subdirs and owner.json.
  static Result<JobDir> create(const std::string& root, const std::string& key);

  const std::string& path() const { return path_; }
  const std::string& key() const { return key_; }
  std::string state_dir() const { return path_ + "/state"; }
  std::string logs_dir() const { return path_ + "/logs"; }
  std::string hosts_file() const { return path_ + "/hosts"; }
  std::string builds_dir() const { return path_ + "/builds"; }
  std::string container_dir(const std::string& name) const { return path_ + "/" + name; }

 private:
  JobDir(std::string path, std::string key) : path_(std::move(path)), key_(std::move(key)) {}
  std::string path_;
  std::string key_;
};

// owner.json of a job dir; an error when it is missing or unreadable (a dir being created).
Result<Owner> read_owner(const std::string& job_dir);

// The job dirs under `root` whose owner is gone (or that have no readable owner.json and are
// older than a minute, so a dir being created is never taken).
Result<std::vector<std::string>> abandoned_job_dirs(const std::string& root);

}  // namespace burrow::shim::pod
