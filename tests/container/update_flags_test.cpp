#include "container/update_flags.hpp"

#include <gtest/gtest.h>

namespace burrow::container {
namespace {

TEST(UpdateFlags, MemorySizesAsRuncParsesThem) {
  EXPECT_EQ(*parse_memory_size("memory", "100"), 100);
  EXPECT_EQ(*parse_memory_size("memory", "64m"), 64 << 20);
  EXPECT_EQ(*parse_memory_size("memory", "64MiB"), 64 << 20);
  EXPECT_EQ(*parse_memory_size("memory", "1.5g"), 3 << 29);
  EXPECT_EQ(*parse_memory_size("memory", "2 KB"), 2048);
  EXPECT_EQ(*parse_memory_size("memory-swap", "-1"), -1);
  EXPECT_EQ(parse_memory_size("memory", "lots").error().message,
            "invalid value for memory: invalid size: 'lots'");
}

TEST(UpdateFlags, FieldsBecomeResources) {
  auto r = resources_from_flags({{"memory", "64m"},
                                 {"memory-swap", "128m"},
                                 {"memory-reservation", "32m"},
                                 {"cpu-share", "512"},
                                 {"cpu-quota", "-1"},
                                 {"cpu-period", "100000"},
                                 {"cpuset-cpus", "0-1"},
                                 {"pids-limit", "20"},
                                 {"blkio-weight", "300"}});
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(*r->memory->limit, 64 << 20);
  EXPECT_EQ(*r->memory->swap, 128 << 20);
  EXPECT_EQ(*r->memory->reservation, 32 << 20);
  EXPECT_EQ(*r->cpu->shares, 512u);
  EXPECT_EQ(*r->cpu->quota, -1);
  EXPECT_EQ(*r->cpu->period, 100000u);
  EXPECT_EQ(r->cpu->cpus, "0-1");
  EXPECT_EQ(*r->pids_limit, 20);
  EXPECT_EQ(*r->block_io->weight, 300);
}

// runc 1.1 takes --kernel-memory and --kernel-memory-tcp and ignores them when it applies them.
TEST(UpdateFlags, KernelMemoryIsTakenAndIgnoredWhenApplied) {
  auto r = resources_from_flags({{"kernel-memory", "64m"}, {"kernel-memory-tcp", "32m"}});
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(*r->memory->kernel, 64 << 20);
  EXPECT_EQ(*r->memory->kernel_tcp, 32 << 20);
}

TEST(UpdateFlags, RefusalsUseRuncWording) {
  EXPECT_EQ(resources_from_flags({{"cpu-period", "x"}}).error().message,
            "invalid value for cpu-period: \"x\" is not an unsigned integer");
  EXPECT_EQ(resources_from_flags({{"l3-cache-schema", "L3:0=f"}}).error().message,
            "Intel RDT/CAT: l3 cache schema is not enabled");
  EXPECT_EQ(resources_from_flags({{"mem-bw-schema", "MB:0=70"}}).error().message,
            "Intel RDT/MBA: memory bandwidth schema is not enabled");
}

}  // namespace
}  // namespace burrow::container
