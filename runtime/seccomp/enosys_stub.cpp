#include "seccomp/enosys_stub.hpp"

#include <errno.h>
#include <linux/audit.h>
#include <linux/seccomp.h>
#include <seccomp.h>
#include <stddef.h>

namespace burrow::seccomp {
namespace {

constexpr uint32_t kX32Bit = 0x40000000;  // __X32_SYSCALL_BIT: x32 calls use the x86_64 arch

// Classic BPF with symbolic jump targets, resolved once the program is laid out.
class StubBuilder {
 public:
  using Label = size_t;
  Label label() {
    targets_.push_back(kUnplaced);
    return targets_.size() - 1;
  }
  void place(Label l) { targets_[l] = code_.size(); }
  void load_arch() { plain(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch)); }
  void load_nr() { plain(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)); }
  void jump_if(uint16_t op, uint32_t k, Label yes, Label no) {
    jumps_.push_back({code_.size(), yes, no});
    code_.push_back(BPF_JUMP(BPF_JMP | op | BPF_K, k, 0, 0));
  }
  void jump(Label to) {
    always_.push_back({code_.size(), to});
    code_.push_back(BPF_STMT(BPF_JMP | BPF_JA, 0));
  }
  void ret(uint32_t k) { plain(BPF_RET | BPF_K, k); }

  std::vector<struct sock_filter> finish() {
    for (const auto& j : jumps_) {
      code_[j.at].jt = static_cast<uint8_t>(targets_[j.yes] - j.at - 1);
      code_[j.at].jf = static_cast<uint8_t>(targets_[j.no] - j.at - 1);
    }
    for (const auto& [at, to] : always_) code_[at].k = static_cast<uint32_t>(targets_[to] - at - 1);
    return std::move(code_);
  }

 private:
  static constexpr size_t kUnplaced = SIZE_MAX;
  struct Jump {
    size_t at;
    Label yes, no;
  };
  void plain(uint16_t code, uint32_t k) { code_.push_back(BPF_STMT(code, k)); }

  std::vector<struct sock_filter> code_;
  std::vector<size_t> targets_;
  std::vector<Jump> jumps_;
  std::vector<std::pair<size_t, Label>> always_;
};

// nr > last -> enosys, else -> pass; no known last syscall -> pass.
void check_number(StubBuilder& b, std::optional<uint32_t> last, StubBuilder::Label enosys,
                  StubBuilder::Label pass) {
  if (last)
    b.jump_if(BPF_JGT, *last, enosys, pass);
  else
    b.jump(pass);
}

}  // namespace

std::vector<struct sock_filter> enosys_stub(const LastSyscalls& last) {
  StubBuilder b;
  StubBuilder::Label enosys = b.label(), pass = b.label();
  // x86_64 and x32 share AUDIT_ARCH_X86_64: one section tells them apart by the x32 bit.
  std::map<uint32_t, std::pair<std::optional<uint32_t>, std::optional<uint32_t>>> x86_64_family;
  for (const auto& [token, number] : last) {
    if (token == SCMP_ARCH_X86_64) x86_64_family[AUDIT_ARCH_X86_64].first = number;
    if (token == SCMP_ARCH_X32)
      x86_64_family[AUDIT_ARCH_X86_64].second = number ? std::optional(*number | kX32Bit) : number;
  }
  for (const auto& [token, number] : last) {
    if (token == SCMP_ARCH_X86_64 || token == SCMP_ARCH_X32) continue;
    StubBuilder::Label match = b.label(), next = b.label();
    b.load_arch();
    b.jump_if(BPF_JEQ, token, match, next);
    b.place(match);
    b.load_nr();
    check_number(b, number, enosys, pass);
    b.place(next);
  }
  for (const auto& [audit, numbers] : x86_64_family) {
    StubBuilder::Label match = b.label(), next = b.label(), x32 = b.label(), native = b.label();
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
