#include "state/output.hpp"

#include <gtest/gtest.h>

namespace burrow::state {
namespace {

ContainerState make(const std::string& id, pid_t pid, const std::string& bundle) {
  ContainerState st;
  st.oci_version = "1.0.2-dev";
  st.id = id;
  st.init_pid = pid;
  st.bundle = bundle;
  st.rootfs = bundle + "/rootfs";
  st.created = "2026-11-29T09:43:17.073492728Z";
  st.owner = "root";
  return st;
}

// Bytes captured from runc 1.1.5 `runc state` on this machine (created container).
TEST(StateText, MatchesRunc) {
  EXPECT_EQ(state_text(make("t1", 6142, "/tmp/rb/b"), ContainerStatus::created),
            "{\n"
            "  \"ociVersion\": \"1.0.2-dev\",\n"
            "  \"id\": \"t1\",\n"
            "  \"pid\": 6142,\n"
            "  \"status\": \"created\",\n"
            "  \"bundle\": \"/tmp/rb/b\",\n"
            "  \"rootfs\": \"/tmp/rb/b/rootfs\",\n"
            "  \"created\": \"2026-11-29T09:43:17.073492728Z\",\n"
            "  \"owner\": \"\"\n"
            "}");
}

TEST(StateJson, StoppedHasPidZeroAndAnnotationsWhenPresent) {
  auto st = make("t1", 6142, "/b");
  st.annotations = {{"a<b", "x&y"}};
  auto j = state_json(st, ContainerStatus::stopped);
  EXPECT_EQ(j["pid"], 0);
  EXPECT_EQ(j["status"], "stopped");
  EXPECT_EQ(go_json_text(j, -1),
            "{\"ociVersion\":\"1.0.2-dev\",\"id\":\"t1\",\"pid\":0,\"status\":\"stopped\","
            "\"bundle\":\"/b\",\"rootfs\":\"/b/rootfs\","
            "\"created\":\"2026-11-29T09:43:17.073492728Z\","
            "\"annotations\":{\"a\\u003cb\":\"x\\u0026y\"},\"owner\":\"\"}");
}

TEST(ListTable, MatchesRuncTabwriter) {
  EXPECT_EQ(list_table({}), "ID          PID         STATUS      BUNDLE      CREATED     OWNER\n");
  std::vector<ListEntry> entries = {{make("t1", 6142, "/tmp/rb/b"), ContainerStatus::created}};
  EXPECT_EQ(
      list_table(entries),
      "ID          PID         STATUS      BUNDLE      CREATED                          OWNER\n"
      "t1          6142        created     /tmp/rb/b   2026-11-29T09:43:17.073492728Z   root\n");
  entries.push_back({make("a-much-longer-id", 7, "/b"), ContainerStatus::stopped});
  EXPECT_EQ(list_table(entries),
            "ID                 PID         STATUS      BUNDLE      CREATED                       "
            "   OWNER\n"
            "t1                 6142        created     /tmp/rb/b   2026-11-29T09:43:17.073492728Z"
            "   root\n"
            "a-much-longer-id   0           stopped     /b          2026-11-29T09:43:17.073492728Z"
            "   root\n");
}

TEST(ListJson, MatchesRuncAndNullWhenEmpty) {
  EXPECT_EQ(list_json_text({}), "null\n");
  std::vector<ListEntry> entries = {{make("t1", 6142, "/tmp/rb/b"), ContainerStatus::created}};
  EXPECT_EQ(list_json_text(entries),
            "[{\"ociVersion\":\"1.0.2-dev\",\"id\":\"t1\",\"pid\":6142,\"status\":\"created\","
            "\"bundle\":\"/tmp/rb/b\",\"rootfs\":\"/tmp/rb/b/rootfs\","
            "\"created\":\"2026-11-29T09:43:17.073492728Z\",\"owner\":\"root\"}]\n");
  EXPECT_EQ(list_quiet(entries), "t1\n");
  EXPECT_EQ(list_quiet({}), "");
}

}  // namespace
}  // namespace burrow::state
