// The rootless network tests' "host": a user namespace with a network namespace of its own,
// made by the unprivileged test user (as `unshare --user --net --map-current-user` or
// `--map-root-user` would), held by a child process of the test. The host's network is never
// touched: burrow, the helpers it starts, the test's TCP server and its HTTP client all run in
// there; the test process itself stays where it is (an unprivileged process can enter its own
// user namespace, but never leave it again).
#pragma once

#include <sys/types.h>

#include <functional>
#include <memory>
#include <ostream>
#include <string>
#include <vector>

namespace integration {

// How the outer user namespace maps the caller.
enum class OuterMapping {
  // uid and gid to themselves (--map-current-user): burrow there is rootless (euid != 0), and
  // only a single self-mapping works for the container (no subordinate ids to hand out).
  caller,
  // to 0 (--map-root-user): burrow there is root of a non-initial user namespace, as rootless
  // podman runs it (README: "Root of someone else's user namespace").
  root,
};
// For gtest's test names and messages.
inline void PrintTo(OuterMapping mapping, std::ostream* out) {
  *out << (mapping == OuterMapping::caller ? "caller" : "root");
}

class OuterNamespace {
 public:
  // Starts the holder: new user and network namespaces, the mapping, loopback up and a veth
  // with a default route. Null with `why_not` set when that fails.
  static std::unique_ptr<OuterNamespace> make(OuterMapping mapping, const std::string& scratch,
                                              std::string* why_not);
  ~OuterNamespace();  // kills and reaps the holder; the namespaces go with their last process
  OuterNamespace(const OuterNamespace&) = delete;
  OuterNamespace& operator=(const OuterNamespace&) = delete;

  // `argv` run in the namespaces (through nsenter, with the caller's credentials as mapped).
  std::vector<std::string> enter(const std::vector<std::string>& argv) const;
  // Runs `body` in a forked child that joined the namespaces; what it returns (empty when the
  // child could not join or died).
  std::string call(const std::function<std::string()>& body) const;
  // /proc/<holder>/net: the namespace's tables, readable from outside.
  std::string proc_net() const;
  // Live processes in the network namespace, the holder not counted.
  std::vector<pid_t> other_processes() const;

 private:
  OuterNamespace(pid_t holder, int holder_pidfd);
  pid_t holder_;
  int holder_pidfd_;
};

}  // namespace integration
