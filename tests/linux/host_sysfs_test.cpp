#include "linux/host_sysfs.hpp"

#include <gtest/gtest.h>

namespace burrow::linux {
namespace {

spec::Spec spec_with(std::vector<std::string> sysfs_destinations, std::vector<std::string> masked) {
  spec::Spec s;
  for (auto& destination : sysfs_destinations) {
    spec::Mount m;
    m.destination = std::move(destination);
    m.type = "sysfs";
    m.source = "sysfs";
    s.mounts.push_back(std::move(m));
  }
  s.linux.emplace();
  s.linux->masked_paths = std::move(masked);
  return s;
}

TEST(HostSysfs, MaskedPathsBelowTheSysfsMountAreStaged) {
  auto inside = masked_paths_in_sysfs(spec_with(
      {"/sys"}, {"/proc/kcore", "/sys/firmware", "/sys/devices/virtual/powercap", "/sys"}));
  EXPECT_EQ(inside, (std::vector<std::string>{"/firmware", "/devices/virtual/powercap"}));
}

TEST(HostSysfs, PathsAreComparedCleaned) {
  auto inside = masked_paths_in_sysfs(
      spec_with({"/sys/"}, {"//sys//firmware/", "/sys/./firmware", "/sysfoo/bar", "/sys/a/../b"}));
  EXPECT_EQ(inside, (std::vector<std::string>{"/firmware", "/b"}));
}

TEST(HostSysfs, EveryPathOnceAcrossSysfsMounts) {
  auto inside = masked_paths_in_sysfs(spec_with(
      {"/sys", "/host/sys"}, {"/sys/firmware", "/host/sys/firmware", "/host/sys/kernel"}));
  EXPECT_EQ(inside, (std::vector<std::string>{"/firmware", "/kernel"}));
}

TEST(HostSysfs, NothingWithoutASysfsMountOrLinuxSection) {
  EXPECT_TRUE(masked_paths_in_sysfs(spec_with({}, {"/sys/firmware"})).empty());
  spec::Spec no_linux = spec_with({"/sys"}, {});
  no_linux.linux.reset();
  EXPECT_TRUE(masked_paths_in_sysfs(no_linux).empty());
}

}  // namespace
}  // namespace burrow::linux
