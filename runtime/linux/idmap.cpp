#include "linux/idmap.hpp"

#include <fcntl.h>
#include <spawn.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "base/fd.hpp"
#include "base/file.hpp"

extern char** environ;

namespace burrow::linux {

std::string format_id_map(const std::vector<spec::IdMapping>& mappings) {
  std::string out;
  for (const auto& m : mappings)
    out += std::to_string(m.container_id) + " " + std::to_string(m.host_id) + " " +
           std::to_string(m.size) + "\n";
  return out;
}

Status write_id_maps(pid_t pid, const std::vector<spec::IdMapping>& uid_mappings,
                     const std::vector<spec::IdMapping>& gid_mappings, bool deny_setgroups) {
  std::string base = "/proc/" + std::to_string(pid) + "/";
  if (deny_setgroups) BURROW_TRY_CTX(file::write(base + "setgroups", "deny"), "user namespace");
  if (!gid_mappings.empty())
    BURROW_TRY_CTX(file::write(base + "gid_map", format_id_map(gid_mappings)),
                   "write gid mappings");
  if (!uid_mappings.empty())
    BURROW_TRY_CTX(file::write(base + "uid_map", format_id_map(uid_mappings)),
                   "write uid mappings");
  return {};
}

namespace {

bool only_maps(const std::vector<spec::IdMapping>& mappings, uint32_t id) {
  return mappings.size() == 1 && mappings[0].size == 1 && mappings[0].host_id == id;
}

std::string joined(const std::vector<std::string>& argv) {
  std::string out;
  for (const auto& arg : argv) out += (out.empty() ? "" : " ") + arg;
  return out;
}

// Runs newuidmap/newgidmap to completion; its stdout and stderr go to a memfd that becomes the
// error text when it fails.
Status run_newidmap(const std::vector<std::string>& argv) {
  Fd output(::memfd_create("newidmap-output", MFD_CLOEXEC));
  if (!output) return Error::from_errno("memfd_create");
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(&actions, output.get(), STDOUT_FILENO);
  posix_spawn_file_actions_adddup2(&actions, output.get(), STDERR_FILENO);
  std::vector<char*> args;
  for (const auto& arg : argv) args.push_back(const_cast<char*>(arg.c_str()));
  args.push_back(nullptr);
  pid_t child = -1;
  int spawned = ::posix_spawnp(&child, args[0], &actions, nullptr, args.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (spawned != 0) return Error::from_errno(argv[0] + " (from the uidmap package)", spawned);
  int status = 0;
  while (::waitpid(child, &status, 0) < 0) {
    if (errno != EINTR) return Error::from_errno("wait for " + argv[0]);
  }
  if (WIFEXITED(status) && WEXITSTATUS(status) == 0) return {};
  std::string how = WIFEXITED(status) ? "exit status " + std::to_string(WEXITSTATUS(status))
                                      : "killed by signal " + std::to_string(WTERMSIG(status));
  ::lseek(output.get(), 0, SEEK_SET);
  auto output_text = file::read_fd(output.get(), argv[0]);
  std::string said = output_text ? *output_text : "";
  while (!said.empty() && (said.back() == '\n' || said.back() == ' ')) said.pop_back();
  return Error::msg(joined(argv) + ": " + how + (said.empty() ? "" : ": " + said), EPERM);
}

}  // namespace

IdMapWriter choose_id_map_writer(bool rootless, const std::vector<spec::IdMapping>& uid_mappings,
                                 const std::vector<spec::IdMapping>& gid_mappings, uid_t euid,
                                 gid_t egid) {
  if (!rootless) return IdMapWriter::direct;
  if (only_maps(uid_mappings, euid) && only_maps(gid_mappings, egid))
    return IdMapWriter::direct_deny_setgroups;
  return IdMapWriter::newidmap;
}

std::vector<std::string> newidmap_argv(const std::string& tool, pid_t pid,
                                       const std::vector<spec::IdMapping>& mappings) {
  std::vector<std::string> argv{tool, std::to_string(pid)};
  for (const auto& m : mappings) {
    argv.push_back(std::to_string(m.container_id));
    argv.push_back(std::to_string(m.host_id));
    argv.push_back(std::to_string(m.size));
  }
  return argv;
}

Status write_id_maps_with(IdMapWriter writer, pid_t pid,
                          const std::vector<spec::IdMapping>& uid_mappings,
                          const std::vector<spec::IdMapping>& gid_mappings) {
  if (writer != IdMapWriter::newidmap)
    return write_id_maps(pid, uid_mappings, gid_mappings,
                         writer == IdMapWriter::direct_deny_setgroups);
  // newgidmap decides about setgroups itself (it denies it when only the caller's own gid is
  // mapped).
  if (!gid_mappings.empty())
    BURROW_TRY_CTX(run_newidmap(newidmap_argv("newgidmap", pid, gid_mappings)),
                   "write gid mappings");
  if (!uid_mappings.empty())
    BURROW_TRY_CTX(run_newidmap(newidmap_argv("newuidmap", pid, uid_mappings)),
                   "write uid mappings");
  return {};
}

}  // namespace burrow::linux
