// Applies capability sets in a forked child (as root) and checks what /proc/self/status shows.
#include <gtest/gtest.h>
#include <sys/prctl.h>
#include <unistd.h>

#include "../process_attrs_child.hpp"
#include "linux/capabilities.hpp"
#include "linux/user.hpp"

namespace burrow::linux {
namespace {

constexpr uint64_t bit(int cap) {
  return uint64_t{1} << cap;
}

std::string report_of(std::initializer_list<const char*> fields) {
  std::string out;
  for (const char* field : fields)
    out += std::string(field) + "=" + test::status_field(field) + "\n";
  return out;
}

std::string cap_report() {
  return report_of({"CapInh", "CapPrm", "CapEff", "CapBnd", "CapAmb"});
}

class CapabilitiesRoot : public ::testing::Test {
 protected:
  void SetUp() override {
    if (::geteuid() != 0) GTEST_SKIP() << "needs root (drops and sets capabilities)";
  }
};

TEST_F(CapabilitiesRoot, RuncOrderWithUserSwitch) {
  spec::Capabilities caps;
  caps.bounding = {"CAP_CHOWN", "CAP_KILL", "CAP_NET_BIND_SERVICE", "CAP_NET_RAW"};
  caps.effective = {"CAP_CHOWN", "CAP_NET_BIND_SERVICE", "CAP_NET_RAW"};
  caps.permitted = caps.effective;
  caps.inheritable = {"CAP_NET_RAW"};
  caps.ambient = {"CAP_NET_RAW"};
  auto result = test::run_in_child([&]() -> std::string {
    auto set = parse_capabilities(caps);
    if (!set) return set.error().message;
    if (auto st = drop_bounding_set(*set); !st) return st.error().message;
    spec::User user;
    user.uid = 1000;
    user.gid = 1001;
    user.additional_gids = {2000, 3000};
    if (auto st = switch_user(user, true); !st) return st.error().message;
    if (::prctl(PR_GET_KEEPCAPS, 0, 0, 0, 0) != 0) return "keepcaps left on";
    if (auto st = apply_capabilities(*set); !st) return st.error().message;
    return report_of({"Uid", "Gid", "Groups"}) + cap_report();
  });
  ASSERT_TRUE(result.exited_cleanly()) << result.report;
  EXPECT_EQ(result.report,
            "Uid=1000\t1000\t1000\t1000\n"
            "Gid=1001\t1001\t1001\t1001\n"
            "Groups=2000 3000\n"
            "CapInh=0000000000002000\n"
            "CapPrm=0000000000002401\n"
            "CapEff=0000000000002401\n"
            "CapBnd=0000000000002421\n"
            "CapAmb=0000000000002000\n");
}

TEST_F(CapabilitiesRoot, EmptySetsLeaveNothing) {
  auto result = test::run_in_child([]() -> std::string {
    CapabilitySet none;
    if (auto st = drop_bounding_set(none); !st) return st.error().message;
    if (auto st = apply_capabilities(none); !st) return st.error().message;
    return cap_report();
  });
  ASSERT_TRUE(result.exited_cleanly()) << result.report;
  EXPECT_EQ(result.report,
            "CapInh=0000000000000000\nCapPrm=0000000000000000\nCapEff=0000000000000000\n"
            "CapBnd=0000000000000000\nCapAmb=0000000000000000\n");
}

TEST_F(CapabilitiesRoot, CannotRegainAPermittedCapability) {
  auto result = test::run_in_child([]() -> std::string {
    CapabilitySet small;
    small.effective = small.permitted = bit(0);  // CAP_CHOWN
    if (auto st = apply_capabilities(small); !st) return st.error().message;
    CapabilitySet more = small;
    more.effective = more.permitted = bit(0) | bit(5);  // + CAP_KILL
    auto st = apply_capabilities(more);
    return st ? "regained CAP_KILL" : st.error().message;
  });
  ASSERT_TRUE(result.exited_cleanly()) << result.report;
  EXPECT_EQ(result.report, "capset: Operation not permitted");
}

TEST_F(CapabilitiesRoot, BoundingDropNeedsSetpcap) {
  auto result = test::run_in_child([]() -> std::string {
    CapabilitySet no_setpcap;
    no_setpcap.permitted = test::status_mask("CapPrm") & ~bit(8);  // CAP_SETPCAP
    no_setpcap.effective = no_setpcap.permitted;
    if (auto st = apply_capabilities(no_setpcap); !st) return st.error().message;
    auto st = drop_bounding_set(CapabilitySet{});
    return st ? "dropped without CAP_SETPCAP" : st.error().message;
  });
  ASSERT_TRUE(result.exited_cleanly()) << result.report;
  EXPECT_EQ(result.report, "drop CAP_CHOWN from the bounding set: Operation not permitted");
}

TEST_F(CapabilitiesRoot, AmbientNeedsInheritable) {
  auto result = test::run_in_child([]() -> std::string {
    CapabilitySet set;
    set.effective = set.permitted = bit(13);  // CAP_NET_RAW, but not inheritable
    set.ambient = bit(13);
    auto st = apply_capabilities(set);
    if (!st) return st.error().message;
    return "applied, missing " + std::to_string(missing_ambient_capabilities(set));
  });
  ASSERT_TRUE(result.exited_cleanly()) << result.report;
  // runc lets this pass; the init reports the missing capability as a warning.
  EXPECT_EQ(result.report, "applied, missing " + std::to_string(bit(13)));
}

}  // namespace
}  // namespace burrow::linux
