// Rules for user namespaces: mappings, the process's ids, and rootless mode.
#include <charconv>

#include "spec/validate_parts.hpp"

namespace burrow::spec::validate_parts {
namespace {

struct IdKind {
  const char* name;  // "uid" / "gid"
  const std::vector<IdMapping>* mappings;
};

Status check_id_is_mapped(const IdKind& kind, uint32_t id, const std::string& path) {
  if (kind.mappings->empty() || map_id(*kind.mappings, id)) return {};
  return invalid(path, std::string("user namespaces enabled, but no mapping found for ") +
                           kind.name + " " + std::to_string(id));
}

// The process's uid, gid and additional gids must exist inside the new user namespace.
Status check_process_ids(const Spec& spec) {
  if (!spec.process) return {};
  const User& user = spec.process->user;
  IdKind uid{"uid", &spec.linux->uid_mappings};
  IdKind gid{"gid", &spec.linux->gid_mappings};
  BURROW_TRY(check_id_is_mapped(uid, user.uid, "process.user.uid"));
  BURROW_TRY(check_id_is_mapped(gid, user.gid, "process.user.gid"));
  for (size_t i = 0; i < user.additional_gids.size(); ++i) {
    BURROW_TRY(
        check_id_is_mapped(gid, user.additional_gids[i], at("process.user.additionalGids", i)));
  }
  return {};
}

// runc: uid=/gid= mount options of a rootless container must name mapped ids.
Status check_rootless_mount_ids(const Spec& spec) {
  for (size_t i = 0; i < spec.mounts.size(); ++i) {
    const auto& options = spec.mounts[i].options;
    for (size_t j = 0; j < options.size(); ++j) {
      const std::string& option = options[j];
      bool is_uid = option.starts_with("uid=");
      if (!is_uid && !option.starts_with("gid=")) continue;
      uint32_t id = 0;
      const char* begin = option.data() + 4;
      const char* end = option.data() + option.size();
      auto [next, err] = std::from_chars(begin, end, id);
      if (err != std::errc() || next != end) continue;  // not a number: not ours to judge
      IdKind kind = is_uid ? IdKind{"uid", &spec.linux->uid_mappings}
                           : IdKind{"gid", &spec.linux->gid_mappings};
      if (map_id(*kind.mappings, id)) continue;
      return invalid(at(at("mounts", i) + ".options", j),
                     "cannot specify " + option +
                         " mount option for rootless container: user namespaces enabled, but "
                         "no mapping found for " +
                         kind.name + " " + std::to_string(id));
    }
  }
  return {};
}

Status check_rootless(const Spec& spec, const Namespace* user_ns) {
  if (!user_ns) return invalid("linux.namespaces", "rootless container requires user namespaces");
  if (user_ns->path.empty()) {
    if (spec.linux->uid_mappings.empty()) {
      return invalid("linux.uidMappings", "rootless containers requires at least one UID mapping");
    }
    if (spec.linux->gid_mappings.empty()) {
      return invalid("linux.gidMappings", "rootless containers requires at least one GID mapping");
    }
  }
  return check_rootless_mount_ids(spec);
}

}  // namespace

Status check_user_namespace(const Spec& spec, const ValidationContext& ctx) {
  const Namespace* user_ns = spec.find_namespace(NamespaceType::user);
  bool has_uid_maps = spec.linux && !spec.linux->uid_mappings.empty();
  bool has_gid_maps = spec.linux && !spec.linux->gid_mappings.empty();
  if (!user_ns) {
    if (has_uid_maps || has_gid_maps) {
      return invalid(has_uid_maps ? "linux.uidMappings" : "linux.gidMappings",
                     "user namespace mappings specified, but user namespace isn't enabled in "
                     "the config");
    }
    if (ctx.rootless) return check_rootless(spec, user_ns);
    return {};
  }
  if (user_ns->path.empty()) {
    if (!has_uid_maps && !has_gid_maps) {
      return invalid("linux.namespaces",
                     "user namespaces enabled, but no namespace path to join nor mappings to "
                     "apply specified");
    }
    if (!has_uid_maps) {
      return invalid("linux.uidMappings", "user namespaces enabled, but no uid mappings found");
    }
    if (!has_gid_maps) {
      return invalid("linux.gidMappings", "user namespaces enabled, but no gid mappings found");
    }
  }
  BURROW_TRY(check_process_ids(spec));
  if (ctx.rootless) return check_rootless(spec, user_ns);
  return {};
}

}  // namespace burrow::spec::validate_parts
