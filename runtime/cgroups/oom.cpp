#include "cgroups/oom.hpp"

#include <fcntl.h>
#include <sys/eventfd.h>
#include <sys/inotify.h>
#include <unistd.h>

#include "base/fd.hpp"
#include "cgroups/fs_ops.hpp"

namespace burrow::cgroups {
namespace {

// v1: the memory controller signals an eventfd registered for memory.oom_control on every OOM
// in the cgroup, and once more when the cgroup is removed.
class EventfdOomWatcher : public OomWatcher {
 public:
  EventfdOomWatcher(Fd event, Fd oom_control, std::string dir)
      : event_(std::move(event)), oom_control_(std::move(oom_control)), dir_(std::move(dir)) {}

  int fd() const override { return event_.get(); }

  Result<uint64_t> consume() override {
    uint64_t count = 0;
    if (::read(event_.get(), &count, sizeof count) != sizeof count) {
      if (errno == EAGAIN) return 0;
      return Error::from_errno("read OOM eventfd");
    }
    // The removal wake-up: the cgroup (and its event_control) is gone.
    if (!fs::has_control(dir_, "cgroup.event_control")) return 0;
    return count;
  }

 private:
  Fd event_, oom_control_;
  std::string dir_;
};

// v2: memory.events changes (a modify event) whenever a counter does; the "oom_kill" counter
// says how many processes the OOM killer took.
class InotifyOomWatcher : public OomWatcher {
 public:
  InotifyOomWatcher(Fd inotify, std::string dir, uint64_t seen)
      : inotify_(std::move(inotify)), dir_(std::move(dir)), seen_(seen) {}

  int fd() const override { return inotify_.get(); }

  Result<uint64_t> consume() override {
    char buf[4096];
    while (::read(inotify_.get(), buf, sizeof buf) > 0) {
    }
    auto events = fs::read_key_values(dir_, "memory.events");
    if (!events) return 0;  // removed
    uint64_t now = (*events)["oom_kill"];
    uint64_t fresh = now > seen_ ? now - seen_ : 0;
    seen_ = now;
    return fresh;
  }

 private:
  Fd inotify_;
  std::string dir_;
  uint64_t seen_ = 0;
};

}  // namespace

Result<std::unique_ptr<OomWatcher>> watch_oom_v1(const CgroupsContext& ctx,
                                                 const std::string& memory_dir) {
  std::string path = memory_dir + "/memory.oom_control";
  Fd oom_control(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (!oom_control) return Error::from_errno("open " + path);
  Fd event(::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK));
  if (!event) return Error::from_errno("eventfd");
  BURROW_TRY(
      fs::write_control(ctx, memory_dir, "cgroup.event_control",
                        std::to_string(event.get()) + " " + std::to_string(oom_control.get())));
  return std::unique_ptr<OomWatcher>(
      new EventfdOomWatcher(std::move(event), std::move(oom_control), memory_dir));
}

Result<std::unique_ptr<OomWatcher>> watch_oom_v2(const std::string& unified_dir) {
  Fd inotify(::inotify_init1(IN_CLOEXEC | IN_NONBLOCK));
  if (!inotify) return Error::from_errno("inotify_init1");
  std::string path = unified_dir + "/memory.events";
  if (::inotify_add_watch(inotify.get(), path.c_str(), IN_MODIFY) < 0) {
    return Error::from_errno("watch " + path);
  }
  auto events = BURROW_TRY(fs::read_key_values(unified_dir, "memory.events"));
  return std::unique_ptr<OomWatcher>(
      new InotifyOomWatcher(std::move(inotify), unified_dir, events["oom_kill"]));
}

}  // namespace burrow::cgroups
