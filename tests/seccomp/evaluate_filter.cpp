#include "evaluate_filter.hpp"

#include <linux/filter.h>

#include <cstring>

#include <gtest/gtest.h>

namespace burrow::seccomp::testing {

uint32_t evaluate(const Filter& filter, uint32_t arch, int nr, const std::vector<uint64_t>& args) {
  struct seccomp_data data {};
  data.nr = nr;
  data.arch = arch;
  for (size_t i = 0; i < args.size() && i < 6; ++i) data.args[i] = args[i];
  const auto* bytes = reinterpret_cast<const unsigned char*>(&data);
  uint32_t a = 0, x = 0;
  uint32_t memory[BPF_MEMWORDS] = {};
  const auto& program = filter.program;
  for (size_t pc = 0; pc < program.size(); ++pc) {
    const struct sock_filter& in = program[pc];
    switch (in.code) {
      case BPF_LD | BPF_W | BPF_ABS:
        if (in.k + sizeof(uint32_t) > sizeof(data)) {
          ADD_FAILURE() << "load beyond seccomp_data at " << pc;
          return 0;
        }
        std::memcpy(&a, bytes + in.k, sizeof(a));
        break;
      case BPF_LD | BPF_IMM:
        a = in.k;
        break;
      case BPF_LDX | BPF_IMM:
        x = in.k;
        break;
      case BPF_LD | BPF_MEM:
        a = memory[in.k % BPF_MEMWORDS];
        break;
      case BPF_LDX | BPF_MEM:
        x = memory[in.k % BPF_MEMWORDS];
        break;
      case BPF_ST:
        memory[in.k % BPF_MEMWORDS] = a;
        break;
      case BPF_STX:
        memory[in.k % BPF_MEMWORDS] = x;
        break;
      case BPF_MISC | BPF_TAX:
        x = a;
        break;
      case BPF_MISC | BPF_TXA:
        a = x;
        break;
      case BPF_ALU | BPF_AND | BPF_K:
        a &= in.k;
        break;
      case BPF_ALU | BPF_OR | BPF_K:
        a |= in.k;
        break;
      case BPF_JMP | BPF_JA:
        pc += in.k;
        break;
      case BPF_JMP | BPF_JEQ | BPF_K:
        pc += a == in.k ? in.jt : in.jf;
        break;
      case BPF_JMP | BPF_JGT | BPF_K:
        pc += a > in.k ? in.jt : in.jf;
        break;
      case BPF_JMP | BPF_JGE | BPF_K:
        pc += a >= in.k ? in.jt : in.jf;
        break;
      case BPF_JMP | BPF_JSET | BPF_K:
        pc += (a & in.k) != 0 ? in.jt : in.jf;
        break;
      case BPF_RET | BPF_K:
        return in.k;
      case BPF_RET | BPF_A:
        return a;
      default:
        ADD_FAILURE() << "instruction " << pc << ": opcode " << in.code << " not evaluated here";
        return 0;
    }
  }
  ADD_FAILURE() << "the program ran off its end";
  return 0;
}

}  // namespace burrow::seccomp::testing
