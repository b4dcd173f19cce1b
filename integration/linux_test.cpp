// linux.sysctl and linux.devices as seen from inside.
#include "harness/container_test.hpp"

namespace integration {
namespace {

using nlohmann::json;
using LinuxTest = ContainerTest;

TEST_F(LinuxTest, IpcNamespacedSysctl) {
  json value = probe_json([](json& c) {
    c["linux"]["sysctl"] = {{"kernel.shmmax", "1234567"}};
    c["process"]["args"] = probe_args({"sysctl", "kernel.shmmax"});
  });
  EXPECT_EQ(value["value"], "1234567") << value.dump();
}

TEST_F(LinuxTest, NetworkNamespacedSysctl) {
  json value = probe_json([](json& c) {
    c["linux"]["sysctl"] = {{"net.ipv4.ip_forward", "1"}};
    c["process"]["args"] = probe_args({"sysctl", "net.ipv4.ip_forward"});
  });
  EXPECT_EQ(value["value"], "1") << value.dump();
}

TEST_F(LinuxTest, CharDeviceFromTheSpec) {
  json stat = probe_json([](json& c) {
    c["linux"]["devices"] = {{{"path", "/dev/fuse"},
                              {"type", "c"},
                              {"major", 10},
                              {"minor", 229},
                              {"fileMode", 0666},
                              {"uid", 0},
                              {"gid", 0}}};
    c["process"]["args"] = probe_args({"stat", "/dev/fuse"});
  });
  EXPECT_EQ(stat["type"], "char") << stat.dump();
  EXPECT_EQ(stat["major"], 10);
  EXPECT_EQ(stat["minor"], 229);
  EXPECT_EQ(stat["mode"], "0666");
}

TEST_F(LinuxTest, MadeUpNullDeviceIsUsable) {
  json write = probe_json([](json& c) {
    c["linux"]["devices"] = {{{"path", "/dev/mynull"},
                              {"type", "c"},
                              {"major", 1},
                              {"minor", 3},
                              {"fileMode", 0620},
                              {"uid", 0},
                              {"gid", 5}}};
    c["linux"]["resources"]["devices"].push_back(
        {{"allow", true}, {"type", "c"}, {"major", 1}, {"minor", 3}, {"access", "rwm"}});
    c["process"]["args"] = probe_args({"write", "/dev/mynull", "discarded"});
  });
  EXPECT_EQ(write["ok"], true) << write.dump();
}

TEST_F(LinuxTest, MadeUpDeviceHasItsModeAndOwner) {
  json stat = probe_json([](json& c) {
    c["linux"]["devices"] = {{{"path", "/dev/mynull"},
                              {"type", "c"},
                              {"major", 1},
                              {"minor", 3},
                              {"fileMode", 0620},
                              {"uid", 0},
                              {"gid", 5}}};
    c["process"]["args"] = probe_args({"stat", "/dev/mynull"});
  });
  EXPECT_EQ(stat["type"], "char") << stat.dump();
  EXPECT_EQ(stat["major"], 1);
  EXPECT_EQ(stat["minor"], 3);
  EXPECT_EQ(stat["mode"], "0620");
  EXPECT_EQ(stat["gid"], 5);
}

TEST_F(LinuxTest, DefaultDevicesExist) {
  for (const char* device :
       {"/dev/null", "/dev/zero", "/dev/full", "/dev/random", "/dev/urandom", "/dev/tty"}) {
    json stat = probe_json([&](json& c) { c["process"]["args"] = probe_args({"stat", device}); });
    EXPECT_EQ(stat["type"], "char") << device << ": " << stat.dump();
    runtime({"delete", "-f", id_});
  }
}

}  // namespace
}  // namespace integration
