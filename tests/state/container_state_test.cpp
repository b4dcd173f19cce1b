#include "state/container_state.hpp"

#include <gtest/gtest.h>

namespace burrow::state {
namespace {

ContainerState sample() {
  ContainerState st;
  st.oci_version = "1.0.2";
  st.id = "c1";
  st.init_pid = 4242;
  st.init_start_time = 987654321;
  st.bundle = "/b";
  st.rootfs = "/b/rootfs";
  st.created = "2024-05-01T10:00:00.0735Z";
  st.annotations = {{"k", "v"}};
  st.owner = "root";
  st.cgroup_paths = {{"/sys/fs/cgroup/memory", "/sys/fs/cgroup/memory/c1"}};
  st.cgroup_preexisting = {"/sys/fs/cgroup/memory"};
  st.rootless = true;
  st.extra = {{"later", 1}};
  return st;
}

TEST(ContainerStateJson, RoundTrips) {
  ContainerState st = sample();
  auto back = from_json(to_json(st), "state.json");
  ASSERT_TRUE(back.ok()) << back.error().message;
  EXPECT_EQ(back->oci_version, "1.0.2");
  EXPECT_EQ(back->id, "c1");
  EXPECT_EQ(back->init_pid, 4242);
  EXPECT_EQ(back->init_start_time, 987654321u);
  EXPECT_EQ(back->bundle, "/b");
  EXPECT_EQ(back->rootfs, "/b/rootfs");
  EXPECT_EQ(back->created, "2024-05-01T10:00:00.0735Z");
  EXPECT_EQ(back->annotations, st.annotations);
  EXPECT_EQ(back->owner, "root");
  EXPECT_EQ(back->cgroup_paths, st.cgroup_paths);
  EXPECT_EQ(back->cgroup_preexisting, st.cgroup_preexisting);
  EXPECT_TRUE(back->rootless);
  EXPECT_EQ(back->extra, st.extra);
}

// A state written before the field existed: every cgroup is the container's.
TEST(ContainerStateJson, OlderStateHasNoPreexistingCgroups) {
  auto j = to_json(sample());
  j.erase("cgroupPreexisting");
  auto back = from_json(j, "state.json");
  ASSERT_TRUE(back.ok()) << back.error().message;
  EXPECT_TRUE(back->cgroup_preexisting.empty());
  j["cgroupPreexisting"] = "x";
  auto bad = from_json(j, "state.json");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.error().message.find("cgroupPreexisting"), std::string::npos);
}

TEST(ContainerStateJson, ErrorsNameFileAndField) {
  auto j = to_json(sample());
  j["pid"] = "x";
  auto r = from_json(j, "/run/burrow/c1/state.json");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message,
            "/run/burrow/c1/state.json: field \"pid\": must be a non-negative integer");
  j = to_json(sample());
  j.erase("bundle");
  r = from_json(j, "s.json");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message, "s.json: field \"bundle\": missing");
  r = from_json(nlohmann::json::array(), "s.json");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message, "s.json: not a JSON object");
}

TEST(Rfc3339Nano, TrimsTrailingZerosLikeGo) {
  EXPECT_EQ(format_rfc3339_nano({1700000000, 73492728}), "2023-11-14T22:13:20.073492728Z");
  EXPECT_EQ(format_rfc3339_nano({1700000000, 73500000}), "2023-11-14T22:13:20.0735Z");
  EXPECT_EQ(format_rfc3339_nano({1700000000, 0}), "2023-11-14T22:13:20Z");
  EXPECT_EQ(format_rfc3339_nano({0, 1}), "1970-01-01T00:00:00.000000001Z");
}

TEST(UserName, KnownAndUnknownUids) {
  EXPECT_EQ(user_name(0), "root");
  EXPECT_EQ(user_name(3999999), "#3999999");
}

}  // namespace
}  // namespace burrow::state
