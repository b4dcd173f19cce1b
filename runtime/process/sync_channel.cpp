#include "process/sync_channel.hpp"

#include <sys/socket.h>

#include <cstring>

namespace burrow::process {
namespace {

constexpr size_t kMaxPayload = 60 * 1024;
constexpr size_t kMaxFds = 16;

struct Header {
  uint32_t type;
  int32_t code;
};

}  // namespace

const char* message_type_name(MessageType type) {
  switch (type) {
    case MessageType::error:
      return "error";
    case MessageType::setup_done:
      return "setup_done";
    case MessageType::cgroups_placed:
      return "cgroups_placed";
    case MessageType::need_id_maps:
      return "need_id_maps";
    case MessageType::id_maps_done:
      return "id_maps_done";
    case MessageType::init_pid:
      return "init_pid";
    case MessageType::namespace_fds:
      return "namespace_fds";
    case MessageType::ready:
      return "ready";
    case MessageType::warning:
      return "warning";
    case MessageType::run_hooks:
      return "run_hooks";
    case MessageType::hooks_done:
      return "hooks_done";
    case MessageType::console_master:
      return "console_master";
    case MessageType::seccomp_listener:
      return "seccomp_listener";
    case MessageType::recorded:
      return "recorded";
    case MessageType::seccomp_agent_done:
      return "seccomp_agent_done";
  }
  return "unknown";
}

Result<std::pair<SyncChannel, SyncChannel>> SyncChannel::make_pair() {
  int fds[2];
  if (::socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, fds) < 0)
    return Error::from_errno("socketpair");
  return std::make_pair(SyncChannel(Fd(fds[0])), SyncChannel(Fd(fds[1])));
}

Status SyncChannel::send(const Message& message) const {
  if (message.payload.size() > kMaxPayload || message.fds.size() > kMaxFds)
    return Error::msg("sync message too large");
  Header header{static_cast<uint32_t>(message.type), message.code};
  struct iovec iov[2] = {{&header, sizeof(header)},
                         {const_cast<char*>(message.payload.data()), message.payload.size()}};
  struct msghdr msg {};
  msg.msg_iov = iov;
  msg.msg_iovlen = message.payload.empty() ? 1 : 2;
  alignas(struct cmsghdr) char control[CMSG_SPACE(sizeof(int) * kMaxFds)];
  if (!message.fds.empty()) {
    size_t bytes = sizeof(int) * message.fds.size();
    msg.msg_control = control;
    msg.msg_controllen = CMSG_SPACE(bytes);
    struct cmsghdr* cmsg = CMSG_FIRSTHDR(&msg);
    cmsg->cmsg_level = SOL_SOCKET;
    cmsg->cmsg_type = SCM_RIGHTS;
    cmsg->cmsg_len = CMSG_LEN(bytes);
    int* out = reinterpret_cast<int*>(CMSG_DATA(cmsg));
    for (size_t i = 0; i < message.fds.size(); ++i) out[i] = message.fds[i].get();
  }
  ssize_t n;
  do {
    n = ::sendmsg(fd_.get(), &msg, MSG_NOSIGNAL);
  } while (n < 0 && errno == EINTR);
  if (n < 0) return Error::from_errno(std::string("send ") + message_type_name(message.type));
  return {};
}

Result<Message> SyncChannel::receive() const {
  Header header{};
  std::string payload(kMaxPayload, '\0');
  struct iovec iov[2] = {{&header, sizeof(header)}, {payload.data(), payload.size()}};
  alignas(struct cmsghdr) char control[CMSG_SPACE(sizeof(int) * kMaxFds)];
  struct msghdr msg {};
  msg.msg_iov = iov;
  msg.msg_iovlen = 2;
  msg.msg_control = control;
  msg.msg_controllen = sizeof(control);
  ssize_t n;
  do {
    n = ::recvmsg(fd_.get(), &msg, MSG_CMSG_CLOEXEC);
    // ECONNRESET: the peer closed with a message of ours unread (e.g. the parent's unasked
    // cgroups_placed, when the init fails early). The kernel reports that once, before the
    // messages the peer had sent us, which are still queued: read on.
  } while (n < 0 && (errno == EINTR || errno == ECONNRESET));
  if (n < 0) return Error::from_errno("receive sync message");
  if (n == 0) return Error::msg("sync channel closed", EPIPE);
  if (static_cast<size_t>(n) < sizeof(header)) return Error::msg("short sync message", EPROTO);
  Message message;
  message.type = static_cast<MessageType>(header.type);
  message.code = header.code;
  payload.resize(static_cast<size_t>(n) - sizeof(header));
  message.payload = std::move(payload);
  for (struct cmsghdr* c = CMSG_FIRSTHDR(&msg); c; c = CMSG_NXTHDR(&msg, c)) {
    if (c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS) continue;
    size_t count = (c->cmsg_len - CMSG_LEN(0)) / sizeof(int);
    const int* in = reinterpret_cast<const int*>(CMSG_DATA(c));
    for (size_t i = 0; i < count; ++i) message.fds.emplace_back(in[i]);
  }
  if (msg.msg_flags & (MSG_TRUNC | MSG_CTRUNC)) return Error::msg("truncated sync message", EPROTO);
  return message;
}

Result<Message> SyncChannel::expect(MessageType type) const {
  return expect_one_of(type, type);
}

Result<Message> SyncChannel::expect_one_of(MessageType type, MessageType other) const {
  Message message = BURROW_TRY(receive());
  if (message.type == MessageType::error) return Error{message.code, message.payload};
  if (message.type != type && message.type != other)
    return Error::msg(std::string("sync: expected ") + message_type_name(type) + ", got " +
                          message_type_name(message.type),
                      EPROTO);
  return message;
}

void SyncChannel::send_error(const Error& error) const {
  Message m = Message::make(MessageType::error, error.message.substr(0, kMaxPayload));
  m.code = error.code;
  (void)send(m);
}

}  // namespace burrow::process
