#include "container/features.hpp"

#include <gtest/gtest.h>

#include <regex>

#include "spec/known_names.hpp"
#include "spec/parse.hpp"
#include "spec/validate.hpp"

namespace burrow::container {
namespace {

using Json = nlohmann::ordered_json;

Json document() {
  return features_document({{"SECCOMP_FILTER_FLAG_LOG"}, "2.5.4"});
}

std::vector<std::string> strings(const Json& list) {
  return list.get<std::vector<std::string>>();
}

bool contains(const Json& list, const std::string& name) {
  auto names = strings(list);
  return std::find(names.begin(), names.end(), name) != names.end();
}

TEST(Features, TopLevelKeysInRuncsOrder) {
  const Json doc = document();
  std::vector<std::string> keys;
  for (const auto& [key, value] : doc.items()) keys.push_back(key);
  EXPECT_EQ(keys, (std::vector<std::string>{"ociVersionMin", "ociVersionMax", "hooks",
                                            "mountOptions", "linux", "annotations",
                                            "potentiallyUnsafeConfigAnnotations"}));
  EXPECT_EQ(document()["ociVersionMin"], "1.0.0");
  EXPECT_EQ(document()["ociVersionMax"], "1.2.0");
}

TEST(Features, AllSixHooks) {
  EXPECT_EQ(strings(document()["hooks"]),
            (std::vector<std::string>{"prestart", "createRuntime", "createContainer",
                                      "startContainer", "poststart", "poststop"}));
}

TEST(Features, EveryListedHookParsesIntoTheSpec) {
  for (const auto& name : strings(document()["hooks"])) {
    nlohmann::json doc = {{"ociVersion", "1.2.0"}, {"hooks", {{name, {{{"path", "/bin/true"}}}}}}};
    auto spec = spec::parse_config(doc);
    ASSERT_TRUE(spec) << spec.error().message;
    ASSERT_TRUE(spec->hooks) << name;
    const spec::Hooks& h = *spec->hooks;
    size_t total = h.prestart.size() + h.create_runtime.size() + h.create_container.size() +
                   h.start_container.size() + h.poststart.size() + h.poststop.size();
    EXPECT_EQ(total, 1u) << name;
  }
}

TEST(Features, MountOptionsAreSortedRecognizedAndNotRefused) {
  Json options = document()["mountOptions"];
  auto names = strings(options);
  EXPECT_TRUE(std::is_sorted(names.begin(), names.end()));
  for (const auto& name : names) EXPECT_TRUE(spec::is_recognized_mount_option(name)) << name;
  for (const char* name : {"ro", "rbind", "rshared", "rro", "nosymfollow", "idmap", "ridmap"})
    EXPECT_TRUE(contains(options, name)) << name;
  // Refused by create ("not supported yet") or filesystem data: not listed.
  EXPECT_FALSE(contains(options, "tmpcopyup"));
  EXPECT_FALSE(contains(options, "mode=755"));
  EXPECT_FALSE(contains(options, "acl"));
}

TEST(Features, NamespacesIncludeTime) {
  EXPECT_EQ(strings(document()["linux"]["namespaces"]),
            (std::vector<std::string>{"cgroup", "ipc", "mount", "network", "pid", "time", "user",
                                      "uts"}));
}

TEST(Features, CapabilitiesAreTheKernelsFullListInNumberOrder) {
  auto caps = strings(document()["linux"]["capabilities"]);
  ASSERT_EQ(caps.size(), 41u);
  EXPECT_EQ(caps.front(), "CAP_CHOWN");
  EXPECT_EQ(caps.back(), "CAP_CHECKPOINT_RESTORE");
}

TEST(Features, CgroupDriversAreCgroupfsOnly) {
  EXPECT_EQ(document()["linux"]["cgroup"], Json({{"v1", true},
                                                 {"v2", true},
                                                 {"systemd", false},
                                                 {"systemdUser", false},
                                                 {"rdma", false}}));
}

TEST(Features, SeccompListsAndHostFlags) {
  const Json doc = document();
  const Json& seccomp = doc["linux"]["seccomp"];
  std::vector<std::string> keys;
  for (const auto& [key, value] : seccomp.items()) keys.push_back(key);
  EXPECT_EQ(keys, (std::vector<std::string>{"enabled", "actions", "operators", "archs",
                                            "knownFlags", "supportedFlags"}));
  EXPECT_EQ(seccomp["enabled"], spec::is_seccomp_supported());
  EXPECT_TRUE(contains(seccomp["actions"], "SCMP_ACT_NOTIFY"));
  EXPECT_TRUE(contains(seccomp["operators"], "SCMP_CMP_MASKED_EQ"));
  EXPECT_TRUE(contains(seccomp["archs"], "SCMP_ARCH_X86_64"));
  EXPECT_EQ(strings(seccomp["knownFlags"]),
            (std::vector<std::string>{"SECCOMP_FILTER_FLAG_LOG", "SECCOMP_FILTER_FLAG_SPEC_ALLOW",
                                      "SECCOMP_FILTER_FLAG_TSYNC",
                                      "SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV"}));
  // supportedFlags is what the host said, not the known list.
  EXPECT_EQ(strings(seccomp["supportedFlags"]),
            (std::vector<std::string>{"SECCOMP_FILTER_FLAG_LOG"}));
}

TEST(Features, LsmsRdtAndIdmap) {
  const Json doc = document();
  const Json& linux = doc["linux"];
  EXPECT_EQ(linux["apparmor"], Json({{"enabled", true}}));
  EXPECT_EQ(linux["selinux"], Json({{"enabled", true}}));
  EXPECT_EQ(linux["intelRdt"], Json({{"enabled", false}}));
  EXPECT_EQ(linux["mountExtensions"], Json({{"idmap", {{"enabled", true}}}}));
}

TEST(Features, AnnotationsAndUnsafeAnnotations) {
  const Json doc = document();
  EXPECT_EQ(doc["annotations"]["io.github.seccomp.libseccomp.version"], "2.5.4");
  EXPECT_TRUE(std::regex_match(doc["annotations"]["run.burrow.version"].get<std::string>(),
                               std::regex(R"([0-9]+\.[0-9]+\.[0-9]+)")));
  EXPECT_EQ(strings(doc["potentiallyUnsafeConfigAnnotations"]),
            (std::vector<std::string>{"run.burrow."}));
}

TEST(Features, ProbedHostHasTheLinkedLibseccomp) {
  HostFeatures host = probe_host_features();
  EXPECT_FALSE(host.libseccomp_version.empty());
  EXPECT_FALSE(host.seccomp_supported_flags.empty());
}

}  // namespace
}  // namespace burrow::container
