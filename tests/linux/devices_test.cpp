#include "linux/devices.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>

namespace burrow::linux {
namespace {

TEST(Devices, Defaults) {
  std::vector<DeviceNode> want = {
      {"/dev/null", S_IFCHR, 1, 3, 0666, 0, 0},    {"/dev/zero", S_IFCHR, 1, 5, 0666, 0, 0},
      {"/dev/full", S_IFCHR, 1, 7, 0666, 0, 0},    {"/dev/random", S_IFCHR, 1, 8, 0666, 0, 0},
      {"/dev/urandom", S_IFCHR, 1, 9, 0666, 0, 0}, {"/dev/tty", S_IFCHR, 5, 0, 0666, 0, 0}};
  EXPECT_EQ(default_devices(), want);
}

TEST(Devices, SpecDeviceReplacesDefaultInPlace) {
  std::vector<spec::Device> spec = {{"c", "/dev//zero", 1, 5, 0600, 1000, 1001},
                                    {"u", "/dev/net/tun", 10, 200, std::nullopt, {}, {}},
                                    {"p", "/dev/fifo", 0, 0, 0644, {}, {}}};
  auto plan = plan_devices(spec, true);
  ASSERT_TRUE(plan.ok());
  ASSERT_EQ(plan->size(), 8u);
  EXPECT_EQ((*plan)[1], (DeviceNode{"/dev/zero", S_IFCHR, 1, 5, 0600, 1000, 1001}));
  EXPECT_EQ((*plan)[6], (DeviceNode{"/dev/net/tun", S_IFCHR, 10, 200, 0666, 0, 0}));
  EXPECT_EQ((*plan)[7], (DeviceNode{"/dev/fifo", S_IFIFO, 0, 0, 0644, 0, 0}));
}

TEST(Devices, Errors) {
  auto bad_type = plan_devices({{"x", "/dev/x", 1, 1, {}, {}, {}}}, false);
  ASSERT_FALSE(bad_type.ok());
  EXPECT_EQ(bad_type.error().message, "device /dev/x: unknown type \"x\"");
  auto relative = plan_devices({{"c", "dev/x", 1, 1, {}, {}, {}}}, false);
  ASSERT_FALSE(relative.ok());
  EXPECT_EQ(relative.error().message, "device dev/x: path must be absolute");
}

TEST(Devices, Symlinks) {
  auto links = default_dev_symlinks(false);
  std::vector<DevSymlink> want = {{"/dev/fd", "/proc/self/fd"},
                                  {"/dev/stdin", "/proc/self/fd/0"},
                                  {"/dev/stdout", "/proc/self/fd/1"},
                                  {"/dev/stderr", "/proc/self/fd/2"},
                                  {"/dev/core", "/proc/kcore"}};
  EXPECT_EQ(links, want);
  want.push_back({"/dev/ptmx", "pts/ptmx"});
  EXPECT_EQ(default_dev_symlinks(true), want);
}

}  // namespace
}  // namespace burrow::linux
