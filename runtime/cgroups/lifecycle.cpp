// PlacementManager: freezer, kill, the process list.
#include <dirent.h>
#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <memory>
#include <sstream>
#include <thread>

#include "base/file.hpp"
#include "base/syscalls.hpp"
#include "cgroups/backends.hpp"
#include "cgroups/fs_ops.hpp"

namespace burrow::cgroups {
namespace {

constexpr auto kFreezeTimeout = std::chrono::seconds(5);

// Reads `name` in `dir` until `done` says the kernel got there; re-writes the request now and
// then (a v1 freezer can stall in FREEZING while a task is in an uninterruptible sleep).
template <typename Done>
Status wait_for_state(const CgroupsContext& ctx, const std::string& dir, const std::string& file,
                      const std::string& request, const std::string& state_file, Done done,
                      const std::string& what) {
  // Emulated cgroupfs: cgroup.events only when a test writes one.
  if (ctx.emulate_cgroupfs && !fs::has_control(dir, state_file)) return {};
  auto deadline = std::chrono::steady_clock::now() + kFreezeTimeout;
  auto delay = std::chrono::microseconds(100);
  for (int round = 1;; ++round) {
    if (BURROW_TRY(done(dir))) return {};
    if (std::chrono::steady_clock::now() > deadline) {
      return Error::msg("timed out waiting for " + dir + " to " + what, ETIMEDOUT);
    }
    std::this_thread::sleep_for(delay);
    delay = std::min(delay * 2, decltype(delay)(10000));
    if (round % 25 == 0) BURROW_TRY(fs::write_control(ctx, dir, file, request));
  }
}

Result<bool> v2_frozen(const std::string& dir) {
  auto events = BURROW_TRY(fs::read_key_values(dir, "cgroup.events"));
  return events.count("frozen") && events["frozen"] == 1;
}

Status set_v1_freezer(const CgroupsContext& ctx, const std::string& dir, bool frozen) {
  std::string request = frozen ? "FROZEN" : "THAWED";
  BURROW_TRY(fs::write_control(ctx, dir, "freezer.state", request));
  return wait_for_state(
      ctx, dir, "freezer.state", request, "freezer.state",
      [&](const std::string& d) -> Result<bool> {
        return BURROW_TRY(fs::read_control(d, "freezer.state")) == request;
      },
      frozen ? "freeze" : "thaw");
}

Status set_v2_freeze(const CgroupsContext& ctx, const std::string& dir, bool frozen) {
  std::string request = frozen ? "1" : "0";
  BURROW_TRY(fs::write_control(ctx, dir, "cgroup.freeze", request));
  return wait_for_state(
      ctx, dir, "cgroup.freeze", request, "cgroup.events",
      [&](const std::string& d) -> Result<bool> { return BURROW_TRY(v2_frozen(d)) == frozen; },
      frozen ? "freeze" : "thaw");
}

Status collect_pids(const std::string& dir, std::vector<pid_t>& out) {
  auto text = file::read(dir + "/cgroup.procs");
  if (!text) {
    if (text.error().code == ENOENT) return {};  // removed meanwhile
    return std::move(text).error();
  }
  std::istringstream in(*text);
  for (pid_t pid; in >> pid;) out.push_back(pid);
  std::unique_ptr<DIR, int (*)(DIR*)> d(::opendir(dir.c_str()), ::closedir);
  if (!d) return {};
  while (struct dirent* e = ::readdir(d.get())) {
    std::string name = e->d_name;
    if (e->d_type == DT_DIR && name != "." && name != "..") {
      BURROW_TRY(collect_pids(dir + "/" + name, out));
    }
  }
  return {};
}

// `dir`, or its nearest ancestor that exists (a cgroup about to be made starts in its parent's
// freezer state); at most the hierarchy's root.
std::string nearest_existing(const std::string& mount_point, std::string dir) {
  while (dir.size() > mount_point.size() && ::access(dir.c_str(), F_OK) != 0)
    dir.erase(dir.rfind('/'));
  return dir;
}

// "freezer.state FROZEN" (or FREEZING) / "cgroup.events frozen 1" when `dir` is frozen, by itself
// or by an ancestor; "" when not. The root cgroup has neither file and is never frozen.
std::string frozen_state(const Hierarchy& h, const std::string& dir) {
  if (h.unified) {
    auto events = fs::read_key_values(dir, "cgroup.events");
    if (events && events->count("frozen") && (*events)["frozen"] == 1)
      return "cgroup.events frozen 1";
  } else if (h.has("freezer")) {
    auto state = fs::read_control(dir, "freezer.state");
    if (state && *state != "THAWED") return "freezer.state " + *state;
  }
  return "";
}

}  // namespace

Status PlacementManager::check_not_frozen() const {
  for (const auto& p : placements_) {
    std::string dir = nearest_existing(p.hierarchy.mount_point, p.dir);
    std::string state = frozen_state(p.hierarchy, dir);
    if (state.empty()) continue;
    std::string where = dir == p.dir ? dir : dir + " (above the container's " + p.dir + ")";
    return Error::msg("container's cgroup unexpectedly frozen: " + where + " has " + state +
                          ": a process placed there would freeze before it runs; thaw it first",
                      EBUSY);
  }
  return {};
}

std::optional<std::string> PlacementManager::realtime_refusal_reason() const {
  const Placement* cpu = find("cpu");
  if (cpu == nullptr || cpu->hierarchy.unified) return std::nullopt;
  auto runtime = fs::read_control(cpu->dir, "cpu.rt_runtime_us");
  if (!runtime || *runtime != "0") return std::nullopt;
  return "the container's cgroup " + cpu->dir +
         " has cpu.rt_runtime_us 0, no realtime CPU time (set "
         "linux.resources.cpu.realtimeRuntime)";
}

Result<bool> PlacementManager::is_frozen() const {
  if (const Placement* freezer = find("freezer")) {
    auto state = fs::read_control(freezer->dir, "freezer.state");
    if (state && *state == "FROZEN") return true;
    if (!state && state.error().code != ENOENT) return std::move(state).error();
  }
  if (const Placement* u = unified()) {
    auto freeze = fs::read_control(u->dir, "cgroup.freeze");
    if (freeze && *freeze == "1") return true;
    if (!freeze && freeze.error().code != ENOENT) return std::move(freeze).error();
  }
  return false;
}

Status PlacementManager::set_frozen(bool frozen) {
  if (const Placement* freezer = find("freezer")) {
    auto set = set_v1_freezer(ctx_, freezer->dir, frozen);
    if (!set && frozen) (void)set_v1_freezer(ctx_, freezer->dir, false);
    return set;
  }
  if (const Placement* u = unified()) {
    auto set = set_v2_freeze(ctx_, u->dir, frozen);
    if (!set && frozen) (void)set_v2_freeze(ctx_, u->dir, false);
    return set;
  }
  return Error::msg("no freezer: the host has neither a v1 freezer hierarchy nor a cgroup2",
                    ENOTSUP);
}

Status PlacementManager::freeze() {
  return set_frozen(true);
}

Status PlacementManager::thaw() {
  return set_frozen(false);
}

Result<std::vector<pid_t>> PlacementManager::pids() const {
  // The cgroup2 tracks every process even on hybrid hosts; else any v1 hierarchy does.
  const Placement* p = unified();
  if (p == nullptr && !placements_.empty()) p = &placements_.front();
  std::vector<pid_t> out;
  if (p != nullptr) BURROW_TRY(collect_pids(p->dir, out));
  return out;
}

Status PlacementManager::kill_all(int signal) {
  // A paused container stays paused for other signals (they arrive on resume); SIGKILL thaws it,
  // as a v1-frozen task cannot die.
  auto frozen_now = is_frozen();
  bool was_frozen = frozen_now.ok() && *frozen_now;
  const Placement* u = unified();
  if (signal == SIGKILL && u != nullptr && fs::has_control(u->dir, "cgroup.kill")) {
    BURROW_TRY(fs::write_control(ctx_, u->dir, "cgroup.kill", "1"));
    return was_frozen ? thaw() : Status{};
  }
  // Frozen, no process can fork a child that the list below would miss.
  Status frozen;
  if (!was_frozen) {
    frozen = freeze();
    if (!frozen && frozen.error().code != ENOTSUP) return frozen;
  }
  Status sent;
  auto pids = this->pids();
  if (!pids) sent = std::move(pids).error();
  for (pid_t pid : pids ? *pids : std::vector<pid_t>{}) {
    auto pidfd = sys::pidfd_open(pid);
    if (!pidfd) continue;  // exited meanwhile
    auto one = sys::pidfd_send_signal(pidfd->get(), signal);
    if (!one && one.error().code != ESRCH && sent) sent = std::move(one);
  }
  if ((!was_frozen && frozen) || (was_frozen && signal == SIGKILL)) {
    auto thawed = thaw();
    if (!thawed && sent) sent = std::move(thawed);
  }
  return sent;
}

}  // namespace burrow::cgroups
