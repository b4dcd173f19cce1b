// burrow state and burrow list: read-only views in runc's exact output shapes.
#include <unistd.h>

#include "container/loaded.hpp"
#include "container/operations.hpp"
#include "state/output.hpp"

namespace burrow::container {

Result<std::string> state(const GlobalOptions& global, const StateOptions& options) {
  state::StateStore store(global.root);
  LoadedContainer container = BURROW_TRY(load_container(store, options.id));
  return state::state_text(container.state, container.status);
}

Result<std::string> list(const GlobalOptions& global, const ListOptions& options) {
  state::StateStore store(global.root);
  std::vector<state::ListEntry> entries;
  for (const auto& id : BURROW_TRY(store.list_ids())) {
    auto container = load_container(store, id);
    if (container) {
      entries.push_back({container->state, container->status});
      continue;
    }
    // A directory without state.json whose create died before saving anything: shown stopped
    // (pid 0, no bundle), so that it is seen and `delete -f` or `gc` removes it.
    if (container.error().code != ENOENT) continue;
    if (::access(store.container_dir(id).c_str(), F_OK) != 0) continue;  // deleted meanwhile
    state::ContainerState abandoned;
    abandoned.id = id;
    entries.push_back({abandoned, state::ContainerStatus::stopped});
  }
  if (options.quiet) return state::list_quiet(entries);
  if (options.format == ListFormat::json) return state::list_json_text(entries);
  return state::list_table(entries);
}

}  // namespace burrow::container
