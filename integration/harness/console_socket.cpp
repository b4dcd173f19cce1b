#include "harness/console_socket.hpp"

#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstring>

namespace integration {

ConsoleSocket::ConsoleSocket(const std::string& path) {
  listener_ = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  struct sockaddr_un address {};
  address.sun_family = AF_UNIX;
  std::strncpy(address.sun_path, path.c_str(), sizeof address.sun_path - 1);
  ok_ = listener_ >= 0 &&
        ::bind(listener_, reinterpret_cast<struct sockaddr*>(&address), sizeof address) == 0 &&
        ::listen(listener_, 1) == 0;
}

ConsoleSocket::~ConsoleSocket() {
  if (listener_ >= 0) ::close(listener_);
}

int ConsoleSocket::receive_master() {
  struct pollfd ready = {listener_, POLLIN, 0};
  if (::poll(&ready, 1, 10000) != 1) return -1;
  int connection = ::accept4(listener_, nullptr, nullptr, SOCK_CLOEXEC);
  if (connection < 0) return -1;
  char name[256];
  struct iovec data = {name, sizeof name};
  alignas(struct cmsghdr) char control[CMSG_SPACE(sizeof(int))] = {};
  struct msghdr message {};
  message.msg_iov = &data;
  message.msg_iovlen = 1;
  message.msg_control = control;
  message.msg_controllen = sizeof control;
  int fd = -1;
  if (::recvmsg(connection, &message, MSG_CMSG_CLOEXEC) > 0) {
    struct cmsghdr* header = CMSG_FIRSTHDR(&message);
    if (header && header->cmsg_type == SCM_RIGHTS) std::memcpy(&fd, CMSG_DATA(header), sizeof fd);
  }
  ::close(connection);
  return fd;
}

}  // namespace integration
