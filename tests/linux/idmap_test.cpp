// Which writer a new user namespace's maps take (directly, or newuidmap/newgidmap), and the
// argv given to the setuid helpers.
#include "linux/idmap.hpp"

#include <gtest/gtest.h>

namespace burrow::linux {
namespace {

using spec::IdMapping;

std::vector<IdMapping> maps(std::initializer_list<IdMapping> list) {
  return std::vector<IdMapping>(list);
}

TEST(IdMapWriter, RootWritesEverythingDirectly) {
  auto many = maps({{0, 100000, 65536}, {65536, 300000, 10}});
  EXPECT_EQ(choose_id_map_writer(false, many, many, 0, 0), IdMapWriter::direct);
  EXPECT_EQ(choose_id_map_writer(false, maps({{0, 0, 1}}), maps({{0, 0, 1}}), 0, 0),
            IdMapWriter::direct);
}

TEST(IdMapWriter, RootlessSelfMappingIsWrittenDirectlyDenyingSetgroups) {
  // containerID 0 -> the caller (what `spec --rootless` writes), and any other containerID.
  EXPECT_EQ(choose_id_map_writer(true, maps({{0, 1000, 1}}), maps({{0, 1001, 1}}), 1000, 1001),
            IdMapWriter::direct_deny_setgroups);
  EXPECT_EQ(choose_id_map_writer(true, maps({{5, 1000, 1}}), maps({{5, 1001, 1}}), 1000, 1001),
            IdMapWriter::direct_deny_setgroups);
}

TEST(IdMapWriter, RootlessAnythingElseGoesThroughNewidmap) {
  auto self_uid = maps({{0, 1000, 1}});
  auto self_gid = maps({{0, 1001, 1}});
  auto ranges = maps({{0, 1000, 1}, {1, 200000, 65536}});
  EXPECT_EQ(choose_id_map_writer(true, ranges, self_gid, 1000, 1001), IdMapWriter::newidmap);
  EXPECT_EQ(choose_id_map_writer(true, self_uid, ranges, 1000, 1001), IdMapWriter::newidmap);
  // One mapping, but not of our own id, or wider than one id.
  EXPECT_EQ(choose_id_map_writer(true, maps({{0, 200000, 1}}), self_gid, 1000, 1001),
            IdMapWriter::newidmap);
  EXPECT_EQ(choose_id_map_writer(true, maps({{0, 1000, 2}}), self_gid, 1000, 1001),
            IdMapWriter::newidmap);
  EXPECT_EQ(choose_id_map_writer(true, self_uid, maps({{0, 1000, 1}}), 1000, 1001),
            IdMapWriter::newidmap);
}

TEST(NewIdMapArgv, PidThenTriples) {
  EXPECT_EQ(
      newidmap_argv("newuidmap", 42, maps({{0, 1000, 1}, {1, 200000, 65536}})),
      (std::vector<std::string>{"newuidmap", "42", "0", "1000", "1", "1", "200000", "65536"}));
}

TEST(NewIdMap, FailureNamesTheCommandAndItsOutput) {
  // pid 0 is no process: whichever way newuidmap fails (absent, or refusing), the error names it.
  Status failed = write_id_maps_with(IdMapWriter::newidmap, 0, maps({{0, 1000, 1}}), {});
  ASSERT_FALSE(failed);
  EXPECT_NE(failed.error().message.find("write uid mappings: newuidmap"), std::string::npos)
      << failed.error().message;
}

}  // namespace
}  // namespace burrow::linux
