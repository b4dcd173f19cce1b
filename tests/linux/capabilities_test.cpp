#include "linux/capabilities.hpp"

#include <gtest/gtest.h>
#include <linux/capability.h>
#include <sys/prctl.h>

#include <fstream>

namespace burrow::linux {
namespace {

uint64_t bits(std::initializer_list<int> caps) {
  uint64_t mask = 0;
  for (int cap : caps) mask |= uint64_t{1} << cap;
  return mask;
}

TEST(Capabilities, NamesOfNumbers) {
  EXPECT_EQ(capability_name(0), "CAP_CHOWN");
  EXPECT_EQ(capability_name(21), "CAP_SYS_ADMIN");
  EXPECT_EQ(capability_name(24), "CAP_SYS_RESOURCE");
  EXPECT_EQ(capability_name(37), "CAP_AUDIT_READ");
  EXPECT_EQ(capability_name(40), "CAP_CHECKPOINT_RESTORE");
  EXPECT_EQ(capability_name(41), "41");
  EXPECT_EQ(capability_name(-1), "-1");
}

TEST(Capabilities, NumbersOfNames) {
  EXPECT_EQ(capability_from_name("CAP_CHOWN"), 0);
  EXPECT_EQ(capability_from_name("CAP_NET_RAW"), 13);
  EXPECT_EQ(capability_from_name("CAP_BPF"), 39);
  EXPECT_EQ(capability_from_name("CAP_FOO"), std::nullopt);
  EXPECT_EQ(capability_from_name("cap_chown"), std::nullopt);
  EXPECT_EQ(capability_from_name("CHOWN"), std::nullopt);
  for (int cap = 0; cap <= kLastKnownCapability; ++cap)
    EXPECT_EQ(capability_from_name(capability_name(cap)), cap) << cap;
}

TEST(Capabilities, NamesOfMask) {
  EXPECT_EQ(capability_names(0), std::vector<std::string>{});
  EXPECT_EQ(capability_names(bits({0, 21, 40})),
            (std::vector<std::string>{"CAP_CHOWN", "CAP_SYS_ADMIN", "CAP_CHECKPOINT_RESTORE"}));
  EXPECT_EQ(capability_names(bits({63})), std::vector<std::string>{"63"});
}

TEST(Capabilities, ParsesEachList) {
  spec::Capabilities caps;
  caps.bounding = {"CAP_CHOWN", "CAP_KILL", "CAP_NET_RAW"};
  caps.effective = {"CAP_KILL"};
  caps.permitted = {"CAP_KILL", "CAP_NET_RAW"};
  caps.inheritable = {"CAP_NET_RAW"};
  caps.ambient = {"CAP_NET_RAW", "CAP_NET_RAW"};
  auto set = parse_capabilities(caps, 40);
  ASSERT_TRUE(set) << set.error().message;
  EXPECT_EQ(set->bounding, bits({0, 5, 13}));
  EXPECT_EQ(set->effective, bits({5}));
  EXPECT_EQ(set->permitted, bits({5, 13}));
  EXPECT_EQ(set->inheritable, bits({13}));
  EXPECT_EQ(set->ambient, bits({13}));
}

TEST(Capabilities, EmptyListsStayEmpty) {
  auto set = parse_capabilities(spec::Capabilities{}, 40);
  ASSERT_TRUE(set) << set.error().message;
  EXPECT_EQ(*set, CapabilitySet{});
}

TEST(Capabilities, UnknownNameIsAnError) {
  spec::Capabilities caps;
  caps.effective = {"CAP_CHOWN", "CAP_FOO"};
  auto set = parse_capabilities(caps, 40);
  ASSERT_FALSE(set);
  EXPECT_EQ(set.error().message, "unknown capability \"CAP_FOO\"");
  EXPECT_EQ(set.error().code, EINVAL);

  caps.effective = {"cap_chown"};
  set = parse_capabilities(caps, 40);
  ASSERT_FALSE(set);
  EXPECT_EQ(set.error().message, "unknown capability \"cap_chown\"");
}

TEST(Capabilities, NamesAboveTheKernelsLastCapAreIgnored) {
  spec::Capabilities caps;
  caps.bounding = {"CAP_CHOWN", "CAP_PERFMON", "CAP_BPF", "CAP_AUDIT_READ"};
  auto set = parse_capabilities(caps, 37);  // a 5.x kernel before CAP_PERFMON
  ASSERT_TRUE(set) << set.error().message;
  EXPECT_EQ(set->bounding, bits({0, 37}));
}

TEST(Capabilities, KernelLastCapMatchesProc) {
  std::ifstream in("/proc/sys/kernel/cap_last_cap");
  int expected = -1;
  in >> expected;
  auto last = kernel_last_capability();
  ASSERT_TRUE(last) << last.error().message;
  EXPECT_EQ(*last, expected);

  spec::Capabilities caps;
  caps.permitted = {"CAP_CHOWN"};
  auto set = parse_capabilities(caps);
  ASSERT_TRUE(set) << set.error().message;
  EXPECT_EQ(set->permitted, bits({0}));
}

}  // namespace
}  // namespace burrow::linux

namespace burrow::linux {
namespace {

TEST(BoundingSetCheck, RefusesWhatTheRuntimeDoesNotHoldAndNamesIt) {
  CapabilitySet set;
  set.bounding = set.permitted = (uint64_t{1} << CAP_SYS_RESOURCE) | (uint64_t{1} << CAP_CHOWN);
  uint64_t held = ~(uint64_t{1} << CAP_SYS_RESOURCE);
  auto refused = check_within_bounding_set(set, held);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().message,
            "process.capabilities: CAP_SYS_RESOURCE not in the runtime's bounding set: without a "
            "user namespace of its own the container cannot gain it");
  EXPECT_TRUE(check_within_bounding_set(set, ~uint64_t{0}).ok());
  EXPECT_TRUE(check_within_bounding_set(CapabilitySet{}, 0).ok());
}

TEST(BoundingSetCheck, CurrentBoundingSetHasWhatPrctlSays) {
  auto held = current_bounding_set();
  ASSERT_TRUE(held.ok());
  EXPECT_EQ((*held >> CAP_CHOWN) & 1, static_cast<uint64_t>(::prctl(PR_CAPBSET_READ, CAP_CHOWN)));
}

}  // namespace
}  // namespace burrow::linux
