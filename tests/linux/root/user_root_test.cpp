// switch_user in a forked child (as root): ids, groups, kept capabilities and error texts.
#include <grp.h>
#include <gtest/gtest.h>
#include <sys/prctl.h>
#include <unistd.h>

#include "../process_attrs_child.hpp"
#include "linux/capabilities.hpp"
#include "linux/user.hpp"

namespace burrow::linux {
namespace {

class UserRoot : public ::testing::Test {
 protected:
  void SetUp() override {
    if (::geteuid() != 0) GTEST_SKIP() << "needs root (changes uid/gid/groups)";
  }
};

spec::User make_user(uint32_t uid, uint32_t gid, std::vector<uint32_t> groups) {
  spec::User user;
  user.uid = uid;
  user.gid = gid;
  user.additional_gids = std::move(groups);
  return user;
}

TEST_F(UserRoot, SwitchKeepsPermittedCapsAndSetsExactGroups) {
  auto result = test::run_in_child([]() -> std::string {
    if (auto st = switch_user(make_user(1000, 1000, {}), true); !st) return st.error().message;
    // Permitted survives (KEEPCAPS); effective is cleared by the kernel on leaving uid 0.
    return "Uid=" + test::status_field("Uid") + "\nGid=" + test::status_field("Gid") +
           "\nGroups=" + test::status_field("Groups") +
           "\nprm_kept=" + std::to_string(test::status_mask("CapPrm") != 0) +
           "\nCapEff=" + test::status_field("CapEff") +
           "\nkeepcaps=" + std::to_string(::prctl(PR_GET_KEEPCAPS, 0, 0, 0, 0)) + "\n";
  });
  ASSERT_TRUE(result.exited_cleanly()) << result.report;
  EXPECT_EQ(result.report,
            "Uid=1000\t1000\t1000\t1000\nGid=1000\t1000\t1000\t1000\nGroups=\nprm_kept=1\n"
            "CapEff=0000000000000000\nkeepcaps=0\n");
}

TEST_F(UserRoot, SetgroupsDeniedLeavesGroupsAlone) {
  auto result = test::run_in_child([]() -> std::string {
    gid_t before[] = {4000, 4001};
    if (::setgroups(2, before) < 0) return "setgroups failed";
    if (auto st = switch_user(make_user(1000, 1000, {}), false); !st) return st.error().message;
    return test::status_field("Groups");
  });
  ASSERT_TRUE(result.exited_cleanly()) << result.report;
  EXPECT_EQ(result.report, "4000 4001");
}

TEST_F(UserRoot, AdditionalGroupsNeedSetgroups) {
  auto result = test::run_in_child([]() -> std::string {
    auto st = switch_user(make_user(1000, 1000, {10, 20}), false);
    if (st) return "switched";
    return st.error().message + " | errno " + std::to_string(st.error().code) +
           " | keepcaps=" + std::to_string(::prctl(PR_GET_KEEPCAPS, 0, 0, 0, 0));
  });
  ASSERT_TRUE(result.exited_cleanly()) << result.report;
  EXPECT_EQ(result.report,
            "cannot set additional groups 10,20: setgroups is denied in this user namespace | "
            "errno 1 | keepcaps=0");
}

TEST_F(UserRoot, ErrorsNameTheFailingCall) {
  auto result = test::run_in_child([]() -> std::string {
    if (auto st = switch_user(make_user(1000, 1000, {}), true); !st) return st.error().message;
    if (auto st = apply_capabilities(CapabilitySet{}); !st) return st.error().message;
    std::string out;
    auto st = switch_user(make_user(1000, 1000, {5}), true);
    out += (st ? "ok" : st.error().message) + "\n";
    st = switch_user(make_user(1000, 0, {}), false);
    out += (st ? "ok" : st.error().message) + "\n";
    st = switch_user(make_user(0, 1000, {}), false);
    out += (st ? "ok" : st.error().message) + "\n";
    return out;
  });
  ASSERT_TRUE(result.exited_cleanly()) << result.report;
  EXPECT_EQ(result.report,
            "setgroups [5]: Operation not permitted\n"
            "setresgid 0: Operation not permitted\n"
            "setresuid 0: Operation not permitted\n");
}

}  // namespace
}  // namespace burrow::linux
