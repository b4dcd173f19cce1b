#include "linux/keyring.hpp"

#include <linux/keyctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cstdlib>

namespace burrow::linux {
namespace {

constexpr unsigned long kUserSearch = 0x00080000;  // KEY_USR_SEARCH

long keyctl(int operation, unsigned long a2, unsigned long a3 = 0, unsigned long a4 = 0) {
  return ::syscall(SYS_keyctl, operation, a2, a3, a4, 0);
}

// KEYCTL_DESCRIBE gives "type;uid;gid;perm;description", perm in hex.
Result<unsigned long> keyring_permissions(long id) {
  char description[512] = {};
  if (keyctl(KEYCTL_DESCRIBE, static_cast<unsigned long>(id),
             reinterpret_cast<unsigned long>(description), sizeof(description) - 1) < 0)
    return Error::from_errno("describe session keyring");
  std::string text(description);
  size_t field = 0, pos = 0;
  while (field < 3 && (pos = text.find(';', pos)) != std::string::npos) {
    ++pos;
    ++field;
  }
  if (field != 3) return Error::msg("describe session keyring: unexpected \"" + text + "\"");
  return std::strtoul(text.c_str() + pos, nullptr, 16);
}

}  // namespace

Status join_new_session_keyring(const std::string& name) {
  long id = keyctl(KEYCTL_JOIN_SESSION_KEYRING, reinterpret_cast<unsigned long>(name.c_str()));
  if (id < 0) {
    if (errno == ENOSYS) return {};
    return Error::from_errno("join session keyring " + name);
  }
  unsigned long perm = BURROW_TRY(keyring_permissions(id));
  if (keyctl(KEYCTL_SETPERM, static_cast<unsigned long>(id), perm | kUserSearch) < 0)
    return Error::from_errno("set session keyring permissions");
  return {};
}

}  // namespace burrow::linux
