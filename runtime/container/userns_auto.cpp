#include "container/userns_auto.hpp"

#include <nlohmann/json.hpp>

#include "base/file.hpp"

namespace burrow::container {
namespace {

const std::string kAnnotation = kUsernsAnnotation;

Error annotation_error(const std::string& reason) {
  return Error::msg("annotation " + kAnnotation + "=auto: " + reason, EINVAL);
}

// Whether the config asks for a leased range; unknown values and run.burrow.userns.* keys are
// refused by name.
Result<bool> requested(const spec::Spec& spec) {
  bool asked = false;
  for (const auto& [key, value] : spec.annotations) {
    if (key.rfind(kAnnotation, 0) != 0) continue;
    if (key != kAnnotation)
      return Error::msg("annotation " + key + ": unknown (known: " + kAnnotation + ")", EINVAL);
    if (value != "auto")
      return Error::msg("annotation " + key + ": invalid value \"" + value + "\": want auto",
                        EINVAL);
    asked = true;
  }
  return asked;
}

Status check_config(const spec::Spec& spec, const GlobalOptions& global) {
  if (global.is_rootless || global.in_user_namespace)
    return annotation_error(
        "a rootless container maps the caller's own subordinate ids: give linux.uidMappings "
        "and linux.gidMappings instead");
  const spec::Namespace* user = spec.find_namespace(spec::NamespaceType::user);
  if (user && !user->path.empty())
    return annotation_error("linux.namespaces joins the user namespace " + user->path +
                            ", which has its maps already");
  if (spec.linux && !spec.linux->uid_mappings.empty())
    return annotation_error("linux.uidMappings is set too: give one or the other");
  if (spec.linux && !spec.linux->gid_mappings.empty())
    return annotation_error("linux.gidMappings is set too: give one or the other");
  return {};
}

// The stored config.json says what the container runs with (exec, update and state read it).
Status write_mappings(const std::string& path, const state::IdLease& lease) {
  auto text = BURROW_TRY(file::read(path));
  auto config = nlohmann::json::parse(text, nullptr, false);
  if (!config.is_object()) return Error::msg(path + ": not a JSON object", EINVAL);
  auto& linux_section = config["linux"];
  auto& namespaces = linux_section["namespaces"];
  bool has_user = false;
  if (namespaces.is_array())
    for (const auto& ns : namespaces) has_user |= ns.value("type", "") == "user";
  if (!has_user) namespaces.push_back({{"type", "user"}});
  linux_section["uidMappings"] = {
      {{"containerID", 0}, {"hostID", lease.host_uid}, {"size", state::kIdRangeSize}}};
  linux_section["gidMappings"] = {
      {{"containerID", 0}, {"hostID", lease.host_gid}, {"size", state::kIdRangeSize}}};
  return file::write_atomic(path, config.dump(), 0600);
}

}  // namespace

Result<state::IdPool> host_id_pool(const GlobalOptions& global) {
  if (!global.userns_pool.empty()) return state::parse_id_pool(global.userns_pool);
  const std::string subuid = "/etc/subuid";
  const std::string subgid = "/etc/subgid";
  auto uids = file::read(subuid);
  if (!uids) return std::move(uids).error().wrap(subuid);
  auto gids = file::read(subgid);
  if (!gids) return std::move(gids).error().wrap(subgid);
  return state::id_pool_from_subordinate("burrow", *uids, subuid, *gids, subgid);
}

Result<std::optional<state::IdLease>> lease_id_range(spec::Spec& spec, const GlobalOptions& global,
                                                     const std::string& id,
                                                     const std::string& stored_config) {
  if (!BURROW_TRY(requested(spec))) return std::optional<state::IdLease>();
  BURROW_TRY(check_config(spec, global));
  state::IdPool pool = BURROW_TRY_CTX(host_id_pool(global), "annotation " + kAnnotation + "=auto");
  state::IdLease lease =
      BURROW_TRY_CTX(state::acquire_id_range(state::kIdLeaseRegistry, pool, global.root, id),
                     "annotation " + kAnnotation + "=auto");
  auto recorded = write_mappings(stored_config, lease);
  if (!recorded) {
    (void)state::release_id_range(state::kIdLeaseRegistry, lease.host_uid, global.root, id);
    return std::move(recorded).error();
  }
  if (!spec.linux) spec.linux.emplace();
  if (!spec.find_namespace(spec::NamespaceType::user))
    spec.linux->namespaces.push_back({spec::NamespaceType::user, ""});
  spec.linux->uid_mappings = {{0, lease.host_uid, state::kIdRangeSize}};
  spec.linux->gid_mappings = {{0, lease.host_gid, state::kIdRangeSize}};
  return std::optional<state::IdLease>(lease);
}

Status return_id_range(const std::string& root, const std::string& id, uint32_t host_uid) {
  return state::release_id_range(state::kIdLeaseRegistry, host_uid, root, id);
}

}  // namespace burrow::container
