#include "container/features.hpp"

#include <algorithm>

#include "container/operations.hpp"
#include "seccomp/host_support.hpp"
#include "seccomp/names.hpp"
#include "spec/known_names.hpp"
#include "spec/model.hpp"
#include "spec/names.hpp"

#ifndef BURROW_VERSION
#error "BURROW_VERSION comes from project(VERSION) in CMakeLists.txt"
#endif

namespace burrow::container {
namespace {

using Json = nlohmann::ordered_json;

// The oldest spec burrow accepts, and the newest it implements (it also takes later 1.x.y:
// spec/validate.cpp refuses only other major versions).
constexpr const char* kOciVersionMin = "1.0.0";
constexpr const char* kOciVersionMax = "1.2.0";

// Prefix of burrow's own config.json annotations (none yet): reserved for the ones that will
// change isolation (cgroup delegation, networking), so clients that filter unsafe annotations
// filter them from the start.
constexpr const char* kUnsafeAnnotationPrefix = "run.burrow.";

template <typename Range>
Json string_list(const Range& names) {
  Json list = Json::array();
  for (const auto& name : names) list.push_back(std::string(name));
  return list;
}

Json mount_options() {
  std::vector<std::string> names;
  for (std::string_view option : spec::recognized_mount_options())
    if (spec::is_supported_mount_option(option)) names.emplace_back(option);
  std::sort(names.begin(), names.end());
  return string_list(names);
}

Json namespaces() {
  std::vector<std::string> names;
  for (auto type :
       {spec::NamespaceType::pid, spec::NamespaceType::network, spec::NamespaceType::mount,
        spec::NamespaceType::ipc, spec::NamespaceType::uts, spec::NamespaceType::user,
        spec::NamespaceType::cgroup, spec::NamespaceType::time})
    names.emplace_back(spec::namespace_type_name(type));
  std::sort(names.begin(), names.end());
  return string_list(names);
}

Json capabilities() {
  Json list = Json::array();
  for (int number = 0; !spec::capability_name(number).empty(); ++number)
    list.push_back(std::string(spec::capability_name(number)));
  return list;
}

Json seccomp(const HostFeatures& host) {
  // The compiler's own tables (seccomp/names.hpp). Reported as the validator sees
  // linux.seccomp, so never ahead of what create accepts.
  return Json{{"enabled", spec::is_seccomp_supported()},
              {"actions", string_list(seccomp::action_names())},
              {"operators", string_list(seccomp::operator_names())},
              {"archs", string_list(seccomp::arch_names())},
              {"knownFlags", string_list(seccomp::flag_names())},
              {"supportedFlags", string_list(host.seccomp_supported_flags)}};
}

Json linux_features(const HostFeatures& host) {
  // apparmor/selinux "enabled": the runtime-spec's meaning, "the runtime supports it",
  // irrespective of the host; `create` refuses a label whose LSM the host lacks.
  return Json{
      {"namespaces", namespaces()},
      {"capabilities", capabilities()},
      {"cgroup",
       {{"v1", true}, {"v2", true}, {"systemd", false}, {"systemdUser", false}, {"rdma", false}}},
      {"seccomp", seccomp(host)},
      {"apparmor", {{"enabled", true}}},
      {"selinux", {{"enabled", true}}},
      {"intelRdt", {{"enabled", false}}},
      {"mountExtensions", {{"idmap", {{"enabled", true}}}}},
  };
}

}  // namespace

HostFeatures probe_host_features() {
  return {seccomp::kernel_supported_flags(), seccomp::libseccomp_version()};
}

Json features_document(const HostFeatures& host) {
  Json doc;
  doc["ociVersionMin"] = kOciVersionMin;
  doc["ociVersionMax"] = kOciVersionMax;
  doc["hooks"] = string_list(spec::hook_names());
  doc["mountOptions"] = mount_options();
  doc["linux"] = linux_features(host);
  doc["annotations"] = Json{{"io.github.seccomp.libseccomp.version", host.libseccomp_version},
                            {"run.burrow.version", BURROW_VERSION}};
  doc["potentiallyUnsafeConfigAnnotations"] = Json::array({kUnsafeAnnotationPrefix});
  return doc;
}

Result<std::string> features() {
  return features_document(probe_host_features()).dump(4);
}

}  // namespace burrow::container
