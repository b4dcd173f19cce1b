#include "machine/machine.hpp"

#include <gtest/gtest.h>

namespace burrow::bench {
namespace {

TEST(Machine, ParsesProcFiles) {
  LoadAverage load = parse_loadavg("1.85 1.77 0.50 3/412 12345\n");
  EXPECT_DOUBLE_EQ(load.values[0], 1.85);
  EXPECT_DOUBLE_EQ(load.values[2], 0.50);
  EXPECT_EQ(parse_cpu_model("processor\t: 0\nmodel name\t: AMD EPYC 7B13\nflags\t: fpu\n"),
            "AMD EPYC 7B13");
  EXPECT_EQ(parse_mem_total_kib("MemTotal:        8141236 kB\nMemFree: 1 kB\n"), 8141236);
  EXPECT_EQ(parse_os_name("NAME=\"Debian\"\nPRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\n"),
            "Debian GNU/Linux 12 (bookworm)");
}

TEST(Machine, CgroupModes) {
  EXPECT_EQ(parse_cgroup_mode("cgroup2 /sys/fs/cgroup cgroup2 rw 0 0\n"), "v2");
  EXPECT_EQ(parse_cgroup_mode("tmpfs /sys/fs/cgroup tmpfs rw 0 0\n"
                              "cgroup /sys/fs/cgroup/cpu cgroup rw,cpu 0 0\n"
                              "cgroup2 /sys/fs/cgroup/unified cgroup2 rw 0 0\n"),
            "hybrid");
  EXPECT_EQ(parse_cgroup_mode("cgroup /sys/fs/cgroup/memory cgroup rw,memory 0 0\n"), "v1");
  EXPECT_EQ(parse_cgroup_mode("proc /proc proc rw 0 0\n"), "none");
}

}  // namespace
}  // namespace burrow::bench
