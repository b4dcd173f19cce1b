// Helpers for the rootfs root tests: a throwaway rootfs (static busybox in a temp dir) and a
// forked child that runs in its own mount namespace ("/" made rprivate first, so nothing it
// mounts reaches the host) and reports back as JSON through a pipe.
#pragma once

#include <fcntl.h>
#include <stdlib.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <string>

#include <nlohmann/json.hpp>

namespace burrow::linux::rootfs_test {

namespace fs = std::filesystem;
using nlohmann::json;

class TempDir {
 public:
  explicit TempDir(const char* prefix = "burrow-rootfs-") {
    std::string tmpl = "/tmp/" + std::string(prefix) + "XXXXXX";
    path_ = ::mkdtemp(tmpl.data());
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

// bin/busybox plus the usual top-level directories.
inline void populate_rootfs(const std::string& root) {
  for (const char* dir : {"bin", "proc", "dev", "sys", "etc", "tmp", "mnt"})
    fs::create_directories(root + "/" + dir);
  fs::copy_file("/bin/busybox", root + "/bin/busybox");
}

inline void write_text(const std::string& path, const std::string& text) {
  std::ofstream(path) << text;
}

inline std::string errno_name(int err) {
  return err == 0 ? "ok" : std::strerror(err);
}

// Runs `body` in a forked child and returns the JSON it produced, or {"error": ...} when the
// child died without a word.
inline json run_forked(const std::function<json()>& body) {
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) < 0) return json{{"error", "pipe"}};
  pid_t pid = ::fork();
  if (pid == 0) {
    ::close(fds[0]);
    std::string text = body().dump();
    ssize_t ignored = ::write(fds[1], text.data(), text.size());
    (void)ignored;
    ::_exit(0);
  }
  ::close(fds[1]);
  std::string text;
  char buf[4096];
  ssize_t n;
  while ((n = ::read(fds[0], buf, sizeof buf)) > 0) text.append(buf, static_cast<size_t>(n));
  ::close(fds[0]);
  int status = 0;
  ::waitpid(pid, &status, 0);
  if (text.empty()) return json{{"error", "child died, wait status " + std::to_string(status)}};
  return json::parse(text);
}

// Runs `body` in a child: unshare(CLONE_NEWNS | extra_flags), make "/" rprivate, then body.
inline json run_isolated(int extra_flags, const std::function<json()>& body) {
  return run_forked([&]() -> json {
    if (::unshare(CLONE_NEWNS | extra_flags) < 0)
      return json{{"error", std::string("unshare: ") + std::strerror(errno)}};
    if (::mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr) < 0)
      return json{{"error", std::string("make / rprivate: ") + std::strerror(errno)}};
    return body();
  });
}

// Inside a fresh user namespace: maps container root to host root (the only mapping a process
// may write for itself), as the parent would have before the rootfs is built.
inline std::string map_root_to_self() {
  auto put = [](const char* file, const char* text) {
    int fd = ::open(file, O_WRONLY | O_CLOEXEC);
    if (fd < 0) return false;
    bool ok = ::write(fd, text, std::strlen(text)) == static_cast<ssize_t>(std::strlen(text));
    ::close(fd);
    return ok;
  };
  if (!put("/proc/self/setgroups", "deny"))
    return std::string("setgroups: ") + std::strerror(errno);
  if (!put("/proc/self/uid_map", "0 0 1")) return std::string("uid_map: ") + std::strerror(errno);
  if (!put("/proc/self/gid_map", "0 0 1")) return std::string("gid_map: ") + std::strerror(errno);
  return "";
}

// type, major:minor and permission bits of a path (not followed), e.g. "c 1:3 0666".
inline std::string describe_node(const std::string& path) {
  struct stat st {};
  if (::lstat(path.c_str(), &st) < 0) return std::string("missing: ") + std::strerror(errno);
  char mode[8];
  std::snprintf(mode, sizeof mode, "%04o", st.st_mode & 07777);
  std::string type = S_ISCHR(st.st_mode)    ? "c"
                     : S_ISBLK(st.st_mode)  ? "b"
                     : S_ISFIFO(st.st_mode) ? "p"
                     : S_ISLNK(st.st_mode)  ? "l"
                     : S_ISDIR(st.st_mode)  ? "d"
                                            : "f";
  return type + " " + std::to_string(major(st.st_rdev)) + ":" + std::to_string(minor(st.st_rdev)) +
         " " + mode;
}

// errno of creating `path` ("ok" when it worked).
inline std::string try_create(const std::string& path) {
  int fd = ::open(path.c_str(), O_CREAT | O_WRONLY | O_CLOEXEC, 0644);
  if (fd < 0) return errno_name(errno);
  ::close(fd);
  return "ok";
}

inline std::string read_text(const std::string& path) {
  std::ifstream in(path);
  if (!in) return "<unreadable>";
  return std::string(std::istreambuf_iterator<char>(in), {});
}

// Exit status of `/bin/busybox args...` run in the current root.
inline int run_busybox(const std::vector<std::string>& args) {
  pid_t pid = ::fork();
  if (pid == 0) {
    std::vector<char*> argv;
    argv.push_back(const_cast<char*>("busybox"));
    for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    ::execv("/bin/busybox", argv.data());
    ::_exit(127);
  }
  int status = 0;
  ::waitpid(pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

}  // namespace burrow::linux::rootfs_test
