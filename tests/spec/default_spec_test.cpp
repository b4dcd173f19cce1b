#include "spec/default_spec.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>

#include "spec/parse.hpp"
#include "spec/validate.hpp"

namespace burrow::spec {
namespace {

using nlohmann::json;

class DefaultConfig : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/burrow-default-XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    bundle_ = tmpl;
    ASSERT_EQ(mkdir((bundle_ + "/rootfs").c_str(), 0755), 0);
  }
  void TearDown() override { std::system(("rm -rf " + bundle_).c_str()); }

  Spec parse_and_validate(const json& document, bool rootless) {
    auto spec = parse_config(document);
    EXPECT_TRUE(spec.ok()) << spec.error().message;
    if (!spec.ok()) return {};
    Status status = validate_config(*spec, ValidationContext{bundle_, rootless});
    EXPECT_TRUE(status.ok()) << status.error().message;
    return std::move(spec).value();
  }

  std::string bundle_;
};

TEST_F(DefaultConfig, RootVariantValidates) {
  json doc = default_config(false, 1000, 1000);
  Spec spec = parse_and_validate(doc, false);
  EXPECT_EQ(spec.oci_version, "1.0.2-dev");
  EXPECT_EQ(spec.hostname, "burrow");
  ASSERT_TRUE(spec.process);
  EXPECT_TRUE(spec.process->terminal);  // runc's default (scripts pass --console-socket)
  EXPECT_EQ(spec.process->args, (std::vector<std::string>{"sh"}));
  EXPECT_EQ(spec.process->cwd, "/");
  EXPECT_TRUE(spec.process->no_new_privileges);
  EXPECT_EQ(spec.process->capabilities->bounding,
            (std::vector<std::string>{"CAP_AUDIT_WRITE", "CAP_KILL", "CAP_NET_BIND_SERVICE"}));
  EXPECT_EQ(spec.process->capabilities->ambient, spec.process->capabilities->bounding);  // runc 1.1
  EXPECT_TRUE(spec.process->capabilities->inheritable.empty());
  ASSERT_EQ(spec.process->rlimits.size(), 1u);
  EXPECT_EQ(spec.process->rlimits[0].type, "RLIMIT_NOFILE");
  EXPECT_EQ(spec.root.path, "rootfs");
  EXPECT_TRUE(spec.root.readonly);
  ASSERT_EQ(spec.mounts.size(), 7u);
  EXPECT_EQ(spec.mounts[2].options.back(), "gid=5");
  EXPECT_EQ(spec.mounts[5].type, "sysfs");
  ASSERT_TRUE(spec.linux);
  EXPECT_EQ(spec.linux->namespaces.size(), 5u);
  EXPECT_NE(spec.find_namespace(NamespaceType::network), nullptr);
  EXPECT_EQ(spec.find_namespace(NamespaceType::user), nullptr);
  ASSERT_TRUE(spec.linux->resources);
  ASSERT_EQ(spec.linux->resources->devices.size(), 1u);
  EXPECT_EQ(spec.linux->resources->devices[0].access, "rwm");
  EXPECT_FALSE(spec.linux->resources->devices[0].allow);
  EXPECT_EQ(spec.linux->masked_paths.size(), 10u);
  EXPECT_EQ(spec.linux->readonly_paths.size(), 5u);
  EXPECT_TRUE(spec.linux->uid_mappings.empty());
  // The mounts keep runc's option order (JSON arrays, not sets).
  EXPECT_EQ(doc["mounts"][1]["options"],
            json({"nosuid", "strictatime", "mode=755", "size=65536k"}));
  EXPECT_FALSE(doc["mounts"][0].contains("options"));
}

TEST_F(DefaultConfig, RootlessVariantValidates) {
  json doc = default_config(true, 1234, 5678);
  Spec spec = parse_and_validate(doc, true);
  ASSERT_TRUE(spec.linux);
  EXPECT_EQ(spec.find_namespace(NamespaceType::network), nullptr);
  ASSERT_NE(spec.find_namespace(NamespaceType::user), nullptr);
  EXPECT_EQ(spec.linux->namespaces.size(), 5u);
  ASSERT_EQ(spec.linux->uid_mappings.size(), 1u);
  EXPECT_EQ(spec.linux->uid_mappings[0].container_id, 0u);
  EXPECT_EQ(spec.linux->uid_mappings[0].host_id, 1234u);
  EXPECT_EQ(spec.linux->uid_mappings[0].size, 1u);
  ASSERT_EQ(spec.linux->gid_mappings.size(), 1u);
  EXPECT_EQ(spec.linux->gid_mappings[0].host_id, 5678u);
  EXPECT_FALSE(spec.linux->resources);
  const Mount& sys = spec.mounts[5];
  EXPECT_EQ(sys.destination, "/sys");
  EXPECT_EQ(sys.type, "none");
  EXPECT_EQ(sys.source, "/sys");
  EXPECT_EQ(sys.options, (std::vector<std::string>{"rbind", "nosuid", "noexec", "nodev", "ro"}));
  EXPECT_EQ(spec.mounts[2].options, (std::vector<std::string>{"nosuid", "noexec", "newinstance",
                                                              "ptmxmode=0666", "mode=0620"}));
}

}  // namespace
}  // namespace burrow::spec
