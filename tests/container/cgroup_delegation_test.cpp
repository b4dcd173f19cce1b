#include "container/cgroup_delegation.hpp"

#include <gtest/gtest.h>

namespace burrow::container {
namespace {

using spec::NamespaceType;

spec::Spec delegating(std::vector<spec::Namespace> namespaces, const std::string& value = "true") {
  spec::Spec s;
  s.linux.emplace();
  s.linux->namespaces = std::move(namespaces);
  s.annotations["run.burrow.cgroup.delegate"] = value;
  return s;
}

bool has_new_cgroup_namespace(const spec::Spec& s) {
  const spec::Namespace* ns = s.find_namespace(NamespaceType::cgroup);
  return ns != nullptr && ns->path.empty();
}

TEST(CgroupDelegation, AddsACgroupNamespace) {
  spec::Spec s = delegating({{NamespaceType::mount, ""}, {NamespaceType::user, ""}});
  EXPECT_TRUE(*plan_cgroup_delegation(s, false));
  EXPECT_TRUE(has_new_cgroup_namespace(s));
  EXPECT_EQ(s.linux->namespaces.size(), 3u);
  // Already there: kept as it is.
  EXPECT_TRUE(*plan_cgroup_delegation(s, false));
  EXPECT_EQ(s.linux->namespaces.size(), 3u);
}

// Container root without a user namespace is host root: it could raise its own limits.
TEST(CgroupDelegation, RefusedWithoutAUserNamespace) {
  spec::Spec s = delegating({{NamespaceType::mount, ""}});
  auto r = plan_cgroup_delegation(s, false);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message,
            "annotation run.burrow.cgroup.delegate=true: needs a user namespace (linux.namespaces "
            "has none): without one the container's root is the host's root and could raise its "
            "own limits");
  // A joined one counts.
  spec::Spec joined = delegating({{NamespaceType::user, "/proc/1/ns/user"}});
  EXPECT_TRUE(*plan_cgroup_delegation(joined, false));
}

TEST(CgroupDelegation, OffChangesNothing) {
  spec::Spec s = delegating({{NamespaceType::mount, ""}}, "false");
  EXPECT_FALSE(*plan_cgroup_delegation(s, false));
  EXPECT_FALSE(has_new_cgroup_namespace(s));
}

TEST(CgroupDelegation, RefusedRootlessOrWithAJoinedCgroupNamespace) {
  spec::Spec rootless = delegating({{NamespaceType::mount, ""}});
  auto r = plan_cgroup_delegation(rootless, true);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message,
            "annotation run.burrow.cgroup.delegate=true: a rootless container has no cgroup of "
            "its own to delegate");
  spec::Spec joined =
      delegating({{NamespaceType::user, ""}, {NamespaceType::cgroup, "/proc/1/ns/cgroup"}});
  auto j = plan_cgroup_delegation(joined, false);
  ASSERT_FALSE(j.ok());
  EXPECT_EQ(j.error().message,
            "annotation run.burrow.cgroup.delegate=true: needs a new cgroup namespace, but "
            "linux.namespaces joins /proc/1/ns/cgroup");
  spec::Spec bad = delegating({}, "maybe");
  auto b = plan_cgroup_delegation(bad, false);
  ASSERT_FALSE(b.ok());
  EXPECT_EQ(b.error().message,
            "annotation run.burrow.cgroup.delegate: invalid value \"maybe\": want true or false");
}

TEST(CgroupDelegation, OwnerIsWhatRootMapsTo) {
  spec::Spec s = delegating({{NamespaceType::user, ""}});
  s.linux->uid_mappings = {{1, 200001, 10}, {0, 100000, 1}};
  s.linux->gid_mappings = {{0, 300000, 65536}};
  NamespacePlan plan;
  plan.new_user = true;
  auto owner = delegation_owner(s, plan);
  ASSERT_TRUE(owner.ok()) << owner.error().message;
  EXPECT_EQ(*owner, (cgroups::Owner{100000, 300000}));
  EXPECT_EQ(*delegation_owner(s, NamespacePlan{}), (cgroups::Owner{0, 0}))
      << "without a user namespace the container's root is the host's";
  s.linux->uid_mappings = {{1, 200001, 10}};
  auto unmapped = delegation_owner(s, plan);
  ASSERT_FALSE(unmapped.ok());
  EXPECT_EQ(unmapped.error().message,
            "annotation run.burrow.cgroup.delegate=true: the subtree goes to the container's "
            "root, which the user namespace does not map (no uid 0 in its uid map)");
}

}  // namespace
}  // namespace burrow::container
