#include "process/sealed_binary.hpp"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/fd.hpp"

extern char** environ;

namespace burrow::process {
namespace {

constexpr int kRequiredSeals = F_SEAL_SEAL | F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE;

Result<Fd> make_sealed_copy() {
  Fd exe(::open("/proc/self/exe", O_RDONLY | O_CLOEXEC));
  if (!exe) return Error::from_errno("open /proc/self/exe");
  struct stat st {};
  if (::fstat(exe.get(), &st) < 0) return Error::from_errno("stat /proc/self/exe");
  Fd copy(::memfd_create("burrow", MFD_CLOEXEC | MFD_ALLOW_SEALING));
  if (!copy) return Error::from_errno("memfd_create");
  off_t offset = 0;
  while (offset < st.st_size) {
    ssize_t n =
        ::sendfile(copy.get(), exe.get(), &offset, static_cast<size_t>(st.st_size - offset));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return Error::from_errno("copy /proc/self/exe to memfd");
  }
  if (::fcntl(copy.get(), F_ADD_SEALS, kRequiredSeals) < 0) return Error::from_errno("seal memfd");
  return copy;
}

}  // namespace

bool running_from_sealed_copy() {
  Fd exe(::open("/proc/self/exe", O_RDONLY | O_CLOEXEC));
  if (!exe) return false;
  int seals = ::fcntl(exe.get(), F_GET_SEALS);
  return seals >= 0 && (seals & kRequiredSeals) == kRequiredSeals;
}

Status reexec_from_sealed_copy(char** argv) {
  if (running_from_sealed_copy()) return {};
  Fd copy = BURROW_TRY(make_sealed_copy());
  ::fexecve(copy.get(), argv, environ);
  return Error::from_errno("re-exec from sealed copy");
}

}  // namespace burrow::process
