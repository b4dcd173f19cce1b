#include "suites/bundle.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include "base/file.hpp"
#include "scorecard/facts.hpp"

namespace burrow::bench {

using nlohmann::json;

namespace {

Status copy_executable(const std::string& from, const std::string& to) {
  std::string data = BURROW_TRY(file::read(from));
  return file::write_atomic(to, data, 0755);
}

}  // namespace

Status make_rootfs(const std::string& dir, const std::string& busybox, const std::string& probe) {
  for (const char* sub : {"bin", "proc", "sys", "dev", "tmp", "etc", "root", "run", "mnt"}) {
    BURROW_TRY(file::mkdir_all(dir + "/" + sub));
  }
  BURROW_TRY(copy_executable(busybox, dir + "/bin/busybox"));
  BURROW_TRY(copy_executable(probe, dir + kProbePath));
  for (const char* applet : {"sh", "true", "sleep", "cat"}) {
    std::string link = dir + "/bin/" + applet;
    unlink(link.c_str());
    if (symlink("busybox", link.c_str()) != 0) return Error::from_errno("symlink " + link);
  }
  BURROW_TRY(file::write_atomic(dir + "/etc/passwd",
                                "root:x:0:0:root:/root:/bin/sh\n"
                                "nobody:x:65534:65534:nobody:/:/bin/false\n"));
  BURROW_TRY(file::write_atomic(dir + "/etc/group", "root:x:0:\nnogroup:x:65534:\n"));
  for (const char* name : {"/etc/hosts", "/etc/resolv.conf", "/etc/hostname"}) {
    BURROW_TRY(file::write_atomic(dir + name, ""));
  }
  if (chmod(dir.c_str(), 0755) != 0) return Error::from_errno("chmod " + dir);
  return {};
}

Result<json> runtime_spec(Session& session, const Target& target,
                          const std::vector<std::string>& extra, const RunAs* as) {
  std::string dir = session.work_dir() + "/" + session.new_id("spec");
  BURROW_TRY(file::mkdir_all(dir));
  if (as != nullptr &&
      chown(dir.c_str(), static_cast<uid_t>(as->uid), static_cast<gid_t>(as->gid)) != 0) {
    return Error::from_errno("chown " + dir);
  }
  std::vector<std::string> command{"spec"};
  command.insert(command.end(), extra.begin(), extra.end());
  Call call = session.run(target, command, "", dir, as);
  if (!call.ok()) return Error::msg(target.runtime.name + " " + call.error);
  std::string text = BURROW_TRY(file::read(dir + "/config.json"));
  BURROW_TRY(file::remove_all(dir));
  json config = json::parse(text, nullptr, false);
  if (config.is_discarded()) return Error::msg(target.runtime.name + " spec wrote no JSON config");
  return config;
}

json workload(json config, const std::string& rootfs, const std::vector<std::string>& args) {
  config["process"]["args"] = args;
  config["process"]["terminal"] = false;
  config["root"] = {{"path", rootfs}, {"readonly", true}};
  if (!config.contains("mounts")) config["mounts"] = json::array();
  config["mounts"].push_back({{"destination", "/tmp"},
                              {"type", "tmpfs"},
                              {"source", "tmpfs"},
                              {"options", {"nosuid", "mode=1777", "size=16m"}}});
  return config;
}

json privileged(json config, const std::vector<int>& capabilities) {
  json caps = json::array();
  for (int bit : capabilities) caps.push_back(capability_name(bit));
  json& process = config["process"];
  process["capabilities"] = {
      {"bounding", caps}, {"effective", caps}, {"permitted", caps}, {"inheritable", caps}};
  process["noNewPrivileges"] = false;
  process.erase("apparmorProfile");
  process.erase("selinuxLabel");
  json& linux_section = config["linux"];
  linux_section.erase("seccomp");
  linux_section["maskedPaths"] = json::array();
  linux_section["readonlyPaths"] = json::array();
  linux_section["resources"]["devices"] = json::array({{{"allow", true}, {"access", "rwm"}}});
  return config;
}

Status write_bundle(const std::string& dir, const json& config) {
  BURROW_TRY(file::mkdir_all(dir));
  return file::write_atomic(dir + "/config.json", config.dump(2) + "\n");
}

}  // namespace burrow::bench
