// apply_rlimits in a forked child. Without CAP_SYS_RESOURCE (these machines' bounding set lacks
// it; the child drops it to be sure) a hard limit can be lowered but never raised.
#include <gtest/gtest.h>
#include <sys/resource.h>
#include <unistd.h>

#include "../process_attrs_child.hpp"
#include "linux/capabilities.hpp"
#include "linux/rlimits.hpp"

namespace burrow::linux {
namespace {

constexpr uint64_t kSysResource = uint64_t{1} << 24;

spec::Rlimit limit(const std::string& type, uint64_t soft, uint64_t hard, int resource = -1) {
  spec::Rlimit out;
  out.type = type;
  out.resource = resource;
  out.soft = soft;
  out.hard = hard;
  return out;
}

std::string current(int resource) {
  struct rlimit rl {};
  ::getrlimit(resource, &rl);
  return std::to_string(rl.rlim_cur) + "/" + std::to_string(rl.rlim_max);
}

// Leaves the child without CAP_SYS_RESOURCE whatever the runner had.
std::string drop_sys_resource() {
  CapabilitySet set;
  set.permitted = test::status_mask("CapPrm") & ~kSysResource;
  set.effective = test::status_mask("CapEff") & ~kSysResource;
  set.inheritable = test::status_mask("CapInh") & ~kSysResource;
  auto st = apply_capabilities(set);
  return st ? "" : st.error().message;
}

TEST(RlimitsRoot, AppliesInOrder) {
  auto result = test::run_in_child([]() -> std::string {
    if (auto err = drop_sys_resource(); !err.empty()) return err;
    auto st =
        apply_rlimits({limit("RLIMIT_NOFILE", 1024, 4096), limit("RLIMIT_CORE", 0, 0, RLIMIT_CORE),
                       limit("RLIMIT_NPROC", 100, 200)});
    if (!st) return st.error().message;
    return current(RLIMIT_NOFILE) + " " + current(RLIMIT_CORE) + " " + current(RLIMIT_NPROC);
  });
  ASSERT_TRUE(result.exited_cleanly()) << result.report;
  EXPECT_EQ(result.report, "1024/4096 0/0 100/200");
}

TEST(RlimitsRoot, RaisingTheHardLimitNeedsSysResource) {
  auto result = test::run_in_child([]() -> std::string {
    if (auto err = drop_sys_resource(); !err.empty()) return err;
    if (auto st = apply_rlimits({limit("RLIMIT_NOFILE", 1024, 1024)}); !st)
      return st.error().message;
    auto st = apply_rlimits({limit("RLIMIT_NOFILE", 1024, 2048)});
    return st ? "raised to " + current(RLIMIT_NOFILE)
              : st.error().message + " | " + current(RLIMIT_NOFILE);
  });
  ASSERT_TRUE(result.exited_cleanly()) << result.report;
  EXPECT_EQ(result.report,
            "setrlimit RLIMIT_NOFILE (soft 1024, hard 2048): Operation not permitted | "
            "1024/1024");
}

TEST(RlimitsRoot, SoftAboveHardIsInvalid) {
  auto result = test::run_in_child([]() -> std::string {
    auto st = apply_rlimits({limit("RLIMIT_NOFILE", 512, 256)});
    return st ? "accepted" : st.error().message;
  });
  ASSERT_TRUE(result.exited_cleanly()) << result.report;
  EXPECT_EQ(result.report, "setrlimit RLIMIT_NOFILE (soft 512, hard 256): Invalid argument");
}

TEST(RlimitsRoot, UnlimitedIsSpelledOut) {
  auto result = test::run_in_child([]() -> std::string {
    if (auto err = drop_sys_resource(); !err.empty()) return err;
    if (auto st = apply_rlimits({limit("RLIMIT_STACK", 8388608, 8388608)}); !st)
      return st.error().message;
    auto st = apply_rlimits({limit("RLIMIT_STACK", RLIM_INFINITY, RLIM_INFINITY)});
    return st ? "accepted" : st.error().message;
  });
  ASSERT_TRUE(result.exited_cleanly()) << result.report;
  EXPECT_EQ(result.report,
            "setrlimit RLIMIT_STACK (soft unlimited, hard unlimited): Operation not permitted");
}

}  // namespace
}  // namespace burrow::linux
