// Classic BPF with symbolic jump targets, for the short programs burrow puts in front of
// libseccomp's (enosys_stub.hpp, multiplexer_guard.hpp). Internal to seccomp/.
#pragma once

#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <stdint.h>

#include <utility>
#include <vector>

namespace burrow::seccomp {

class BpfBuilder {
 public:
  using Label = size_t;
  Label label() {
    targets_.push_back(kUnplaced);
    return targets_.size() - 1;
  }
  void place(Label l) { targets_[l] = code_.size(); }
  void load_arch() { plain(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch)); }
  void load_nr() { plain(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)); }
  // The low 32 bits of args[index] (the word a 32-bit architecture's calls read).
  void load_arg_low(unsigned index) {
    constexpr bool little = __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__;
    uint32_t at = offsetof(struct seccomp_data, args) + index * sizeof(uint64_t) + (little ? 0 : 4);
    plain(BPF_LD | BPF_W | BPF_ABS, at);
  }
  void and_k(uint32_t k) { plain(BPF_ALU | BPF_AND | BPF_K, k); }
  void jump_if(uint16_t op, uint32_t k, Label yes, Label no) {
    jumps_.push_back({code_.size(), yes, no});
    code_.push_back(BPF_JUMP(BPF_JMP | op | BPF_K, k, 0, 0));
  }
  void jump(Label to) {
    always_.push_back({code_.size(), to});
    code_.push_back(BPF_STMT(BPF_JMP | BPF_JA, 0));
  }
  void ret(uint32_t k) { plain(BPF_RET | BPF_K, k); }

  // Conditional jumps reach at most 255 instructions ahead; the programs built here are short.
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

}  // namespace burrow::seccomp
