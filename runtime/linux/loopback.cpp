#include "linux/loopback.hpp"

#include <net/if.h>
#include <sys/ioctl.h>
#include <sys/socket.h>

#include <cstring>

#include "base/fd.hpp"

namespace burrow::linux {

Status bring_loopback_up() {
  Fd socket(::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0));
  if (!socket) return Error::from_errno("socket for the loopback interface");
  struct ifreq request {};
  std::strncpy(request.ifr_name, "lo", IFNAMSIZ - 1);
  if (::ioctl(socket.get(), SIOCGIFFLAGS, &request) < 0)
    return Error::from_errno("read the flags of lo");
  if (request.ifr_flags & IFF_UP) return {};
  request.ifr_flags |= IFF_UP;
  if (::ioctl(socket.get(), SIOCSIFFLAGS, &request) < 0) return Error::from_errno("bring lo up");
  return {};
}

}  // namespace burrow::linux
