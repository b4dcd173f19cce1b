#include "spec/model.hpp"

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
