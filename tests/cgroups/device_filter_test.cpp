// The eBPF device filter's instructions: checked by interpreting them here over a table of
// device accesses (the kernel's verifier and the real attach are in root/device_filter_root_test).
#include "cgroups/device_filter.hpp"

#include <gtest/gtest.h>

namespace burrow::cgroups {
namespace {

// A tiny interpreter for the instructions the generator emits.
int run(const std::vector<bpf_insn>& program, uint32_t type, uint32_t access, uint32_t major,
        uint32_t minor) {
  uint32_t ctx[3] = {type | (access << 16), major, minor};
  uint64_t r[11] = {};
  for (size_t pc = 0; pc < program.size(); ++pc) {
    const bpf_insn& i = program[pc];
    switch (i.code) {
      case BPF_LDX | BPF_MEM | BPF_W:
        r[i.dst_reg] = ctx[i.off / 4];
        break;
      case BPF_ALU | BPF_AND | BPF_K:
        r[i.dst_reg] = static_cast<uint32_t>(r[i.dst_reg] & static_cast<uint32_t>(i.imm));
        break;
      case BPF_ALU | BPF_RSH | BPF_K:
        r[i.dst_reg] = static_cast<uint32_t>(r[i.dst_reg]) >> i.imm;
        break;
      case BPF_ALU | BPF_MOV | BPF_X:
        r[i.dst_reg] = static_cast<uint32_t>(r[i.src_reg]);
        break;
      case BPF_ALU | BPF_MOV | BPF_K:
        r[i.dst_reg] = static_cast<uint32_t>(i.imm);
        break;
      case BPF_JMP | BPF_JNE | BPF_K:
        if (r[i.dst_reg] != static_cast<uint64_t>(static_cast<int64_t>(i.imm))) pc += i.off;
        break;
      case BPF_JMP | BPF_JNE | BPF_X:
        if (r[i.dst_reg] != r[i.src_reg]) pc += i.off;
        break;
      case BPF_JMP | BPF_EXIT:
        return static_cast<int>(r[0]);
      default:
        ADD_FAILURE() << "unexpected opcode " << int(i.code);
        return -1;
    }
  }
  ADD_FAILURE() << "fell off the end";
  return -1;
}

constexpr uint32_t kChar = BPF_DEVCG_DEV_CHAR, kBlock = BPF_DEVCG_DEV_BLOCK;
constexpr uint32_t kRead = BPF_DEVCG_ACC_READ, kWrite = BPF_DEVCG_ACC_WRITE,
                   kMknod = BPF_DEVCG_ACC_MKNOD;

TEST(DeviceFilter, LastMatchingRuleDecides) {
  std::vector<DeviceCgroupRule> rules = {
      {false, 'a', kWildcard, kWildcard, "rwm"},
      {true, 'c', 1, 3, "rwm"},  // /dev/null
      {true, 'c', 1, 5, "r"},    // /dev/zero, read only
      {true, 'c', kWildcard, kWildcard, "m"},
      {true, 'c', 136, kWildcard, "rw"},
      {false, 'c', 136, 7, "rwm"},  // ... except one pty
  };
  auto p = device_filter_program(rules);
  EXPECT_EQ(run(p, kChar, kRead | kWrite, 1, 3), 1);
  EXPECT_EQ(run(p, kChar, kRead, 1, 5), 1);
  EXPECT_EQ(run(p, kChar, kRead | kWrite, 1, 5), 0) << "write not granted";
  EXPECT_EQ(run(p, kChar, kMknod, 42, 42), 1);
  EXPECT_EQ(run(p, kChar, kRead, 42, 42), 0);
  EXPECT_EQ(run(p, kBlock, kMknod, 8, 0), 0) << "the mknod rule is for char devices";
  EXPECT_EQ(run(p, kChar, kWrite, 136, 2), 1);
  EXPECT_EQ(run(p, kChar, kWrite, 136, 7), 0);
  EXPECT_EQ(run(p, kBlock, kRead, 1, 3), 0) << "a block device with /dev/null's numbers";
}

TEST(DeviceFilter, AllowAllThenDeny) {
  std::vector<DeviceCgroupRule> rules = {{true, 'a', kWildcard, kWildcard, "rwm"},
                                         {false, 'b', 8, kWildcard, "w"}};
  auto p = device_filter_program(rules);
  EXPECT_EQ(run(p, kBlock, kRead, 8, 1), 1);
  EXPECT_EQ(run(p, kBlock, kWrite, 8, 1), 0);
  EXPECT_EQ(run(p, kChar, kWrite, 8, 1), 1);
  EXPECT_EQ(run(device_filter_program({}), kChar, kRead, 1, 3), 0) << "no rules: deny";
}

}  // namespace
}  // namespace burrow::cgroups
