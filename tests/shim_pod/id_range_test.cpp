#include "pod/id_range.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

namespace burrow::shim::pod {
namespace {

class IdRangeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char pattern[] = "/tmp/burrow-idrange.XXXXXX";
    ASSERT_NE(::mkdtemp(pattern), nullptr);
    dir_ = pattern;
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::string write(const std::string& name, const std::string& text) {
    std::ofstream(dir_ + "/" + name) << text;
    return dir_ + "/" + name;
  }
  std::string dir_;
};

TEST_F(IdRangeTest, ConcurrentJobsGetDistinctSlotsAndAFreedSlotComesBack) {
  auto first = IdSlot::acquire(dir_ + "/locks");
  ASSERT_TRUE(first) << first.error().message;
  auto second = IdSlot::acquire(dir_ + "/locks");
  ASSERT_TRUE(second) << second.error().message;
  EXPECT_EQ(first->range().host_uid, kSlotBase);
  EXPECT_EQ(second->range().host_uid, kSlotBase + kSlotSize);
  EXPECT_EQ(second->range().size, kSlotSize);
  { IdSlot released = std::move(first).value(); }
  auto third = IdSlot::acquire(dir_ + "/locks");
  ASSERT_TRUE(third);
  EXPECT_EQ(third->index(), 0u);
}

TEST_F(IdRangeTest, SubordinateRangeOfAUserByNameOrUid) {
  std::string subuid = write("subuid", "other:100000:65536\nci:200000:1000\nci:300000:65536\n");
  std::string subgid = write("subgid", "1001:400000:65536\n");
  auto range = subordinate_range("ci", 1001, subuid, subgid, 65536);
  ASSERT_TRUE(range) << range.error().message;
  EXPECT_EQ(range->host_uid, 300000u);  // the first range large enough
  EXPECT_EQ(range->host_gid, 400000u);  // found by uid
  auto missing = subordinate_range("nobody", 65534, subuid, subgid, 65536);
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().message,
            subuid + ": no range of 65536 ids for nobody (add one, e.g. 'nobody:100000:65536')");
}

}  // namespace
}  // namespace burrow::shim::pod
