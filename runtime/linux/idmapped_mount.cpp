#include "linux/idmapped_mount.hpp"

#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <sys/mount.h>
#include <sys/wait.h>
#include <unistd.h>

#include <string>

#include "linux/idmap.hpp"
#include "linux/mount_options.hpp"

namespace burrow::linux {
namespace {

struct Mappings {
  const std::vector<spec::IdMapping>* uid;
  const std::vector<spec::IdMapping>* gid;
};

// Validation guarantees both lists are set on the mount, or the container has both.
Result<Mappings> mappings_of(const spec::Spec& spec, const spec::Mount& mount) {
  if (!mount.uid_mappings.empty() || !mount.gid_mappings.empty())
    return Mappings{&mount.uid_mappings, &mount.gid_mappings};
  if (!spec.linux || spec.linux->uid_mappings.empty() || spec.linux->gid_mappings.empty())
    return Error::msg("no mappings: the mount has none and the container no user namespace maps",
                      EINVAL);
  return Mappings{&spec.linux->uid_mappings, &spec.linux->gid_mappings};
}

// A forked helper that only exists to own a new user namespace while its maps are written and
// its ns fd is opened. Killed and reaped on every path, so no process outlives the preparation.
class UserNamespaceHelper {
 public:
  explicit UserNamespaceHelper(pid_t pid) : pid_(pid) {}
  ~UserNamespaceHelper() {
    ::kill(pid_, SIGKILL);
    while (::waitpid(pid_, nullptr, 0) < 0 && errno == EINTR) {
    }
  }
  UserNamespaceHelper(const UserNamespaceHelper&) = delete;
  UserNamespaceHelper& operator=(const UserNamespaceHelper&) = delete;
  pid_t pid() const { return pid_; }

 private:
  pid_t pid_;
};

// In the forked child: async-signal-safe calls only, then _exit. Reports unshare's errno (0 on
// success) and parks on `hold` until the parent kills it.
[[noreturn]] void run_helper(int ready, int hold) {
  int status = ::unshare(CLONE_NEWUSER) == 0 ? 0 : errno;
  if (::write(ready, &status, sizeof status) != sizeof status) ::_exit(1);
  char byte = 0;
  while (::read(hold, &byte, 1) < 0 && errno == EINTR) {
  }
  ::_exit(0);
}

Result<std::pair<Fd, Fd>> make_pipe() {
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) < 0) return Error::from_errno("pipe");
  return std::pair{Fd(fds[0]), Fd(fds[1])};
}

Status wait_for_unshare(int ready) {
  int status = 0;
  ssize_t n = 0;
  do n = ::read(ready, &status, sizeof status);
  while (n < 0 && errno == EINTR);
  if (n < 0) return Error::from_errno("read from user namespace helper");
  if (n != sizeof status) return Error::msg("user namespace helper exited early", ECHILD);
  if (status != 0) return Error::from_errno("unshare user namespace", status);
  return {};
}

}  // namespace

Result<Fd> make_idmap_namespace(const std::vector<spec::IdMapping>& uid,
                                const std::vector<spec::IdMapping>& gid) {
  auto [ready_read, ready_write] = BURROW_TRY(make_pipe());
  auto [hold_read, hold_write] = BURROW_TRY(make_pipe());
  pid_t pid = ::fork();  // the parent is single-threaded (DESIGN.md)
  if (pid < 0) return Error::from_errno("fork user namespace helper");
  if (pid == 0) run_helper(ready_write.get(), hold_read.get());
  UserNamespaceHelper helper(pid);
  ready_write.reset();
  hold_read.reset();
  BURROW_TRY(wait_for_unshare(ready_read.get()));
  // As root in the parent user namespace, gid_map may be written without denying setgroups.
  BURROW_TRY(write_id_maps(pid, uid, gid, false));
  std::string ns_path = "/proc/" + std::to_string(pid) + "/ns/user";
  int fd = ::open(ns_path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return Error::from_errno("open " + ns_path);
  return Fd(fd);
}

namespace {

Result<Fd> make_user_namespace(const Mappings& mappings) {
  return make_idmap_namespace(*mappings.uid, *mappings.gid);
}

// ro/nosuid/nodev/noexec of the mount's options as mount attributes, so the mount is never
// attached with fewer restrictions than asked (the init's remount then changes nothing).
uint64_t restricting_attributes(const spec::Mount& mount) {
  unsigned long flags = parse_mount_options(mount.options).flags;
  uint64_t attr = 0;
  if (flags & MS_RDONLY) attr |= MOUNT_ATTR_RDONLY;
  if (flags & MS_NOSUID) attr |= MOUNT_ATTR_NOSUID;
  if (flags & MS_NODEV) attr |= MOUNT_ATTR_NODEV;
  if (flags & MS_NOEXEC) attr |= MOUNT_ATTR_NOEXEC;
  return attr;
}

Status set_attributes(int fd, uint64_t set, int userns_fd, unsigned flags) {
  struct mount_attr attr {};
  attr.attr_set = set;
  attr.userns_fd = static_cast<uint64_t>(userns_fd);
  if (::mount_setattr(fd, "", AT_EMPTY_PATH | flags, &attr, sizeof attr) < 0)
    return Error::from_errno("mount_setattr");
  return {};
}

Result<Fd> make_idmapped_mount(const spec::Spec& spec, const spec::Mount& mount) {
  Mappings mappings = BURROW_TRY(mappings_of(spec, mount));
  Fd userns = BURROW_TRY_CTX(make_user_namespace(mappings), "user namespace");
  unsigned recursive = mount.is_recursive_idmap() ? AT_RECURSIVE : 0;
  int fd =
      ::open_tree(AT_FDCWD, mount.source.c_str(), OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | recursive);
  if (fd < 0) return Error::from_errno("open_tree");
  Fd tree(fd);
  BURROW_TRY(set_attributes(tree.get(), MOUNT_ATTR_IDMAP, userns.get(), recursive));
  // Only the top mount, like the remount of any bind ("ro" is not "rro").
  if (uint64_t limits = restricting_attributes(mount))
    BURROW_TRY(set_attributes(tree.get(), limits, 0, 0));
  return tree;
}

}  // namespace

Result<std::vector<IdmappedMount>> prepare_idmapped_mounts(const spec::Spec& spec) {
  std::vector<IdmappedMount> prepared;
  for (size_t i = 0; i < spec.mounts.size(); ++i) {
    const spec::Mount& mount = spec.mounts[i];
    if (!mount.is_idmapped()) continue;
    std::string context = "mounts[" + std::to_string(i) + "]: idmapped mount of " + mount.source;
    Fd fd = BURROW_TRY_CTX(make_idmapped_mount(spec, mount), context);
    prepared.push_back({i, std::move(fd)});
  }
  return prepared;
}

Result<std::optional<Fd>> prepare_idmapped_rootfs(const spec::Spec& spec,
                                                  const std::string& rootfs) {
  if (!spec.linux || spec.linux->uid_mappings.empty() || spec.linux->gid_mappings.empty())
    return Error::msg("idmapped rootfs: the container has no user namespace maps", EINVAL);
  Mappings mappings{&spec.linux->uid_mappings, &spec.linux->gid_mappings};
  Fd userns = BURROW_TRY_CTX(make_user_namespace(mappings), "idmapped rootfs: user namespace");
  Fd tree(
      ::open_tree(AT_FDCWD, rootfs.c_str(), OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | AT_RECURSIVE));
  if (!tree) return Error::from_errno("idmapped rootfs: open_tree " + rootfs);
  auto mapped = set_attributes(tree.get(), MOUNT_ATTR_IDMAP, userns.get(), AT_RECURSIVE);
  if (!mapped) {
    int code = mapped.error().code;
    if (code == EINVAL || code == EOPNOTSUPP) return std::optional<Fd>();
    return std::move(mapped).error().wrap("idmapped rootfs " + rootfs);
  }
  return std::optional<Fd>(std::move(tree));
}

}  // namespace burrow::linux
