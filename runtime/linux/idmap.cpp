#include "linux/idmap.hpp"

#include "base/file.hpp"

namespace burrow::linux {

std::string format_id_map(const std::vector<spec::IdMapping>& mappings) {
  std::string out;
  for (const auto& m : mappings)
    out += std::to_string(m.container_id) + " " + std::to_string(m.host_id) + " " +
           std::to_string(m.size) + "\n";
  return out;
}

Status write_id_maps(pid_t pid, const std::vector<spec::IdMapping>& uid_mappings,
                     const std::vector<spec::IdMapping>& gid_mappings, bool deny_setgroups) {
  std::string base = "/proc/" + std::to_string(pid) + "/";
  if (deny_setgroups) BURROW_TRY_CTX(file::write(base + "setgroups", "deny"), "user namespace");
  if (!gid_mappings.empty())
    BURROW_TRY_CTX(file::write(base + "gid_map", format_id_map(gid_mappings)),
                   "write gid mappings");
  if (!uid_mappings.empty())
    BURROW_TRY_CTX(file::write(base + "uid_map", format_id_map(uid_mappings)),
                   "write uid mappings");
  return {};
}

}  // namespace burrow::linux
