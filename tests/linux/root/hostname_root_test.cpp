// set_hostname / set_domainname in a forked child with its own UTS namespace.
#include <gtest/gtest.h>
#include <sched.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "../process_attrs_child.hpp"
#include "linux/hostname.hpp"

namespace burrow::linux {
namespace {

TEST(HostnameRoot, SetsBothNamesInANewUtsNamespace) {
  if (::geteuid() != 0) GTEST_SKIP() << "needs root (unshare CLONE_NEWUTS)";
  auto result = test::run_in_child([]() -> std::string {
    if (::unshare(CLONE_NEWUTS) < 0) return "unshare failed";
    if (auto st = set_hostname("burrow-test"); !st) return st.error().message;
    if (auto st = set_domainname("burrow.example"); !st) return st.error().message;
    struct utsname names {};
    ::uname(&names);
    return std::string(names.nodename) + " " + names.domainname;
  });
  ASSERT_TRUE(result.exited_cleanly()) << result.report;
  EXPECT_EQ(result.report, "burrow-test burrow.example");
}

TEST(HostnameRoot, TooLongNameIsRefused) {
  if (::geteuid() != 0) GTEST_SKIP() << "needs root (unshare CLONE_NEWUTS)";
  auto result = test::run_in_child([]() -> std::string {
    if (::unshare(CLONE_NEWUTS) < 0) return "unshare failed";
    auto st = set_hostname(std::string(65, 'h'));
    return st ? "accepted"
              : st.error().message.substr(0, 12) + "... " +
                    st.error().message.substr(st.error().message.rfind(':'));
  });
  ASSERT_TRUE(result.exited_cleanly()) << result.report;
  EXPECT_EQ(result.report, "sethostname ... : Invalid argument");
}

}  // namespace
}  // namespace burrow::linux
