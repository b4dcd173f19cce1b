// burrow events: runc's event stream. `--stats` prints one {"type":"stats","id":...,"data":...}
// line; without it a stats line every --interval and an {"type":"oom","id":...} line for every
// OOM kill, until the container's init exits. The container lock is held only while loading:
// the stream must not block other commands.
#include <poll.h>

#include <chrono>

#include "cgroups/manager.hpp"
#include "container/cgroup_ops.hpp"
#include "container/loaded.hpp"
#include "container/operations.hpp"

namespace burrow::container {
namespace {

// runc's member order: type, id, data.
std::string event_line(const std::string& type, const std::string& id, const nlohmann::json* data) {
  std::string line =
      "{\"type\":" + nlohmann::json(type).dump() + ",\"id\":" + nlohmann::json(id).dump();
  if (data != nullptr) line += ",\"data\":" + data->dump();
  return line + "}";
}

Status emit_stats(const cgroups::Manager& manager, const std::string& id,
                  const std::function<void(const std::string&)>& emit) {
  cgroups::Stats stats = BURROW_TRY(manager.stats());
  nlohmann::json data = cgroups::stats_json(stats);
  emit(event_line("stats", id, &data));
  return {};
}

Status emit_ooms(cgroups::OomWatcher& watcher, const std::string& id,
                 const std::function<void(const std::string&)>& emit) {
  uint64_t count = BURROW_TRY(watcher.consume());
  for (uint64_t i = 0; i < count; ++i) emit(event_line("oom", id, nullptr));
  return {};
}

}  // namespace

Status events(const GlobalOptions& global, const EventsOptions& options,
              const std::function<void(const std::string&)>& emit) {
  state::StateStore store(global.root);
  state::ContainerState saved;
  std::optional<Fd> init;
  {
    LoadedContainer container = BURROW_TRY(load_container(store, options.id));
    if (container.status == state::ContainerStatus::stopped) {
      return Error::msg("container with id " + options.id + " is not running");
    }
    saved = container.state;
    init = BURROW_TRY(open_init_pidfd(saved));
  }
  auto manager = BURROW_TRY(load_cgroups(saved));
  if (options.stats) return emit_stats(*manager, options.id, emit);
  if (!init) return Error::msg("container with id " + options.id + " is not running");

  auto watcher = BURROW_TRY(manager->watch_oom());
  using Clock = std::chrono::steady_clock;
  auto next_stats = Clock::now() + std::chrono::milliseconds(options.interval_ms);
  for (;;) {
    int wait_ms = static_cast<int>(std::max<int64_t>(
        0,
        std::chrono::duration_cast<std::chrono::milliseconds>(next_stats - Clock::now()).count()));
    struct pollfd fds[2] = {{watcher->fd(), POLLIN, 0}, {init->get(), POLLIN, 0}};
    int n = ::poll(fds, 2, wait_ms);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return Error::from_errno("events: poll");
    // OOM first: the kill that ends the init is reported before the stream ends.
    if (fds[0].revents & POLLIN) BURROW_TRY(emit_ooms(*watcher, options.id, emit));
    if (fds[1].revents & POLLIN) {
      struct pollfd last = {watcher->fd(), POLLIN, 0};
      if (::poll(&last, 1, 0) > 0) BURROW_TRY(emit_ooms(*watcher, options.id, emit));
      return {};
    }
    if (Clock::now() >= next_stats) {
      auto sent = emit_stats(*manager, options.id, emit);
      if (!sent) return sent;
      next_stats = Clock::now() + std::chrono::milliseconds(options.interval_ms);
    }
  }
}

}  // namespace burrow::container
