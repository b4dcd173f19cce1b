// burrow gc: removes what dead creates left under --root. A create that was killed before it
// saved anything leaves a directory without state.json; one killed later leaves a state.json
// whose init pid is still 0 ("creating") with the cgroups, network helpers and id range it had
// recorded before making them. Nobody holds such a directory's lock (a live create or delete
// would), so gc takes each lock without waiting, skips the busy ones, and removes these two kinds
// as `delete -f` would. Containers that got as far as created, running, paused or stopped are
// their engine's to delete, and stay.
#include <unistd.h>

#include "container/delete_container.hpp"
#include "container/loaded.hpp"
#include "container/operations.hpp"

namespace burrow::container {

Result<std::string> gc(const GlobalOptions& global) {
  state::StateStore store(global.root);
  std::string report;
  for (const auto& id : BURROW_TRY(store.list_ids())) {
    auto locked = store.try_lock(id);
    if (!locked) {
      if (locked.error().code == ENOENT) continue;  // removed meanwhile
      return std::move(locked).error();
    }
    if (!*locked) continue;  // another burrow works on it
    state::ContainerLock lock = std::move(**locked);
    if (::access(store.state_path(id).c_str(), F_OK) != 0) {
      BURROW_TRY(store.destroy(std::move(lock)));
      report += "removed " + id + ": a create died before saving its state\n";
      continue;
    }
    state::ContainerState saved = BURROW_TRY(store.load(lock));
    if (saved.init_pid > 0) continue;
    LoadedContainer container{std::move(lock), std::move(saved), state::ContainerStatus::creating};
    BURROW_TRY_CTX(destroy_container(store, std::move(container)), "gc " + id);
    report += "removed " + id +
              ": a create died before its container existed (its cgroups, "
              "network helpers and id range too)\n";
  }
  return report;
}

}  // namespace burrow::container
