#include "state/id_pool.hpp"

#include <gtest/gtest.h>
#include <stdlib.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>

namespace burrow::state {
namespace {

class IdPoolTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char dir[] = "/tmp/burrow-id-pool-XXXXXX";
    ASSERT_NE(::mkdtemp(dir), nullptr);
    dir_ = dir;
    registry_ = dir_ + "/registry";
    root_ = dir_ + "/root";
    std::filesystem::create_directories(root_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  // A container directory under the test's state root: its lease is live.
  void make_container(const std::string& id) {
    std::filesystem::create_directories(root_ + "/" + id);
  }

  std::string dir_, registry_, root_;
  IdPool pool_{1879048192, 1879048192, 2 * kIdRangeSize};
};

TEST(IdPool, ParsesStartAndSize) {
  auto pool = parse_id_pool("1879048192:200000");
  ASSERT_TRUE(pool.ok()) << pool.error().message;
  EXPECT_EQ(pool->uid_start, 1879048192u);
  EXPECT_EQ(pool->gid_start, 1879048192u);
  EXPECT_EQ(pool->size, 3 * kIdRangeSize);  // whole ranges only
  EXPECT_EQ(parse_id_pool("12").error().message,
            "--userns-pool 12: want START:SIZE (e.g. 1879048192:268435456)");
  EXPECT_EQ(parse_id_pool("100000:1000").error().message,
            "--userns-pool 100000:1000: fewer than 65536 ids");
  EXPECT_EQ(parse_id_pool("4294901760:65536").error().message,
            "--userns-pool 4294901760:65536: the range ends beyond the last 32-bit id");
}

TEST(IdPool, ReadsTheBurrowEntriesOfSubuidAndSubgid) {
  auto pool = id_pool_from_subordinate("burrow", "alice:100000:65536\nburrow:2000000:655360\n",
                                       "/etc/subuid", "burrow:3000000:131072\n", "/etc/subgid");
  ASSERT_TRUE(pool.ok()) << pool.error().message;
  EXPECT_EQ(pool->uid_start, 2000000u);
  EXPECT_EQ(pool->gid_start, 3000000u);
  EXPECT_EQ(pool->size, 2 * kIdRangeSize);  // the smaller of the two
  auto missing =
      id_pool_from_subordinate("burrow", "alice:100000:65536\n", "/etc/subuid", "", "/etc/subgid");
  EXPECT_EQ(missing.error().message,
            "/etc/subuid: no entry for user burrow (add one, e.g. "
            "\"burrow:1879048192:268435456\", or pass --userns-pool START:SIZE)");
  auto malformed = id_pool_from_subordinate("burrow", "burrow:x:1\n", "/etc/subuid",
                                            "burrow:1:65536\n", "/etc/subgid");
  EXPECT_EQ(malformed.error().message, "/etc/subuid: malformed entry for burrow: \"burrow:x:1\"");
}

TEST_F(IdPoolTest, LeasesDistinctRangesUntilThePoolIsFull) {
  make_container("a");
  make_container("b");
  auto a = acquire_id_range(registry_, pool_, root_, "a");
  auto b = acquire_id_range(registry_, pool_, root_, "b");
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(a->host_uid, 1879048192u);
  EXPECT_EQ(b->host_uid, 1879048192u + kIdRangeSize);
  EXPECT_EQ(b->host_gid, b->host_uid);
  make_container("c");
  auto full = acquire_id_range(registry_, pool_, root_, "c");
  ASSERT_FALSE(full.ok());
  EXPECT_EQ(full.error().code, EAGAIN);
  ASSERT_TRUE(release_id_range(registry_, a->host_uid, root_, "a").ok());
  auto c = acquire_id_range(registry_, pool_, root_, "c");
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->host_uid, a->host_uid);
}

TEST_F(IdPoolTest, ARangeOfAVanishedContainerIsFree) {
  make_container("a");
  auto a = acquire_id_range(registry_, pool_, root_, "a");
  ASSERT_TRUE(a.ok());
  std::filesystem::remove_all(root_ + "/a");  // crashed, its state dir cleaned up
  make_container("b");
  auto b = acquire_id_range(registry_, pool_, root_, "b");
  ASSERT_TRUE(b.ok());
  EXPECT_EQ(b->host_uid, a->host_uid);
}

// Only the container's own lease is released (a late delete of a recycled id leaves the new one).
TEST_F(IdPoolTest, ReleaseLeavesAnotherContainersLease) {
  make_container("a");
  auto a = acquire_id_range(registry_, pool_, root_, "a");
  ASSERT_TRUE(a.ok());
  ASSERT_TRUE(release_id_range(registry_, a->host_uid, root_, "other").ok());
  make_container("b");
  auto b = acquire_id_range(registry_, pool_, root_, "b");
  ASSERT_TRUE(b.ok());
  EXPECT_NE(b->host_uid, a->host_uid);
}

// A lease of another pool definition overlapping a range blocks it.
TEST_F(IdPoolTest, OverlappingLeasesOfAnotherPoolBlockTheRange) {
  make_container("x");
  IdPool shifted{1879048192 + 1000, 1879048192 + 1000, kIdRangeSize};
  ASSERT_TRUE(acquire_id_range(registry_, shifted, root_, "x").ok());
  // It straddles the first two ranges of a pool of three.
  IdPool three{1879048192, 1879048192, 3 * kIdRangeSize};
  make_container("a");
  auto a = acquire_id_range(registry_, three, root_, "a");
  ASSERT_TRUE(a.ok()) << a.error().message;
  EXPECT_EQ(a->host_uid, 1879048192u + 2 * kIdRangeSize);
}

}  // namespace
}  // namespace burrow::state
