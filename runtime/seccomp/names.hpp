// The OCI seccomp vocabulary (runtime-spec config-linux.md, "Seccomp"): the strings config.json
// may use for actions, comparison operators, architectures and filter flags, and what each means
// to libseccomp and the kernel. `burrow features` and the compiler share these tables.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace burrow::seccomp {

enum class Action { kill_thread, kill_process, trap, errno_ret, trace, allow, log, notify };

struct ArchName {
  std::string_view name;  // "SCMP_ARCH_X86_64"
  uint32_t token;         // libseccomp's SCMP_ARCH_* value; 0 when libseccomp 2.5.4 lacks it
};

// "SCMP_ACT_KILL" ... (SCMP_ACT_KILL is SCMP_ACT_KILL_THREAD, as in libseccomp).
std::optional<Action> action_from_name(std::string_view name);
// SCMP_CMP_NE ... SCMP_CMP_MASKED_EQ as libseccomp's enum scmp_compare value.
std::optional<int> operator_from_name(std::string_view name);
// Every architecture name the runtime-spec lists; token 0 marks those libseccomp cannot add.
std::optional<ArchName> arch_from_name(std::string_view name);
// SECCOMP_FILTER_FLAG_* value of a flag config.json may name.
std::optional<unsigned> flag_from_name(std::string_view name);

// Sorted names, for `features`.
std::vector<std::string> action_names();
std::vector<std::string> operator_names();
std::vector<std::string> arch_names();  // only those this build can add
std::vector<std::string> flag_names();

}  // namespace burrow::seccomp
