#include "spec/model.hpp"

#include <algorithm>
#include <array>
#include <utility>

namespace burrow::spec {
namespace {

// Spec names of the namespace types, in NamespaceType order.
constexpr std::array<std::pair<NamespaceType, const char*>, 8> kNamespaceNames{{
    {NamespaceType::pid, "pid"},
    {NamespaceType::network, "network"},
    {NamespaceType::mount, "mount"},
    {NamespaceType::ipc, "ipc"},
    {NamespaceType::uts, "uts"},
    {NamespaceType::user, "user"},
    {NamespaceType::cgroup, "cgroup"},
    {NamespaceType::time, "time"},
}};

}  // namespace

bool Mount::has_option(const std::string& option) const {
  return std::find(options.begin(), options.end(), option) != options.end();
}

bool Mount::is_bind() const {
  return type == "bind" || has_option("bind") || has_option("rbind");
}

bool Mount::is_idmapped() const {
  bool asked =
      !uid_mappings.empty() || !gid_mappings.empty() || has_option("idmap") || has_option("ridmap");
  return asked && is_bind();
}

bool Mount::is_recursive_idmap() const {
  return has_option("ridmap") || has_option("rbind");
}

const Namespace* Spec::find_namespace(NamespaceType type) const {
  if (!linux) return nullptr;
  for (const Namespace& ns : linux->namespaces) {
    if (ns.type == type) return &ns;
  }
  return nullptr;
}

const char* namespace_type_name(NamespaceType type) {
  for (const auto& [known, name] : kNamespaceNames) {
    if (known == type) return name;
  }
  return "unknown";
}

std::optional<NamespaceType> parse_namespace_type(const std::string& name) {
  for (const auto& [type, known] : kNamespaceNames) {
    if (name == known) return type;
  }
  return std::nullopt;
}

}  // namespace burrow::spec
