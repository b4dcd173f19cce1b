#include "linux/mount_cgroup.hpp"

#include <sys/mount.h>

#include <algorithm>
#include <array>
#include <string_view>

namespace burrow::linux {
namespace {

constexpr std::string_view kCgroupRoot = "/sys/fs/cgroup";
constexpr unsigned long kDefaultFlags = MS_NOSUID | MS_NODEV | MS_NOEXEC;

// Superblock options that do not select a hierarchy (and some, like release_agent, a user
// namespace may not pass at all).
constexpr std::array<std::string_view, 9> kNonSelectingOptions = {"rw",
                                                                  "ro",
                                                                  "xattr",
                                                                  "noprefix",
                                                                  "clone_children",
                                                                  "cpuset_v2_mode",
                                                                  "favordynmods",
                                                                  "nofavordynmods",
                                                                  "none"};

std::vector<std::string> split_commas(std::string_view text) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start <= text.size()) {
    size_t end = text.find(',', start);
    if (end == std::string_view::npos) end = text.size();
    if (end > start) out.emplace_back(text.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

std::string selecting_options(std::string_view super_options) {
  std::string out;
  for (const auto& option : split_commas(super_options)) {
    bool skip = std::find(kNonSelectingOptions.begin(), kNonSelectingOptions.end(), option) !=
                kNonSelectingOptions.end();
    if (skip || (option.find('=') != std::string::npos && !option.starts_with("name="))) continue;
    if (!out.empty()) out += ',';
    out += option;
  }
  return out;
}

bool under_cgroup_root(const std::string& path) {
  return path.starts_with(kCgroupRoot) &&
         (path.size() == kCgroupRoot.size() || path[kCgroupRoot.size()] == '/');
}

std::string relative_name(const std::string& mount_point) {
  return mount_point.substr(std::min(mount_point.size(), kCgroupRoot.size() + 1));
}

Result<MountStep> hierarchy_step(const MountStep& cgroup, const CgroupHierarchy& h,
                                 const std::string& destination, const RootfsConfig& config) {
  MountStep step;
  step.destination = destination;
  if (config.has_cgroup_namespace) {
    step.kind = MountKind::filesystem;
    step.source = "cgroup";
    step.type = h.v2 ? "cgroup2" : "cgroup";
    step.flags = cgroup.flags | kDefaultFlags;
    step.data = h.options;
    return step;
  }
  auto dir = config.cgroup_dirs.find(h.mount_point);
  if (dir == config.cgroup_dirs.end())
    return Error::msg("cgroup " + h.mount_point + ": no cgroup dir of the container given", EINVAL);
  step.kind = MountKind::bind;
  step.source = dir->second;
  step.flags = MS_BIND;
  step.remount_flags = cgroup.flags | kDefaultFlags;
  return step;
}

// cpu,cpuacct -> links "cpu" and "cpuacct" to it, unless a hierarchy already has that name.
void add_comount_links(const MountStep& cgroup, const std::vector<CgroupHierarchy>& hierarchies,
                       std::vector<MountStep>& steps) {
  for (const auto& h : hierarchies) {
    std::string name = relative_name(h.mount_point);
    if (name.find(',') == std::string::npos) continue;
    for (const auto& controller : split_commas(name)) {
      bool taken = std::any_of(hierarchies.begin(), hierarchies.end(), [&](const auto& other) {
        return relative_name(other.mount_point) == controller;
      });
      if (taken || controller.find('=') != std::string::npos) continue;
      MountStep link;
      link.kind = MountKind::symlink;
      link.destination = cgroup.destination + "/" + controller;
      link.source = name;
      steps.push_back(std::move(link));
    }
  }
}

MountStep pure_v2_step(const MountStep& cgroup, const RootfsConfig& config) {
  MountStep step = cgroup;
  auto dir = config.cgroup_dirs.find(std::string(kCgroupRoot));
  if (!config.has_cgroup_namespace && dir != config.cgroup_dirs.end()) {
    step.kind = MountKind::bind;
    step.source = dir->second;
    step.type.clear();
    step.remount_flags = cgroup.flags | kDefaultFlags;
    step.flags = MS_BIND;
    step.data.clear();
    return step;
  }
  step.kind = MountKind::filesystem;
  step.source = "cgroup2";
  step.type = "cgroup2";
  step.data.clear();
  return step;
}

}  // namespace

std::vector<CgroupHierarchy> cgroup_hierarchies(const std::vector<MountInfo>& mounts) {
  std::vector<CgroupHierarchy> out;
  for (const auto& m : mounts) {
    if ((m.fs_type != "cgroup" && m.fs_type != "cgroup2") || !under_cgroup_root(m.mount_point))
      continue;
    CgroupHierarchy h{m.mount_point, m.fs_type == "cgroup2",
                      m.fs_type == "cgroup2" ? "" : selecting_options(m.super_options)};
    auto same = std::find_if(out.begin(), out.end(),
                             [&](const auto& o) { return o.mount_point == h.mount_point; });
    if (same != out.end())
      *same = std::move(h);  // mounted over: the later mount is what is visible
    else
      out.push_back(std::move(h));
  }
  return out;
}

Result<std::vector<MountStep>> expand_cgroup_mount(const MountStep& cgroup,
                                                   const std::vector<CgroupHierarchy>& hierarchies,
                                                   const RootfsConfig& config) {
  if (hierarchies.empty()) return Error::msg("no cgroup hierarchies mounted on the host", ENOENT);
  if (hierarchies.size() == 1 && hierarchies[0].mount_point == kCgroupRoot && hierarchies[0].v2)
    return std::vector<MountStep>{pure_v2_step(cgroup, config)};
  std::vector<MountStep> steps;
  MountStep tmpfs;
  tmpfs.destination = cgroup.destination;
  tmpfs.source = "tmpfs";
  tmpfs.type = "tmpfs";
  tmpfs.flags = kDefaultFlags;
  tmpfs.data = "mode=755";
  steps.push_back(std::move(tmpfs));
  for (const auto& h : hierarchies) {
    if (h.mount_point == kCgroupRoot) continue;  // a tmpfs (or v2) root was handled above
    std::string destination = cgroup.destination + "/" + relative_name(h.mount_point);
    steps.push_back(BURROW_TRY(hierarchy_step(cgroup, h, destination, config)));
  }
  add_comount_links(cgroup, hierarchies, steps);
  MountStep finish;
  finish.kind = MountKind::remount;
  finish.destination = cgroup.destination;
  // Delegated, the hierarchies under it are writable but the tmpfs holding them stays
  // read-only: there is nothing of the container's to write there.
  if ((cgroup.flags & MS_RDONLY) || config.delegated_cgroup)
    finish.remount_flags = MS_RDONLY | kDefaultFlags;
  finish.propagation = cgroup.propagation;
  finish.recursive = cgroup.recursive;
  if (finish.remount_flags != 0 || !finish.propagation.empty() || !finish.recursive.empty())
    steps.push_back(std::move(finish));
  return steps;
}

}  // namespace burrow::linux
