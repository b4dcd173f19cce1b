// Capability sets as the probe reads them from /proc/self/status. The kernel's execve rules
// decide what the workload ends up with: for uid 0 the permitted and effective sets become
// bounding | inheritable; for other uids they become the ambient set.
#include <linux/capability.h>

#include <cstdio>

#include "harness/container_test.hpp"

namespace integration {
namespace {

using nlohmann::json;
using CapabilitiesTest = ContainerTest;

// The hex mask /proc/self/status shows for these capability numbers.
std::string mask_of(std::initializer_list<int> caps) {
  unsigned long long mask = 0;
  for (int cap : caps) mask |= 1ULL << cap;
  char text[17];
  std::snprintf(text, sizeof text, "%016llx", mask);
  return text;
}

void set_caps(json& config, const char* set, std::initializer_list<const char*> names) {
  config["process"]["capabilities"][set] = json::array();
  for (const char* name : names) config["process"]["capabilities"][set].push_back(name);
}

TEST_F(CapabilitiesTest, DefaultSetsOfRoot) {
  json report = probe_report();
  ASSERT_TRUE(report.is_object());
  const std::string defaults = mask_of({CAP_AUDIT_WRITE, CAP_KILL, CAP_NET_BIND_SERVICE});
  json caps = report["capabilities"];
  EXPECT_EQ(caps["CapBnd"], defaults);
  EXPECT_EQ(caps["CapPrm"], defaults);
  EXPECT_EQ(caps["CapEff"], defaults);
  // execve clears the ambient set of a privileged (uid 0) program.
  EXPECT_EQ(caps["CapAmb"], mask_of({}));
  EXPECT_EQ(caps["CapInh"], mask_of({})) << "inheritable stays empty unless asked for";
}

TEST_F(CapabilitiesTest, Bounding) {
  json report = probe_report([](json& c) {
    set_caps(c, "bounding", {"CAP_CHOWN", "CAP_SETUID", "CAP_KILL"});
    set_caps(c, "permitted", {"CAP_CHOWN"});
    set_caps(c, "effective", {"CAP_CHOWN"});
    set_caps(c, "ambient", {});
  });
  ASSERT_TRUE(report.is_object());
  EXPECT_EQ(report["capabilities"]["CapBnd"], mask_of({CAP_CHOWN, CAP_SETUID, CAP_KILL}));
}

TEST_F(CapabilitiesTest, PermittedAndEffectiveOfRootFollowBounding) {
  json report = probe_report([](json& c) {
    set_caps(c, "bounding", {"CAP_CHOWN", "CAP_KILL"});
    set_caps(c, "permitted", {"CAP_CHOWN", "CAP_KILL"});
    set_caps(c, "effective", {"CAP_CHOWN"});
    set_caps(c, "ambient", {});
  });
  ASSERT_TRUE(report.is_object());
  EXPECT_EQ(report["capabilities"]["CapPrm"], mask_of({CAP_CHOWN, CAP_KILL}));
  EXPECT_EQ(report["capabilities"]["CapEff"], mask_of({CAP_CHOWN, CAP_KILL}));
}

TEST_F(CapabilitiesTest, Inheritable) {
  json report = probe_report([](json& c) {
    set_caps(c, "inheritable", {"CAP_KILL", "CAP_NET_BIND_SERVICE"});
  });
  ASSERT_TRUE(report.is_object());
  EXPECT_EQ(report["capabilities"]["CapInh"], mask_of({CAP_KILL, CAP_NET_BIND_SERVICE}));
}

TEST_F(CapabilitiesTest, AmbientOfNonRootBecomesPermittedAndEffective) {
  json report = probe_report([](json& c) {
    c["process"]["user"] = {{"uid", 1000}, {"gid", 1000}};
    set_caps(c, "bounding", {"CAP_KILL", "CAP_NET_BIND_SERVICE", "CAP_CHOWN"});
    set_caps(c, "permitted", {"CAP_KILL", "CAP_NET_BIND_SERVICE", "CAP_CHOWN"});
    set_caps(c, "effective", {"CAP_KILL", "CAP_NET_BIND_SERVICE", "CAP_CHOWN"});
    set_caps(c, "inheritable", {"CAP_KILL", "CAP_NET_BIND_SERVICE"});
    set_caps(c, "ambient", {"CAP_NET_BIND_SERVICE"});
  });
  ASSERT_TRUE(report.is_object());
  json caps = report["capabilities"];
  EXPECT_EQ(caps["CapAmb"], mask_of({CAP_NET_BIND_SERVICE}));
  EXPECT_EQ(caps["CapPrm"], mask_of({CAP_NET_BIND_SERVICE}));
  EXPECT_EQ(caps["CapEff"], mask_of({CAP_NET_BIND_SERVICE}));
  EXPECT_EQ(caps["CapInh"], mask_of({CAP_KILL, CAP_NET_BIND_SERVICE}));
  EXPECT_EQ(caps["CapBnd"], mask_of({CAP_KILL, CAP_NET_BIND_SERVICE, CAP_CHOWN}));
}

TEST_F(CapabilitiesTest, NonRootWithoutAmbientHasNone) {
  json report = probe_report([](json& c) {
    c["process"]["user"] = {{"uid", 1000}, {"gid", 1000}};
    set_caps(c, "ambient", {});
  });
  ASSERT_TRUE(report.is_object());
  EXPECT_EQ(report["capabilities"]["CapPrm"], mask_of({}));
  EXPECT_EQ(report["capabilities"]["CapEff"], mask_of({}));
}

TEST_F(CapabilitiesTest, NoCapabilitiesObjectMeansNone) {
  json report = probe_report([](json& c) { c["process"].erase("capabilities"); });
  ASSERT_TRUE(report.is_object());
  EXPECT_EQ(report["capabilities"]["CapBnd"], mask_of({}));
  EXPECT_EQ(report["capabilities"]["CapEff"], mask_of({}));
}

}  // namespace
}  // namespace integration
