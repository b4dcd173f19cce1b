#include "spec/validate.hpp"

#include <sys/stat.h>

#include <algorithm>
#include <regex>
#include <set>

#include <spdlog/spdlog.h>

#include "spec/names.hpp"
#include "spec/validate_parts.hpp"

namespace burrow::spec {
namespace {

using validate_parts::at;
using validate_parts::in_quotes;
using validate_parts::invalid;
using validate_parts::is_absolute;

// 1.x.y with an optional pre-release and build suffix: "1.0.2-dev" (Debian's dockerd), "1.2.0",
// "1.0.0-rc5+dev", "1.1.0-rc.1". runc never reads ociVersion, and configs written for it carry
// anything ("0.5.0", "foo", none): any string is read as runtime-spec 1.x, and one outside 1.x.y
// is named in the debug log.
void check_version(const Spec& spec) {
  static const std::regex kVersion(
      R"(1\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?)");
  if (std::regex_match(spec.oci_version, kVersion)) return;
  spdlog::debug(
      "config.json: ociVersion: {} is not a runtime-spec 1.x.y version; read as 1.2 "
      "(runc does not check it either)",
      in_quotes(spec.oci_version));
}

Status check_root(const Spec& spec, const ValidationContext& ctx) {
  if (spec.root.path.empty()) return invalid("root.path", "root must be specified");
  std::string rootfs = spec.root.path;
  if (!is_absolute(rootfs)) rootfs = ctx.bundle_dir + "/" + rootfs;
  struct stat st {};
  if (::stat(rootfs.c_str(), &st) != 0) {
    return Error::from_errno("invalid rootfs: stat " + rootfs).wrap("root.path");
  }
  if (!S_ISDIR(st.st_mode)) {
    return invalid("root.path", "invalid rootfs: " + rootfs + " is not a directory");
  }
  return {};
}

Status check_capabilities(const Capabilities& caps) {
  for (const auto& [set, name] :
       {std::pair{&caps.bounding, "bounding"}, std::pair{&caps.effective, "effective"},
        std::pair{&caps.inheritable, "inheritable"}, std::pair{&caps.permitted, "permitted"},
        std::pair{&caps.ambient, "ambient"}}) {
    for (size_t i = 0; i < set->size(); ++i) {
      if (!capability_number((*set)[i])) {
        return invalid(at(std::string("process.capabilities.") + name, i),
                       "unknown capability " + in_quotes((*set)[i]));
      }
    }
  }
  return {};
}

Status check_rlimits(const std::vector<Rlimit>& rlimits) {
  std::set<int> seen;
  for (size_t i = 0; i < rlimits.size(); ++i) {
    const Rlimit& rlimit = rlimits[i];
    const std::string path = at("process.rlimits", i);
    if (!seen.insert(rlimit.resource).second) {
      return invalid(path + ".type", "duplicate rlimit " + in_quotes(rlimit.type));
    }
    if (rlimit.soft > rlimit.hard) {
      return invalid(path, "soft limit " + std::to_string(rlimit.soft) +
                               " is greater than hard limit " + std::to_string(rlimit.hard));
    }
  }
  return {};
}

Status check_process(const Spec& spec) {
  if (!spec.process) return invalid("process", "process property must not be empty");
  const Process& process = *spec.process;
  if (process.cwd.empty()) return invalid("process.cwd", "Cwd property must not be empty");
  if (!is_absolute(process.cwd)) return invalid("process.cwd", "Cwd must be an absolute path");
  if (process.args.empty()) return invalid("process.args", "args must not be empty");
  if (process.console_size && !process.terminal) {
    return invalid("process.consoleSize", "consoleSize requires terminal to be true");
  }
  if (process.oom_score_adj && (*process.oom_score_adj < -1000 || *process.oom_score_adj > 1000)) {
    return invalid("process.oomScoreAdj",
                   std::to_string(*process.oom_score_adj) + " is out of range [-1000, 1000]");
  }
  if (process.capabilities) BURROW_TRY(check_capabilities(*process.capabilities));
  return check_rlimits(process.rlimits);
}

}  // namespace

Status validate_config(const Spec& spec, const ValidationContext& ctx) {
  using namespace validate_parts;
  Status status = [&]() -> Status {
    check_version(spec);
    BURROW_TRY(check_unsupported(spec));
    BURROW_TRY(check_root(spec, ctx));
    BURROW_TRY(check_process(spec));
    BURROW_TRY(check_process_scheduling(spec));
    BURROW_TRY(check_memory_policy(spec));
    BURROW_TRY(check_namespaces(spec));
    BURROW_TRY(check_user_namespace(spec, ctx));
    BURROW_TRY(check_uts_and_paths(spec));
    BURROW_TRY(check_time_offsets(spec));
    BURROW_TRY(check_hooks(spec));
    BURROW_TRY(check_sysctl(spec));
    BURROW_TRY(check_devices(spec));
    return check_mounts(spec);
  }();
  if (!status) return std::move(status).error().wrap("config.json");
  return {};
}

Status validate_process(const Spec& spec, bool relative_paths) {
  using namespace validate_parts;
  Status status = [&]() -> Status {
    BURROW_TRY(check_unsupported(spec));
    BURROW_TRY(check_process(spec));
    return check_process_scheduling(spec);
  }();
  if (status || !relative_paths) return status;
  Error error = std::move(status).error();
  constexpr std::string_view kPrefix = "process.";
  if (error.message.starts_with(kPrefix)) error.message.erase(0, kPrefix.size());
  // "process: process property must not be empty" has no member path to strip.
  return error;
}

}  // namespace burrow::spec
