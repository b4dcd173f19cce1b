#include "linux/private_proc.hpp"

#include <sys/mount.h>

namespace burrow::linux {

Result<Fd> open_private_procfs() {
  Fd context(::fsopen("proc", FSOPEN_CLOEXEC));
  if (!context) return Error::from_errno("fsopen proc");
  if (::fsconfig(context.get(), FSCONFIG_SET_STRING, "subset", "pid", 0) < 0)
    return Error::from_errno("fsconfig proc subset=pid");
  if (::fsconfig(context.get(), FSCONFIG_CMD_CREATE, nullptr, nullptr, 0) < 0)
    return Error::from_errno("create proc");
  // Not read-only: the LSM exec attribute (attr/apparmor/exec, attr/exec) is written through
  // it, and a read-only mount refuses that with EROFS.
  Fd mount(::fsmount(context.get(), FSMOUNT_CLOEXEC,
                     MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV | MOUNT_ATTR_NOEXEC));
  if (!mount) return Error::from_errno("fsmount proc");
  return mount;
}

}  // namespace burrow::linux
