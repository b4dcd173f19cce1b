#include "cgroups/delegation.hpp"

#include <sstream>

namespace burrow::cgroups {
namespace {

// A limit file must never be handed over, whatever a kernel list says: the container would raise
// its own limits. Files of a controller are "<controller>.<knob>"; only these are known safe.
bool safe_to_delegate(const std::string& name) {
  static const char* const kSafe[] = {"cgroup.procs", "cgroup.threads", "cgroup.subtree_control",
                                      "memory.oom.group", "memory.reclaim"};
  for (const char* safe : kSafe) {
    if (name == safe) return true;
  }
  return false;
}

}  // namespace

Result<bool> delegation_requested(const std::map<std::string, std::string>& annotations) {
  const std::string prefix = "run.burrow.cgroup.";
  bool requested = false;
  for (const auto& [key, value] : annotations) {
    if (key.compare(0, prefix.size(), prefix) != 0) continue;
    if (key != kDelegateAnnotation)
      return Error::msg("annotation " + key + ": unknown (known: " + kDelegateAnnotation + ")",
                        EINVAL);
    if (value != "true" && value != "false")
      return Error::msg(
          "annotation " + key + ": invalid value \"" + value + "\": want true or false", EINVAL);
    requested = value == "true";
  }
  return requested;
}

std::vector<std::string> delegated_files(bool cgroup2, const std::string& kernel_list) {
  if (!cgroup2) return {"cgroup.procs", "tasks", "cgroup.clone_children"};
  std::vector<std::string> files;
  std::istringstream names(kernel_list);
  for (std::string name; names >> name;) {
    if (safe_to_delegate(name)) files.push_back(name);
  }
  if (files.empty()) files = {"cgroup.procs", "cgroup.threads", "cgroup.subtree_control"};
  return files;
}

}  // namespace burrow::cgroups
