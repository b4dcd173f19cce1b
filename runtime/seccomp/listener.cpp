#include "seccomp/listener.hpp"

#include <sys/socket.h>
#include <sys/un.h>

#include <cstring>

#include "base/fd.hpp"
#include "base/syscalls.hpp"

namespace burrow::seccomp {
namespace {

constexpr const char* kSpecVersion = "1.2.0";  // the runtime-spec version burrow implements

}  // namespace

nlohmann::json container_process_state(const ListenerState& state) {
  nlohmann::json oci_state = {{"ociVersion", kSpecVersion},
                              {"id", state.id},
                              {"status", state.status},
                              {"pid", state.init_pid ? state.init_pid : state.pid},
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
  auto socket = sys::connect_unix(listener_path);
  if (!socket)  // runc's wording
    return Error::from_errno(
        "failed to connect with seccomp agent specified in the seccomp profile: connect " +
            listener_path,
        socket.error().code);
  std::string payload = container_process_state(state).dump();
  BURROW_TRY_CTX(sys::send_with_fd(socket->get(), payload, seccomp_fd),
                 "cannot send seccomp fd to " + listener_path);
  return {};
}

}  // namespace burrow::seccomp
