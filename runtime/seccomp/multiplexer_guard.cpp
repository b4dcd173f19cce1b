#include "seccomp/multiplexer_guard.hpp"

#include <spdlog/spdlog.h>

#include "seccomp/bpf_builder.hpp"

namespace burrow::seccomp {
namespace {

// libseccomp names the multiplexed calls with pseudo syscall numbers on the architectures that
// multiplex them: socket(2) is __PNR_socket (-101), i.e. socketcall's SYS_SOCKET (1); semop(2)
// is __PNR_semop (-201), ipc's SEMOP (1).
struct Multiplexer {
  const char* name;
  int first;         // pseudo number of operation 1
  int last;          // pseudo number of the last operation
  uint32_t op_mask;  // the bits of the first argument the kernel reads as the operation
};

// ipc(2) reads the operation from the low 16 bits (the high ones are an ABI version).
constexpr Multiplexer kMultiplexers[] = {
    {"socketcall", __PNR_socket, __PNR_sendmmsg, 0xffffffff},
    {"ipc", __PNR_semop, __PNR_shmctl, 0xffff},
};

bool holds(const scmp_arg_cmp& condition, uint64_t value) {
  switch (condition.op) {
    case SCMP_CMP_NE:
      return value != condition.datum_a;
    case SCMP_CMP_LT:
      return value < condition.datum_a;
    case SCMP_CMP_LE:
      return value <= condition.datum_a;
    case SCMP_CMP_EQ:
      return value == condition.datum_a;
    case SCMP_CMP_GE:
      return value >= condition.datum_a;
    case SCMP_CMP_GT:
      return value > condition.datum_a;
    case SCMP_CMP_MASKED_EQ:
      return (value & condition.datum_a) == condition.datum_b;
    default:
      return true;
  }
}

// The operations of `mux` to refuse on the architecture `token`.
std::set<uint32_t> guarded_operations(const MultiplexedRules& rules, const Multiplexer& mux,
                                      uint32_t token) {
  std::set<uint32_t> operations;
  auto explicit_rules = rules.multiplexer_rules.find(mux.name);
  for (const std::string& name : rules.conditional_allows) {
    int pseudo = seccomp_syscall_resolve_name_arch(token, name.c_str());
    if (pseudo > mux.first || pseudo < mux.last) continue;  // not multiplexed here
    auto op = static_cast<uint32_t>(mux.first - pseudo + 1);
    bool covered = false;
    if (explicit_rules != rules.multiplexer_rules.end()) {
      for (const auto& conditions : explicit_rules->second)
        covered = covered || covers_operation(conditions, op);
    }
    if (covered) continue;
    spdlog::debug(
        "seccomp: {}({}) on arch {:#x} gets the default action: the rule for {} checks "
        "arguments the multiplexer hides",
        mux.name, op, token, name);
    operations.insert(op);
  }
  return operations;
}

}  // namespace

bool covers_operation(const std::vector<scmp_arg_cmp>& conditions, uint32_t op) {
  for (const auto& condition : conditions) {
    if (condition.arg == 0 && !holds(condition, op)) return false;
  }
  return true;
}

std::vector<struct sock_filter> multiplexer_guard(const MultiplexedRules& rules,
                                                  const std::vector<uint32_t>& arch_tokens,
                                                  uint32_t default_action) {
  if (rules.conditional_allows.empty()) return {};
  BpfBuilder b;
  BpfBuilder::Label refuse = b.label(), pass = b.label();
  bool any = false;
  for (uint32_t token : arch_tokens) {
    for (const Multiplexer& mux : kMultiplexers) {
      int number = seccomp_syscall_resolve_name_arch(token, mux.name);
      if (number < 0) continue;  // no such multiplexer on this architecture
      std::set<uint32_t> operations = guarded_operations(rules, mux, token);
      if (operations.empty()) continue;
      any = true;
      BpfBuilder::Label arch = b.label(), call = b.label(), next = b.label();
      b.load_arch();
      b.jump_if(BPF_JEQ, token, arch, next);
      b.place(arch);
      b.load_nr();
      b.jump_if(BPF_JEQ, static_cast<uint32_t>(number), call, next);
      b.place(call);
      b.load_arg_low(0);
      if (mux.op_mask != 0xffffffff) b.and_k(mux.op_mask);
      for (uint32_t op : operations) {
        BpfBuilder::Label other = b.label();
        b.jump_if(BPF_JEQ, op, refuse, other);
        b.place(other);
      }
      b.place(next);
    }
  }
  if (!any) return {};
  b.jump(pass);
  b.place(refuse);
  b.ret(default_action);
  b.place(pass);
  return b.finish();
}

}  // namespace burrow::seccomp
