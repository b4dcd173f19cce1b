#include "seccomp/listener.hpp"

#include <sys/socket.h>
#include <sys/un.h>

#include <cstring>

#include "base/fd.hpp"

namespace burrow::seccomp {
namespace {

constexpr const char* kSpecVersion = "1.2.0";  // the runtime-spec version burrow implements

Status send_all(int socket, const std::string& payload, int fd) {
  size_t sent = 0;
  bool fd_sent = false;
  while (sent < payload.size()) {
    struct iovec iov = {const_cast<char*>(payload.data() + sent), payload.size() - sent};
    struct msghdr msg {};
    msg.msg_iov = &iov;
    msg.msg_iovlen = 1;
    alignas(struct cmsghdr) char control[CMSG_SPACE(sizeof(int))] = {};
    if (!fd_sent) {  // only with the first sendmsg, as the spec requires
      msg.msg_control = control;
      msg.msg_controllen = sizeof(control);
      struct cmsghdr* cmsg = CMSG_FIRSTHDR(&msg);
      cmsg->cmsg_level = SOL_SOCKET;
      cmsg->cmsg_type = SCM_RIGHTS;
      cmsg->cmsg_len = CMSG_LEN(sizeof(int));
      std::memcpy(CMSG_DATA(cmsg), &fd, sizeof(int));
    }
    ssize_t n = ::sendmsg(socket, &msg, MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return Error::from_errno("sendmsg");
    fd_sent = true;
    sent += static_cast<size_t>(n);
  }
  return {};
}

}  // namespace

nlohmann::json container_process_state(const ListenerState& state) {
  nlohmann::json oci_state = {{"ociVersion", kSpecVersion},
                              {"id", state.id},
                              {"status", "creating"},
                              {"pid", state.pid},
                              {"bundle", state.bundle}};
  if (!state.annotations.empty()) oci_state["annotations"] = state.annotations;
  nlohmann::json process_state = {{"ociVersion", kSpecVersion},
                                  {"fds", {"seccompFd"}},
                                  {"pid", state.pid},
                                  {"state", std::move(oci_state)}};
  if (!state.metadata.empty()) process_state["metadata"] = state.metadata;
  return process_state;
}

Status send_to_listener(const std::string& listener_path, const ListenerState& state,
                        int seccomp_fd) {
  const std::string connect_failed =
      "failed to connect with seccomp agent specified in the seccomp profile";
  struct sockaddr_un address {};
  address.sun_family = AF_UNIX;
  if (listener_path.size() >= sizeof(address.sun_path))
    return Error::msg(connect_failed + ": " + listener_path + ": socket path too long",
                      ENAMETOOLONG);
  std::memcpy(address.sun_path, listener_path.c_str(), listener_path.size() + 1);
  Fd socket(::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
  if (!socket) return Error::from_errno(connect_failed + ": socket");
  int rc;
  do {
    rc = ::connect(socket.get(), reinterpret_cast<struct sockaddr*>(&address), sizeof(address));
  } while (rc < 0 && errno == EINTR);
  if (rc < 0) return Error::from_errno(connect_failed + ": connect " + listener_path);
  std::string payload = container_process_state(state).dump();
  BURROW_TRY_CTX(send_all(socket.get(), payload, seccomp_fd),
                 "cannot send seccomp fd to " + listener_path);
  return {};
}

}  // namespace burrow::seccomp
