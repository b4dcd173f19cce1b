#include "linux/exec_path.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cctype>
#include <cstring>

namespace burrow::linux {
namespace {

// Go spells errno texts in lower case ("permission denied"); runc's messages carry Go's.
std::string go_errno_text(int err) {
  std::string text = std::strerror(err);
  if (!text.empty()) text[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(text[0])));
  return text;
}

std::vector<gid_t> supplementary_groups() {
  int count = ::getgroups(0, nullptr);
  std::vector<gid_t> groups(count > 0 ? static_cast<size_t>(count) : 0);
  if (count > 0 && ::getgroups(count, groups.data()) < 0) groups.clear();
  return groups;
}

// Ok when `path` may be executed with the current (effective) credentials; else the errno and
// the text Go would print after `exec: "<arg0>": `.
Status check_executable(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) < 0) {
    int err = errno;
    return Error::msg("stat " + path + ": " + go_errno_text(err), err);
  }
  if (S_ISDIR(st.st_mode)) return Error::msg(go_errno_text(EISDIR), EISDIR);
  // execve only runs regular files; anything else (fifo, device, socket) would fail there.
  if (!S_ISREG(st.st_mode)) return Error::msg(go_errno_text(EACCES), EACCES);
  if (::faccessat(AT_FDCWD, path.c_str(), X_OK, AT_EACCESS) < 0) {
    int err = errno;
    // glibc makes faccessat with AT_EACCESS the faccessat2 syscall (Linux 5.8). A seccomp
    // profile written before it (loaded here already when noNewPrivileges is false) answers
    // EPERM, an old kernel ENOSYS: neither says anything about the file, so judge by its mode
    // bits, as runc (Go's exec.LookPath) does.
    if (err != EPERM && err != ENOSYS) return Error::msg(go_errno_text(err), err);
    if (!executable_by_mode(st, ::geteuid(), ::getegid(), supplementary_groups()))
      return Error::msg(go_errno_text(EACCES), EACCES);
  }
  return {};
}

Error exec_error(const std::string& arg0, const std::string& detail, int code) {
  return Error::msg("exec: \"" + arg0 + "\": " + detail, code);
}

std::vector<std::string> split_path(const std::string& path) {
  std::vector<std::string> dirs;
  if (path.empty()) return dirs;  // an empty PATH searches nothing (not ".")
  size_t start = 0;
  for (;;) {
    size_t colon = path.find(':', start);
    dirs.push_back(path.substr(start, colon - start));
    if (colon == std::string::npos) break;
    start = colon + 1;
  }
  return dirs;
}

}  // namespace

bool executable_by_mode(const struct stat& st, uid_t euid, gid_t egid,
                        const std::vector<gid_t>& groups) {
  // Root (CAP_DAC_OVERRIDE) may execute a regular file when any execute bit is set.
  if (euid == 0) return (st.st_mode & (S_IXUSR | S_IXGRP | S_IXOTH)) != 0;
  if (st.st_uid == euid) return (st.st_mode & S_IXUSR) != 0;
  bool in_group = st.st_gid == egid;
  for (gid_t gid : groups) in_group = in_group || gid == st.st_gid;
  if (in_group) return (st.st_mode & S_IXGRP) != 0;
  return (st.st_mode & S_IXOTH) != 0;
}

std::optional<std::string> find_env(const std::vector<std::string>& env, const std::string& name) {
  std::optional<std::string> value;
  for (const auto& entry : env) {
    if (entry.size() > name.size() && entry.compare(0, name.size(), name) == 0 &&
        entry[name.size()] == '=')
      value = entry.substr(name.size() + 1);
  }
  return value;
}

Result<std::string> resolve_executable(const std::string& arg0,
                                       const std::vector<std::string>& env) {
  if (arg0.empty()) return exec_error(arg0, "executable file not found in $PATH", ENOENT);
  if (arg0.find('/') != std::string::npos) {
    auto checked = check_executable(arg0);
    if (!checked) return exec_error(arg0, checked.error().message, checked.error().code);
    return arg0;
  }
  const std::string path = find_env(env, "PATH").value_or(kDefaultPath);
  for (std::string dir : split_path(path)) {
    if (dir.empty()) dir = ".";  // shell semantics: an empty element is the current directory
    std::string candidate = dir.back() == '/' ? dir + arg0 : dir + "/" + arg0;
    if (!check_executable(candidate)) continue;
    // Like Go >= 1.19: never run something found only through a relative PATH entry.
    if (candidate[0] != '/')
      return exec_error(arg0, "cannot run executable found relative to current directory", EPERM);
    return candidate;
  }
  return exec_error(arg0, "executable file not found in $PATH", ENOENT);
}

}  // namespace burrow::linux
