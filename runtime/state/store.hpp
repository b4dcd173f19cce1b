// The state directory: <root>/<id>/ per container (0700) with state.json, a private copy of the
// bundle's config.json and the exec fifo. Commands on one id serialize on an exclusive flock of
// the container directory, held through a ContainerLock. Holds are meant to be short: never
// wait for another process (e.g. the container's init) while holding one.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "base/error.hpp"
#include "base/fd.hpp"
#include "state/container_state.hpp"

namespace burrow::state {

// An exclusive flock on a container directory; released when destroyed.
class ContainerLock {
 public:
  ContainerLock(std::string id, std::string dir, Fd dir_fd)
      : id_(std::move(id)), dir_(std::move(dir)), dir_fd_(std::move(dir_fd)) {}
  ContainerLock(ContainerLock&&) noexcept = default;
  ContainerLock& operator=(ContainerLock&&) noexcept = default;

  const std::string& id() const { return id_; }
  const std::string& dir() const { return dir_; }  // <root>/<id>
  int dir_fd() const { return dir_fd_.get(); }

 private:
  std::string id_;
  std::string dir_;
  Fd dir_fd_;  // the flock lives on this open file description
};

class StateStore {
 public:
  explicit StateStore(std::string root) : root_(std::move(root)) {}

  const std::string& root() const { return root_; }
  std::string container_dir(const std::string& id) const { return root_ + "/" + id; }
  std::string state_path(const std::string& id) const { return container_dir(id) + "/state.json"; }
  // The container's own copy of config.json (see write_config).
  std::string config_path(const std::string& id) const {
    return container_dir(id) + "/config.json";
  }
  std::string exec_fifo_path(const std::string& id) const {
    return container_dir(id) + "/exec.fifo";
  }

  // Creates the root (0700) if needed and <root>/<id> (0700), locked. An existing id fails with
  // "container with given ID already exists"; a bad id with "invalid container ID format".
  Result<ContainerLock> create_container_dir(const std::string& id) const;
  // Locks an existing container; "container does not exist" when it is not there (also when a
  // concurrent delete removed it while this call waited for the lock).
  Result<ContainerLock> lock(const std::string& id) const;
  // The lock if nobody holds it now; nullopt while another burrow works on the container.
  Result<std::optional<ContainerLock>> try_lock(const std::string& id) const;

  // "container does not exist" when state.json is missing (a create that has not saved yet).
  Result<ContainerState> load(const ContainerLock& lock) const;
  Status save(const ContainerLock& lock, const ContainerState& state) const;
  // Byte copy of the bundle's config.json, so later edits of the bundle do not change the
  // container.
  Status write_config(const ContainerLock& lock, const std::string& bundle_config) const;
  // mkfifo exec.fifo, mode 0622 regardless of umask (as runc).
  Status create_exec_fifo(const ContainerLock& lock) const;
  // Missing fifo is success.
  Status remove_exec_fifo(const ContainerLock& lock) const;
  // Removes <root>/<id> and everything in it; the lock ends with it.
  Status destroy(ContainerLock&& lock) const;

  // Ids of the container directories under root, sorted; empty when root does not exist.
  Result<std::vector<std::string>> list_ids() const;

 private:
  Result<ContainerLock> lock_once(const std::string& id, bool& replaced) const;

  std::string root_;
};

}  // namespace burrow::state
