#include "probe/abi.hpp"

#include <setjmp.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdint>
#include <cstring>
#include <sstream>
#include <string>
#include <vector>

#include "probe/output.hpp"

namespace probe {
namespace {

using nlohmann::json;

constexpr long kX32Bit = 0x40000000;  // __X32_SYSCALL_BIT
constexpr uint32_t kSysSocketpair = 8;

// i386 numbers from the kernel's syscall_32.tbl; x32 uses the x86_64 ones with the x32 bit.
struct Call {
  const char* name;
  long i386;
  long x86_64;  // -1: none (socketcall exists on i386 only)
};
constexpr Call kCalls[] = {
    {"getpid", 20, 39}, {"socket", 359, 41},  {"socketpair", 360, 53},   {"socketcall", 102, -1},
    {"clone", 120, 56}, {"clone3", 435, 435}, {"personality", 136, 135}, {"unshare", 310, 272},
};

enum class Abi { x86_64, i386, x32 };

struct Request {
  const Call* call = nullptr;
  std::vector<uint64_t> args;
};

Request parse(const std::string& spec) {
  std::vector<std::string> words;
  std::istringstream stream(spec);
  for (std::string word; std::getline(stream, word, ':');) words.push_back(word);
  Request request;
  for (const Call& call : kCalls) {
    if (!words.empty() && words[0] == call.name) request.call = &call;
  }
  for (size_t i = 1; i < words.size(); ++i) {
    const std::string& word = words[i];
    request.args.push_back(word.starts_with("-")
                               ? static_cast<uint64_t>(std::stoll(word, nullptr, 0))
                               : std::stoull(word, nullptr, 0));
  }
  return request;
}

// Memory a 32-bit pointer reaches: socketcall's argument array and socketpair's fds.
struct LowMemory {
  uint32_t* words = nullptr;
  LowMemory() {
    void* page =
        mmap(nullptr, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_32BIT, -1, 0);
    if (page != MAP_FAILED) words = static_cast<uint32_t*>(page);
  }
  uint32_t* args() { return words; }       // 16 words
  uint32_t* pair() { return words + 16; }  // 2 fds
  static uint64_t address(const void* p) { return reinterpret_cast<uintptr_t>(p); }
};

#if defined(__x86_64__)
// The i386 entry: number in eax, arguments in ebx, ecx, edx, esi, edi; the result in eax.
long int80(long nr, const uint64_t* a) {
  long ret = 0;
  __asm__ volatile("int $0x80"
                   : "=a"(ret)
                   : "a"(nr), "b"(a[0]), "c"(a[1]), "d"(a[2]), "S"(a[3]), "D"(a[4])
                   : "memory", "r8", "r9", "r10", "r11");
  return static_cast<int>(ret);  // a 32-bit result; -4095..-1 is an error
}

sigjmp_buf g_fault;
void on_fault(int) {
  siglongjmp(g_fault, 1);
}

// Whether `int $0x80` reaches the kernel's i386 entry: without IA32 emulation it raises SIGSEGV.
bool int80_works() {
  struct sigaction fault {
  }, old_segv{}, old_bus{};
  fault.sa_handler = on_fault;
  sigaction(SIGSEGV, &fault, &old_segv);
  sigaction(SIGBUS, &fault, &old_bus);
  bool works = false;
  if (sigsetjmp(g_fault, 1) == 0) {
    uint64_t none[5] = {};
    works = int80(20, none) == getpid();
  }
  sigaction(SIGSEGV, &old_segv, nullptr);
  sigaction(SIGBUS, &old_bus, nullptr);
  return works;
}
#endif

// ret and errno as the ABI's libc would report them.
std::pair<long, int> invoke(Abi abi, long nr, const uint64_t* a) {
  if (abi == Abi::i386) {
#if defined(__x86_64__)
    long raw = int80(nr, a);
    if (raw < 0 && raw > -4096) return {-1, static_cast<int>(-raw)};
    return {raw, 0};
#else
    return {-1, ENOSYS};
#endif
  }
  if (abi == Abi::x32) nr |= kX32Bit;
  errno = 0;
  long ret = syscall(nr, a[0], a[1], a[2], a[3], a[4], a[5]);
  return {ret, ret == -1 ? errno : 0};
}

json socket_family(int fd) {
  int domain = -1;
  socklen_t size = sizeof(domain);
  if (getsockopt(fd, SOL_SOCKET, SO_DOMAIN, &domain, &size) < 0) return nullptr;
  return domain;
}

json make(Abi abi, const std::string& spec, LowMemory& low) {
  Request request = parse(spec);
  if (request.call == nullptr) return json{{"unknown", true}};
  const Call& call = *request.call;
  long nr = abi == Abi::i386 ? call.i386 : call.x86_64;
  if (nr < 0) return json{{"unknown", true}};
  uint64_t a[6] = {};
  std::string name = call.name;
  bool pair = false;
  if (name == "socketcall") {
    // socketcall(op, args): the rest of the arguments go into the array.
    a[0] = request.args.empty() ? 0 : request.args[0];
    std::memset(low.args(), 0, 16 * sizeof(uint32_t));
    for (size_t i = 1; i < request.args.size() && i <= 6; ++i)
      low.args()[i - 1] = static_cast<uint32_t>(request.args[i]);
    if (a[0] == kSysSocketpair) {
      low.args()[3] = static_cast<uint32_t>(LowMemory::address(low.pair()));
      pair = true;
    }
    a[1] = LowMemory::address(low.args());
  } else {
    for (size_t i = 0; i < request.args.size() && i < 6; ++i) a[i] = request.args[i];
    if (name == "socketpair") {
      a[3] = LowMemory::address(low.pair());
      pair = true;
    }
  }
  low.pair()[0] = low.pair()[1] = static_cast<uint32_t>(-1);
  auto [ret, err] = invoke(abi, nr, a);
  if ((name == "clone" || name == "clone3") && ret == 0) _exit(0);  // the child of a clone
  if ((name == "clone" || name == "clone3") && ret > 0)
    waitpid(static_cast<pid_t>(ret), nullptr, __WALL);
  json result{{"ret", ret}, {"errno", ret == -1 ? json(errno_name(err)) : json(nullptr)}};
  bool made_socket = ret >= 0 && (name == "socket" || (name == "socketcall" && a[0] == 1));
  if (made_socket) {
    result["domain"] = socket_family(static_cast<int>(ret));
    close(static_cast<int>(ret));
  }
  if (pair && ret == 0) {
    result["domain"] = socket_family(static_cast<int>(low.pair()[0]));
    close(static_cast<int>(low.pair()[0]));
    close(static_cast<int>(low.pair()[1]));
  }
  return result;
}

json seccomp_mode() {
  auto status = read_file("/proc/self/status");
  if (!status) return nullptr;
  auto at = status->find("\nSeccomp:");
  if (at == std::string::npos) return nullptr;
  return std::atoi(status->c_str() + at + 9);
}

}  // namespace

int abi_command(int argc, char** argv) {
  std::string name = argv[2];
  Abi abi;
  if (name == "x86_64") {
    abi = Abi::x86_64;
  } else if (name == "i386") {
    abi = Abi::i386;
  } else if (name == "x32") {
    abi = Abi::x32;
  } else {
    std::cerr << "probe abi: unknown ABI " << name << " (x86_64, i386, x32)\n";
    return 2;
  }
  json out{{"abi", name}, {"seccomp", seccomp_mode()}, {"available", true}};
  LowMemory low;
  if (low.words == nullptr) {
    out["available"] = false;
    out["why"] = "mmap(MAP_32BIT): " + errno_name(errno);
  }
#if defined(__x86_64__)
  if (abi == Abi::i386 && !int80_works()) {
    out["available"] = false;
    out["why"] = "int $0x80 faults: the kernel has no IA32 emulation (or ia32_emulation=0)";
  }
  if (abi == Abi::x32) {
    uint64_t none[6] = {};
    auto [pid, err] = invoke(abi, 39, none);
    out["available"] = pid == getpid();
    if (pid != getpid()) out["why"] = "x32 getpid: " + errno_name(err);
  }
#else
  out["available"] = false;
  out["why"] = "the probe is not an x86_64 build";
#endif
  json results = json::object();
  // x32 calls are made even where the kernel lacks the x32 ABI: the filter answers first, so a
  // refused call says EPERM and one it lets through ENOSYS.
  bool make_calls = out["available"] == true || (abi == Abi::x32 && low.words != nullptr);
  for (int i = 3; i < argc && make_calls; ++i) results[argv[i]] = make(abi, argv[i], low);
  out["results"] = results;
  print(out);
  return 0;
}

}  // namespace probe
