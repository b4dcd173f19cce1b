#include "spec/default_spec.hpp"

#include <string>

namespace burrow::spec {
namespace {

using nlohmann::json;

json default_process() {
  const json caps = {"CAP_AUDIT_WRITE", "CAP_KILL", "CAP_NET_BIND_SERVICE"};
  return {
      // runc's default: scripts written for runc run this config with --console-socket.
      {"terminal", true},
      {"user", {{"uid", 0}, {"gid", 0}}},
      {"args", {"sh"}},
      {"env", {"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "TERM=xterm"}},
      {"cwd", "/"},
      // runc 1.1's sets, ambient included; with no inheritable set the kernel raises none of
      // the ambient ones, so the process gets exactly the effective and permitted sets.
      {"capabilities",
       {{"bounding", caps}, {"effective", caps}, {"permitted", caps}, {"ambient", caps}}},
      {"rlimits", {{{"type", "RLIMIT_NOFILE"}, {"hard", 1024}, {"soft", 1024}}}},
      {"noNewPrivileges", true},
  };
}

json mount(const char* destination, const char* type, const char* source, json options) {
  json m = {{"destination", destination}, {"type", type}, {"source", source}};
  if (!options.empty()) m["options"] = std::move(options);
  return m;
}

json default_mounts(bool rootless) {
  json devpts_options = {"nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620"};
  // A rootless container has only its own ids: gid 5 (tty) is not mapped.
  if (!rootless) devpts_options.push_back("gid=5");
  // A new sysfs needs a network namespace of our own; rootless keeps the host's, so bind it.
  json sys = rootless ? mount("/sys", "none", "/sys", {"rbind", "nosuid", "noexec", "nodev", "ro"})
                      : mount("/sys", "sysfs", "sysfs", {"nosuid", "noexec", "nodev", "ro"});
  return {
      mount("/proc", "proc", "proc", json::array()),
      mount("/dev", "tmpfs", "tmpfs", {"nosuid", "strictatime", "mode=755", "size=65536k"}),
      mount("/dev/pts", "devpts", "devpts", devpts_options),
      mount("/dev/shm", "tmpfs", "shm", {"nosuid", "noexec", "nodev", "mode=1777", "size=65536k"}),
      mount("/dev/mqueue", "mqueue", "mqueue", {"nosuid", "noexec", "nodev"}),
      sys,
      mount("/sys/fs/cgroup", "cgroup", "cgroup", {"nosuid", "noexec", "nodev", "relatime", "ro"}),
  };
}

json namespace_list(std::initializer_list<const char*> types) {
  json list = json::array();
  for (const char* type : types) list.push_back({{"type", type}});
  return list;
}

json default_linux(bool rootless, uint32_t uid, uint32_t gid) {
  json linux_section = {
      {"maskedPaths",
       {"/proc/acpi", "/proc/asound", "/proc/kcore", "/proc/keys", "/proc/latency_stats",
        "/proc/timer_list", "/proc/timer_stats", "/proc/sched_debug", "/sys/firmware",
        "/proc/scsi"}},
      {"readonlyPaths", {"/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger"}},
  };
  if (rootless) {
    linux_section["namespaces"] = namespace_list({"pid", "ipc", "uts", "mount", "user"});
    linux_section["uidMappings"] = {{{"containerID", 0}, {"hostID", uid}, {"size", 1}}};
    linux_section["gidMappings"] = {{{"containerID", 0}, {"hostID", gid}, {"size", 1}}};
  } else {
    linux_section["namespaces"] = namespace_list({"pid", "network", "ipc", "uts", "mount"});
    linux_section["resources"] = {{"devices", {{{"allow", false}, {"access", "rwm"}}}}};
  }
  return linux_section;
}

}  // namespace

nlohmann::json default_config(bool rootless, uint32_t uid, uint32_t gid) {
  return {
      // What runc 1.1 writes: the config uses nothing newer, and crun 1.8 (Debian 12) refuses
      // versions above 1.1.0, so the bundle stays usable with the other runtimes.
      {"ociVersion", "1.0.2-dev"},
      {"process", default_process()},
      {"root", {{"path", "rootfs"}, {"readonly", true}}},
      {"hostname", "burrow"},
      {"mounts", default_mounts(rootless)},
      {"linux", default_linux(rootless, uid, gid)},
  };
}

}  // namespace burrow::spec
