#include "seccomp/enosys_stub.hpp"

#include <errno.h>
#include <linux/audit.h>
#include <linux/seccomp.h>
#include <seccomp.h>

#include <map>

#include "seccomp/bpf_builder.hpp"

namespace burrow::seccomp {
namespace {

constexpr uint32_t kX32Bit = 0x40000000;  // __X32_SYSCALL_BIT: x32 calls use the x86_64 arch

// nr > last -> enosys, else -> pass; no known last syscall -> pass.
void check_number(BpfBuilder& b, std::optional<uint32_t> last, BpfBuilder::Label enosys,
                  BpfBuilder::Label pass) {
  if (last)
    b.jump_if(BPF_JGT, *last, enosys, pass);
  else
    b.jump(pass);
}

}  // namespace

std::vector<struct sock_filter> enosys_stub(const LastSyscalls& last) {
  BpfBuilder b;
  BpfBuilder::Label enosys = b.label(), pass = b.label();
  // x86_64 and x32 share AUDIT_ARCH_X86_64: one section tells them apart by the x32 bit.
  std::map<uint32_t, std::pair<std::optional<uint32_t>, std::optional<uint32_t>>> x86_64_family;
  for (const auto& [token, number] : last) {
    if (token == SCMP_ARCH_X86_64) x86_64_family[AUDIT_ARCH_X86_64].first = number;
    if (token == SCMP_ARCH_X32)
      x86_64_family[AUDIT_ARCH_X86_64].second = number ? std::optional(*number | kX32Bit) : number;
  }
  for (const auto& [token, number] : last) {
    if (token == SCMP_ARCH_X86_64 || token == SCMP_ARCH_X32) continue;
    BpfBuilder::Label match = b.label(), next = b.label();
    b.load_arch();
    b.jump_if(BPF_JEQ, token, match, next);
    b.place(match);
    b.load_nr();
    check_number(b, number, enosys, pass);
    b.place(next);
  }
  for (const auto& [audit, numbers] : x86_64_family) {
    BpfBuilder::Label match = b.label(), next = b.label(), x32 = b.label(), native = b.label();
    b.load_arch();
    b.jump_if(BPF_JEQ, audit, match, next);
    b.place(match);
    b.load_nr();
    b.jump_if(BPF_JSET, kX32Bit, x32, native);
    b.place(native);
    check_number(b, numbers.first, enosys, pass);
    b.place(x32);
    check_number(b, numbers.second, enosys, pass);
    b.place(next);
  }
  b.jump(pass);
  b.place(enosys);
  b.ret(SECCOMP_RET_ERRNO | (ENOSYS & SECCOMP_RET_DATA));
  b.place(pass);
  return b.finish();
}

}  // namespace burrow::seccomp
