#include "cgroups/device_filter.hpp"

#include <fcntl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cstring>

#include "base/fd.hpp"
#include "cgroups/fs_ops.hpp"

namespace burrow::cgroups {
namespace {

// Registers: r1 the context (struct bpf_cgroup_dev_ctx), then r2 device type, r3 requested
// access, r4 major, r5 minor; r0 the verdict.
bpf_insn insn(uint8_t code, uint8_t dst, uint8_t src, int16_t off, int32_t imm) {
  bpf_insn i{};
  i.code = code;
  i.dst_reg = dst & 0xf;
  i.src_reg = src & 0xf;
  i.off = off;
  i.imm = imm;
  return i;
}

bpf_insn load_word(uint8_t dst, int16_t offset) {
  return insn(BPF_LDX | BPF_MEM | BPF_W, dst, 1, offset, 0);
}
bpf_insn alu32_imm(uint8_t op, uint8_t dst, int32_t imm) {
  return insn(BPF_ALU | op | BPF_K, dst, 0, 0, imm);
}
bpf_insn mov32_reg(uint8_t dst, uint8_t src) {
  return insn(BPF_ALU | BPF_MOV | BPF_X, dst, src, 0, 0);
}
bpf_insn jne_imm(uint8_t dst, int32_t imm, int16_t skip) {
  return insn(BPF_JMP | BPF_JNE | BPF_K, dst, 0, skip, imm);
}
bpf_insn jne_reg(uint8_t dst, uint8_t src, int16_t skip) {
  return insn(BPF_JMP | BPF_JNE | BPF_X, dst, src, skip, 0);
}
bpf_insn exit_insn() {
  return insn(BPF_JMP | BPF_EXIT, 0, 0, 0, 0);
}

int32_t access_bits(const std::string& access) {
  int32_t bits = 0;
  for (char c : access) {
    if (c == 'm') bits |= BPF_DEVCG_ACC_MKNOD;
    if (c == 'r') bits |= BPF_DEVCG_ACC_READ;
    if (c == 'w') bits |= BPF_DEVCG_ACC_WRITE;
  }
  return bits;
}

// One rule: a block that falls through to the next rule on any mismatch, else returns its
// verdict.
std::vector<bpf_insn> rule_block(const DeviceCgroupRule& rule) {
  // Each check is a jump whose offset (to the block's end) is filled in once its size is known.
  std::vector<bpf_insn> block;
  std::vector<size_t> jumps;
  if (rule.type != 'a') {
    jumps.push_back(block.size());
    block.push_back(jne_imm(2, rule.type == 'b' ? BPF_DEVCG_DEV_BLOCK : BPF_DEVCG_DEV_CHAR, 0));
  }
  int32_t access = access_bits(rule.access);
  const int32_t all = BPF_DEVCG_ACC_MKNOD | BPF_DEVCG_ACC_READ | BPF_DEVCG_ACC_WRITE;
  if (access != all) {
    // Every requested bit must be in the rule: (requested & rule) == requested.
    block.push_back(mov32_reg(1, 3));
    block.push_back(alu32_imm(BPF_AND, 1, access));
    jumps.push_back(block.size());
    block.push_back(jne_reg(1, 3, 0));
  }
  if (rule.major != kWildcard) {
    jumps.push_back(block.size());
    block.push_back(jne_imm(4, static_cast<int32_t>(rule.major), 0));
  }
  if (rule.minor != kWildcard) {
    jumps.push_back(block.size());
    block.push_back(jne_imm(5, static_cast<int32_t>(rule.minor), 0));
  }
  block.push_back(alu32_imm(BPF_MOV, 0, rule.allow ? 1 : 0));
  block.push_back(exit_insn());
  for (size_t at : jumps) block[at].off = static_cast<int16_t>(block.size() - at - 1);
  return block;
}

long bpf(int cmd, union bpf_attr* attr) {
  return ::syscall(SYS_bpf, cmd, attr, sizeof *attr);
}

}  // namespace

std::vector<bpf_insn> device_filter_program(const std::vector<DeviceCgroupRule>& rules) {
  std::vector<bpf_insn> program = {
      load_word(2, 0), alu32_imm(BPF_AND, 2, 0xffff),  // device type
      load_word(3, 0), alu32_imm(BPF_RSH, 3, 16),      // requested access
      load_word(4, 4), load_word(5, 8),                // major, minor
  };
  // The last rule written wins in v1, so it is checked first here. A rule that matches every
  // access ends the program (the verifier refuses unreachable instructions after it).
  for (auto it = rules.rbegin(); it != rules.rend(); ++it) {
    auto block = rule_block(*it);
    program.insert(program.end(), block.begin(), block.end());
    if (block.size() == 2) return program;
  }
  program.push_back(alu32_imm(BPF_MOV, 0, 0));  // nothing matched: denied
  program.push_back(exit_insn());
  return program;
}

Status attach_device_filter(const CgroupsContext& ctx, const std::string& dir,
                            const std::vector<DeviceCgroupRule>& rules) {
  if (ctx.emulate_cgroupfs) {
    for (const auto& rule : rules) {
      BURROW_TRY(fs::write_control(ctx, dir, "devices.bpf",
                                   (rule.allow ? "allow " : "deny ") + rule.text()));
    }
    return {};
  }
  std::vector<bpf_insn> program = device_filter_program(rules);
  static const char kLicense[] = "Apache";
  union bpf_attr load {};
  load.prog_type = BPF_PROG_TYPE_CGROUP_DEVICE;
  load.insns = reinterpret_cast<uint64_t>(program.data());
  load.insn_cnt = static_cast<uint32_t>(program.size());
  load.license = reinterpret_cast<uint64_t>(kLicense);
  Fd prog(static_cast<int>(bpf(BPF_PROG_LOAD, &load)));
  if (!prog) {
    // Load again with the verifier's log, to say why.
    int err = errno;
    std::string log(16384, '\0');
    load.log_level = 1;
    load.log_buf = reinterpret_cast<uint64_t>(log.data());
    load.log_size = static_cast<uint32_t>(log.size());
    Fd again(static_cast<int>(bpf(BPF_PROG_LOAD, &load)));
    log.resize(std::strlen(log.c_str()));
    while (!log.empty() && log.back() == '\n') log.pop_back();
    std::string last = log.substr(0, log.find('\n'));  // the verifier's complaint
    return Error::from_errno("load the eBPF device filter (BPF_PROG_LOAD)" +
                                 (last.empty() ? std::string() : " [verifier: " + last + "]"),
                             err);
  }
  Fd cgroup(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (!cgroup) return Error::from_errno("open " + dir);
  union bpf_attr attach {};
  attach.target_fd = static_cast<uint32_t>(cgroup.get());
  attach.attach_bpf_fd = static_cast<uint32_t>(prog.get());
  attach.attach_type = BPF_CGROUP_DEVICE;
  attach.attach_flags = BPF_F_ALLOW_MULTI;
  if (bpf(BPF_PROG_ATTACH, &attach) < 0) {
    return Error::from_errno("attach the eBPF device filter to " + dir);
  }
  return {};
}

}  // namespace burrow::cgroups
