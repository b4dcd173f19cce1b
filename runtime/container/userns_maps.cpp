#include "container/userns_maps.hpp"

#include <fcntl.h>
#include <sched.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <sstream>

#include "base/fd.hpp"
#include "base/file.hpp"

namespace burrow::container {
namespace {

std::string describe(const std::vector<spec::IdMapping>& mappings) {
  std::string out;
  for (const auto& m : mappings) {
    if (!out.empty()) out += ", ";
    out += std::to_string(m.container_id) + " " + std::to_string(m.host_id) + " " +
           std::to_string(m.size);
  }
  return out.empty() ? "none" : out;
}

bool same_mappings(std::vector<spec::IdMapping> a, std::vector<spec::IdMapping> b) {
  auto key = [](const spec::IdMapping& m) { return m.container_id; };
  auto by_key = [&](const spec::IdMapping& x, const spec::IdMapping& y) { return key(x) < key(y); };
  std::sort(a.begin(), a.end(), by_key);
  std::sort(b.begin(), b.end(), by_key);
  return std::equal(a.begin(), a.end(), b.begin(), b.end(), [](const auto& x, const auto& y) {
    return x.container_id == y.container_id && x.host_id == y.host_id && x.size == y.size;
  });
}

// In the forked child: join, read both maps, write them to `out` as "uid\0gid", exit.
[[noreturn]] void report_maps(int userns_fd, int out) {
  if (::setns(userns_fd, CLONE_NEWUSER) < 0) ::_exit(2);
  auto uid = file::read("/proc/self/uid_map");
  auto gid = file::read("/proc/self/gid_map");
  if (!uid || !gid) ::_exit(3);
  std::string text = *uid + std::string(1, '\0') + *gid;
  ::_exit(::write(out, text.data(), text.size()) == static_cast<ssize_t>(text.size()) ? 0 : 4);
}

}  // namespace

Result<std::vector<spec::IdMapping>> parse_id_map(const std::string& text) {
  std::vector<spec::IdMapping> mappings;
  std::istringstream lines(text);
  for (std::string line; std::getline(lines, line);) {
    if (line.find_first_not_of(" \t") == std::string::npos) continue;
    std::istringstream fields(line);
    spec::IdMapping m;
    if (!(fields >> m.container_id >> m.host_id >> m.size))
      return Error::msg("malformed id map line \"" + line + "\"", EINVAL);
    mappings.push_back(m);
  }
  return mappings;
}

Result<UserNamespaceMaps> read_user_namespace_maps(int userns_fd) {
  int pipe_fds[2];
  if (::pipe2(pipe_fds, O_CLOEXEC) < 0) return Error::from_errno("pipe");
  Fd in(pipe_fds[0]), out(pipe_fds[1]);
  pid_t child = ::fork();
  if (child < 0) return Error::from_errno("fork to read user namespace maps");
  if (child == 0) report_maps(userns_fd, out.get());
  out.reset();
  auto text = file::read_fd(in.get(), "user namespace maps");
  int status = 0;
  ::waitpid(child, &status, 0);
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
    return Error::msg("could not read the maps of the joined user namespace (status " +
                      std::to_string(status) + ")");
  if (!text) return std::move(text).error();
  size_t split = text->find('\0');
  if (split == std::string::npos) return Error::msg("short read of user namespace maps");
  UserNamespaceMaps maps;
  maps.uid = BURROW_TRY(parse_id_map(text->substr(0, split)));
  maps.gid = BURROW_TRY(parse_id_map(text->substr(split + 1)));
  return maps;
}

Status check_joined_user_namespace(const spec::Spec& spec, int userns_fd) {
  const auto& uid = spec.linux->uid_mappings;
  const auto& gid = spec.linux->gid_mappings;
  if (uid.empty() && gid.empty()) return {};
  UserNamespaceMaps maps = BURROW_TRY(read_user_namespace_maps(userns_fd));
  if (!uid.empty() && !same_mappings(uid, maps.uid))
    return Error::msg("config.json: linux.uidMappings: " + describe(uid) +
                      " are not the joined user namespace's (" + describe(maps.uid) + ")");
  if (!gid.empty() && !same_mappings(gid, maps.gid))
    return Error::msg("config.json: linux.gidMappings: " + describe(gid) +
                      " are not the joined user namespace's (" + describe(maps.gid) + ")");
  return {};
}

}  // namespace burrow::container
