#include "spec/known_names.hpp"

#include <algorithm>
#include <string>

#include "spec/validate_parts.hpp"

namespace burrow::spec {
namespace {

constexpr std::string_view kMountOptions[] = {"async",        "atime",        "bind",
                                              "defaults",     "dev",          "diratime",
                                              "dirsync",      "exec",         "iversion",
                                              "lazytime",     "loud",         "mand",
                                              "noatime",      "nodev",        "nodiratime",
                                              "noexec",       "noiversion",   "nolazytime",
                                              "nomand",       "norelatime",   "nostrictatime",
                                              "nosuid",       "nosymfollow",  "rbind",
                                              "relatime",     "remount",      "ro",
                                              "rw",           "silent",       "strictatime",
                                              "suid",         "sync",         "symfollow",
                                              "private",      "rprivate",     "shared",
                                              "rshared",      "slave",        "rslave",
                                              "unbindable",   "runbindable",  "rro",
                                              "rrw",          "rnosuid",      "rsuid",
                                              "rnodev",       "rdev",         "rnoexec",
                                              "rexec",        "rnodiratime",  "rdiratime",
                                              "rrelatime",    "rnorelatime",  "rnoatime",
                                              "ratime",       "rstrictatime", "rnostrictatime",
                                              "rnosymfollow", "rsymfollow",   "idmap",
                                              "ridmap",       "tmpcopyup"};

constexpr std::string_view kHooks[] = {"prestart",       "createRuntime", "createContainer",
                                       "startContainer", "poststart",     "poststop"};

}  // namespace

std::span<const std::string_view> recognized_mount_options() {
  return kMountOptions;
}

bool is_recognized_mount_option(std::string_view option) {
  return std::find(std::begin(kMountOptions), std::end(kMountOptions), option) !=
         std::end(kMountOptions);
}

// Asks the refusal table itself, so this answer changes when a refused option lands.
bool is_bindable_proc_file(std::string_view destination) {
  static constexpr std::string_view kFiles[] = {
      "/proc/cpuinfo", "/proc/diskstats", "/proc/meminfo",  "/proc/stat",   "/proc/swaps",
      "/proc/uptime",  "/proc/loadavg",   "/proc/slabinfo", "/proc/net/dev"};
  return std::find(std::begin(kFiles), std::end(kFiles), destination) != std::end(kFiles);
}

bool is_supported_mount_option(std::string_view option) {
  if (!is_recognized_mount_option(option)) return false;
  Spec spec;
  Mount mount;
  mount.destination = "/mnt";
  mount.type = "tmpfs";
  mount.options = {std::string(option)};
  spec.mounts.push_back(mount);
  return static_cast<bool>(validate_parts::check_unsupported(spec));
}

bool is_seccomp_supported() {
  Spec spec;
  spec.linux.emplace();
  spec.linux->seccomp.emplace();
  return static_cast<bool>(validate_parts::check_unsupported(spec));
}

std::span<const std::string_view> hook_names() {
  return kHooks;
}

}  // namespace burrow::spec
