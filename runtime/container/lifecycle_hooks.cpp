#include "container/lifecycle_hooks.hpp"

#include "base/file.hpp"
#include "process/hooks.hpp"
#include "spec/parse.hpp"

namespace burrow::container {
namespace {

const char* name_of(LateHook kind) {
  return kind == LateHook::poststart ? "poststart" : "poststop";
}

}  // namespace

Result<std::vector<spec::Hook>> snapshot_hooks(const state::StateStore& store,
                                               const std::string& id, LateHook kind) {
  std::string path = store.config_path(id);
  std::string text = BURROW_TRY(file::read(path));
  if (text.find(std::string("\"") + name_of(kind) + "\"") == std::string::npos)
    return std::vector<spec::Hook>{};
  spec::Spec spec = BURROW_TRY(spec::load_config(path));
  if (!spec.hooks) return std::vector<spec::Hook>{};
  return kind == LateHook::poststart ? spec.hooks->poststart : spec.hooks->poststop;
}

Status run_late_hooks(const std::vector<spec::Hook>& hooks, LateHook kind,
                      const state::ContainerState& state) {
  if (hooks.empty()) return {};
  process::HookState hook_state{
      state.oci_version, state.id,     kind == LateHook::poststart ? "running" : "stopped",
      state.init_pid,    state.bundle, state.annotations};
  return process::run_hooks(hooks, name_of(kind), process::hook_state_json(hook_state));
}

}  // namespace burrow::container
