#include "base/phase_trace.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <utility>

namespace burrow {

struct PhaseTrace::Table {
  static constexpr size_t kCapacity = 160;
  static constexpr size_t kNameSize = 56;
  struct Entry {
    uint64_t ns;
    int32_t pid;
    char name[kNameSize];
  };
  std::atomic<uint32_t> used;
  Entry entries[kCapacity];
};

namespace {

uint64_t now_ns() {
  struct timespec ts {};
  ::clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<uint64_t>(ts.tv_sec) * 1000000000ull + static_cast<uint64_t>(ts.tv_nsec);
}

}  // namespace

PhaseTrace PhaseTrace::from_env(const std::string& what) {
  PhaseTrace trace;
  const char* fault = std::getenv("BURROW_FAULT_AT");
  if (fault != nullptr && *fault != '\0') {
    trace.fault_ = fault;
    trace.active_ = true;
  }
  const char* sink = std::getenv("BURROW_TRACE");
  if (sink == nullptr || *sink == '\0') return trace;
  void* memory =
      ::mmap(nullptr, sizeof(Table), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
  if (memory == MAP_FAILED) return trace;  // tracing is best effort, never a failure
  trace.table_ = new (memory) Table();
  trace.table_->used.store(0);
  trace.active_ = true;
  trace.owner_ = ::getpid();
  trace.what_ = what;
  trace.sink_ = sink;
  trace.mark("start");
  return trace;
}

void PhaseTrace::record(const char* phase) const {
  if (!fault_.empty() && std::strcmp(phase, fault_.c_str()) == 0) {
    // A pid namespace's init ignores even its own SIGKILL: it ends as a killed process would.
    if (::getpid() == 1) ::_exit(128 + SIGKILL);
    ::raise(SIGKILL);
  }
  if (!table_) return;
  uint32_t slot = table_->used.fetch_add(1, std::memory_order_relaxed);
  if (slot >= Table::kCapacity) return;
  Table::Entry& entry = table_->entries[slot];
  entry.ns = now_ns();
  entry.pid = static_cast<int32_t>(::getpid());
  std::strncpy(entry.name, phase, Table::kNameSize - 1);
  entry.name[Table::kNameSize - 1] = '\0';
}

std::string PhaseTrace::format() const {
  if (!table_) return {};
  uint32_t used = std::min<uint32_t>(table_->used.load(), Table::kCapacity);
  std::string out = "burrow trace: " + what_ + " (pid " + std::to_string(owner_) + ")\n";
  if (used == 0) return out;
  // Marks of several processes interleave in time: order them before taking differences.
  Table::Entry sorted[Table::kCapacity];
  std::copy(table_->entries, table_->entries + used, sorted);
  std::sort(sorted, sorted + used,
            [](const Table::Entry& a, const Table::Entry& b) { return a.ns < b.ns; });
  uint64_t start = sorted[0].ns;
  uint64_t end = now_ns();
  for (uint32_t i = 0; i < used; ++i) {
    uint64_t next = i + 1 < used ? sorted[i + 1].ns : end;
    char line[160];
    std::snprintf(line, sizeof line, "  %9.3f %8.3f %7d  %s\n", (sorted[i].ns - start) / 1e6,
                  (next - sorted[i].ns) / 1e6, sorted[i].pid, sorted[i].name);
    out += line;
  }
  char total[64];
  std::snprintf(total, sizeof total, "  %9.3f ms in all\n", (end - start) / 1e6);
  return out + total;
}

void PhaseTrace::release() {
  if (!table_) return;
  // Only the process that made the trace prints it (a forked child exits through _exit or
  // exec, but a copy of this object may still be destroyed there).
  if (::getpid() == owner_) {
    std::string text = format();
    int fd = sink_ == "-" ? STDERR_FILENO
                          : ::open(sink_.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
    if (fd >= 0) {
      ssize_t written = ::write(fd, text.data(), text.size());
      (void)written;
      if (fd != STDERR_FILENO) ::close(fd);
    }
  }
  ::munmap(table_, sizeof(Table));
  table_ = nullptr;
}

PhaseTrace::~PhaseTrace() {
  release();
}

PhaseTrace::PhaseTrace(PhaseTrace&& other) noexcept
    : table_(std::exchange(other.table_, nullptr)),
      active_(std::exchange(other.active_, false)),
      fault_(std::move(other.fault_)),
      owner_(other.owner_),
      what_(std::move(other.what_)),
      sink_(std::move(other.sink_)) {}

PhaseTrace& PhaseTrace::operator=(PhaseTrace&& other) noexcept {
  if (this != &other) {
    release();
    table_ = std::exchange(other.table_, nullptr);
    active_ = std::exchange(other.active_, false);
    fault_ = std::move(other.fault_);
    owner_ = other.owner_;
    what_ = std::move(other.what_);
    sink_ = std::move(other.sink_);
  }
  return *this;
}

}  // namespace burrow
