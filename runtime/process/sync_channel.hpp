// SyncChannel: the typed message pipe between `burrow create` and the container init. One
// SOCK_SEQPACKET socketpair: message boundaries are kept, fds travel with SCM_RIGHTS, and a dead
// peer shows up as end-of-file instead of a hang.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "base/error.hpp"
#include "base/fd.hpp"

namespace burrow::process {

enum class MessageType : uint32_t {
  error = 1,       // child -> parent: code + "step: path: strerror"; the child then exits
  setup_done,      // parent -> child: id maps written (when the user namespace came at clone)
  cgroups_placed,  // parent -> child: in its cgroup in every v1 hierarchy (sent unasked)
  need_id_maps,    // child -> parent: unshared a user namespace; write its maps
  id_maps_done,    // parent -> child
  init_pid,        // child -> parent: the forked init's (or exec'd process's) pid (payload:
                   // decimal host pid; for exec its pidfd is attached)
  namespace_fds,   // child -> parent: fds of the init's namespaces (payload: names, ',')
  ready,           // child -> parent: everything done, about to block on the exec fifo
  warning,         // child -> parent: text for the parent to log (the init itself logs nothing)
  run_hooks,       // child -> parent: mounts done, before pivot_root; run prestart/createRuntime
  hooks_done,      // parent -> child: they ran (payload: the state JSON for createContainer)
  console_master,  // child -> parent: the pty master (fd; payload: the slave's path)
  // child -> parent: the seccomp notification fd, for linux.seccomp.listenerPath
  seccomp_listener,
  // parent -> child, after `ready`: the container is recorded in state.json, the init may outlive
  // the parent now. Until then an init whose parent died (the channel's EOF) exits by itself.
  recorded,
  // parent -> exec'd process: the agent has its notification fd (runc's procSeccompDone)
  seccomp_agent_done,
};

const char* message_type_name(MessageType type);

struct Message {
  MessageType type = MessageType::error;
  int32_t code = 0;  // errno for `error`
  std::string payload;
  std::vector<Fd> fds;

  static Message make(MessageType type, std::string payload = {}) {
    Message m;
    m.type = type;
    m.payload = std::move(payload);
    return m;
  }
};

class SyncChannel {
 public:
  // Both ends, close-on-exec. The parent keeps one, the child the other.
  static Result<std::pair<SyncChannel, SyncChannel>> make_pair();

  SyncChannel() = default;
  explicit SyncChannel(Fd fd) : fd_(std::move(fd)) {}

  Status send(const Message& message) const;
  // Blocks for the next message. End-of-file (peer gone) is an Error with code EPIPE.
  Result<Message> receive() const;
  // Receives and checks the type; an `error` message becomes the returned Error.
  Result<Message> expect(MessageType type) const;
  // Like expect, accepting either type.
  Result<Message> expect_one_of(MessageType type, MessageType other) const;
  // Sends an `error` message carrying `error`.
  void send_error(const Error& error) const;

  int fd() const { return fd_.get(); }
  void close() { fd_.reset(); }

 private:
  Fd fd_;
};

}  // namespace burrow::process
