#include "process/step_tracker.hpp"

#include <sys/mman.h>

#include <cstring>
#include <utility>

namespace burrow::process {

Result<StepTracker> StepTracker::make(const PhaseTrace* trace) {
  void* page = ::mmap(nullptr, kSize, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
  if (page == MAP_FAILED) return Error::from_errno("mmap step tracker");
  StepTracker tracker;
  tracker.page_ = static_cast<char*>(page);
  tracker.trace_ = trace;
  std::memset(tracker.page_, 0, kSize);
  return tracker;
}

StepTracker::~StepTracker() {
  if (page_) ::munmap(page_, kSize);
}

StepTracker::StepTracker(StepTracker&& other) noexcept
    : page_(std::exchange(other.page_, nullptr)), trace_(std::exchange(other.trace_, nullptr)) {}

StepTracker& StepTracker::operator=(StepTracker&& other) noexcept {
  if (this != &other) {
    if (page_) ::munmap(page_, kSize);
    page_ = std::exchange(other.page_, nullptr);
    trace_ = std::exchange(other.trace_, nullptr);
  }
  return *this;
}

void StepTracker::enter(const char* step) const {
  // The step first: a fault injected at its mark must be reported "during" it.
  if (page_) std::strncpy(page_, step, kSize - 1);
  if (trace_) trace_->mark(step);
}

std::string StepTracker::current() const {
  if (!page_) return {};
  return std::string(page_, ::strnlen(page_, kSize - 1));
}

}  // namespace burrow::process
