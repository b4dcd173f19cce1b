// run.burrow.userns=auto (the dind profile's): each container gets 65536 host ids of its own,
// leased from the pool at create and given back at delete, and sees its rootfs with its owners.
// burrow's own annotation: skipped under other runtimes.
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <string>

#include "harness/container_test.hpp"
#include "harness/environment.hpp"

namespace integration {
namespace {

using nlohmann::json;

constexpr uint64_t kRange = 65536;
const std::string kRegistry = "/run/burrow-ids";

class UsernsAuto : public ContainerTest {
 protected:
  void SetUp() override {
    ContainerTest::SetUp();
    if (!runtime_is_burrow()) GTEST_SKIP() << "run.burrow.userns is burrow's own annotation";
    // A pool of two ranges of this test process's own, above the shim's and below 2^31.
    pool_start_ = 1879048192 + (static_cast<uint64_t>(::getpid()) % 1000) * 4 * kRange;
    pool_ = std::to_string(pool_start_) + ":" + std::to_string(2 * kRange);
  }

  CommandResult create(const std::string& id, const Tweak& tweak = {}) {
    write_config([&](json& c) {
      c["annotations"]["run.burrow.userns"] = "auto";
      c["process"]["args"] = probe_args({"sleep", "60"});
      if (tweak) tweak(c);
    });
    return runtime({"--userns-pool", pool_, "create", "--bundle", bundle_, id});
  }

  // The host uid the container's root maps to, from its init's uid_map.
  uint64_t mapped_root(const std::string& id) {
    CommandResult state = runtime({"state", id});
    json j = json::parse(state.out, nullptr, false);
    if (!j.is_object()) return 0;
    std::istringstream map(read_text("/proc/" + std::to_string(j["pid"].get<int>()) + "/uid_map"));
    uint64_t inside = 0, outside = 0, size = 0;
    map >> inside >> outside >> size;
    return size == kRange && inside == 0 ? outside : 0;
  }

  uint64_t pool_start_ = 0;
  std::string pool_;
};

TEST_F(UsernsAuto, EachContainerLeasesARangeOfItsOwnUntilDelete) {
  const std::string a = extra_id("a"), b = extra_id("b"), c = extra_id("c");
  ASSERT_EQ(create(a).exit_code, 0);
  ASSERT_EQ(create(b).exit_code, 0);
  uint64_t a_root = mapped_root(a), b_root = mapped_root(b);
  EXPECT_EQ(std::set<uint64_t>({a_root, b_root}),
            std::set<uint64_t>({pool_start_, pool_start_ + kRange}));
  // The stored config says what the container runs with.
  json stored = json::parse(read_text(state_root_ + "/" + a + "/config.json"));
  EXPECT_EQ(stored["linux"]["uidMappings"][0]["hostID"], a_root);
  EXPECT_EQ(stored["linux"]["gidMappings"][0]["hostID"], a_root);

  CommandResult full = create(c);
  EXPECT_NE(full.exit_code, 0);
  EXPECT_NE(full.err.find("config.json: annotation run.burrow.userns=auto: no free id range: all 2 "
                          "ranges of 65536 ids from " +
                          std::to_string(pool_start_) + " are leased to live containers (" +
                          kRegistry + ")"),
            std::string::npos)
      << full.describe();
  EXPECT_FALSE(std::filesystem::exists(state_root_ + "/" + c)) << "the refused create left state";

  ASSERT_EQ(runtime({"delete", "-f", a}).exit_code, 0);
  EXPECT_FALSE(std::filesystem::exists(kRegistry + "/" + std::to_string(a_root)))
      << "delete kept the lease";
  ASSERT_EQ(create(c).exit_code, 0);
  EXPECT_EQ(mapped_root(c), a_root);
}

// A lease whose container is gone (a crash before delete) does not hold its range.
TEST_F(UsernsAuto, ALeaseOfAContainerThatIsGoneIsTakenAgain) {
  std::filesystem::create_directories(kRegistry);
  const std::string stale = kRegistry + "/" + std::to_string(pool_start_);
  {
    std::ofstream lease(stale);
    lease << R"({"root":"/nonexistent-burrow-root","id":"gone"})";
  }
  ASSERT_EQ(create(id_).exit_code, 0);
  EXPECT_EQ(mapped_root(id_), pool_start_);
  EXPECT_NE(read_text(stale).find(id_), std::string::npos);
}

// The rootfs (owned by host root on disk) is idmapped to the leased range: inside, root owns it.
TEST_F(UsernsAuto, TheRootfsKeepsItsOwnersInside) {
  write_config([&](json& c) {
    c["annotations"]["run.burrow.userns"] = "auto";
    c["process"]["args"] = probe_args({"stat", "/bin"});
  });
  CommandResult run = runtime({"--userns-pool", pool_, "run", "--bundle", bundle_, id_});
  ASSERT_EQ(run.exit_code, 0) << run.describe();
  json seen = last_json_line(run.out);
  EXPECT_EQ(seen["uid"], 0) << run.describe();
  EXPECT_EQ(seen["gid"], 0) << run.describe();
}

TEST_F(UsernsAuto, ConflictingConfigsAreRefusedByName) {
  struct Case {
    Tweak tweak;
    std::vector<std::string> flags;
    std::string message;  // key in expected_messages.hpp
  };
  const std::vector<Case> cases = {
      {[](json& c) {
         c["linux"]["namespaces"].push_back({{"type", "user"}});
         c["linux"]["uidMappings"] = {{{"containerID", 0}, {"hostID", 100000}, {"size", 65536}}};
         c["linux"]["gidMappings"] = {{{"containerID", 0}, {"hostID", 100000}, {"size", 65536}}};
       },
       {},
       "userns_auto_with_maps"},
      {[](json& c) { c["annotations"]["run.burrow.userns"] = "yes"; }, {}, "userns_bad_value"},
      {[](json& c) { c["annotations"]["run.burrow.userns.size"] = "1"; }, {}, "userns_unknown_key"},
      {{}, {"--userns-pool", "5"}, "userns_bad_pool"},
      {{}, {"--userns-pool", "0:65536"}, "userns_pool_at_zero"},
  };
  for (const auto& test : cases) {
    write_config([&](json& c) {
      c["annotations"]["run.burrow.userns"] = "auto";
      if (test.tweak) test.tweak(c);
    });
    std::vector<std::string> args =
        test.flags.empty() ? std::vector<std::string>{"--userns-pool", pool_} : test.flags;
    args.insert(args.end(), {"run", "--bundle", bundle_, id_});
    CommandResult run = runtime(args);
    expect_error(run, test.message);
    EXPECT_FALSE(std::filesystem::exists(state_root_ + "/" + id_)) << test.message;
  }
}

// `spec --profile dind` asks for a leased range instead of writing a shared one.
TEST_F(UsernsAuto, DindProfileLeasesARange) {
  ASSERT_EQ(runtime({"spec", "--profile", "dind", "--bundle", bundle_}).exit_code, 0);
  json config = json::parse(read_text(bundle_ + "/config.json"));
  EXPECT_EQ(config["annotations"]["run.burrow.userns"], "auto");
  EXPECT_FALSE(config["linux"].contains("uidMappings")) << config["linux"];
  EXPECT_FALSE(config["linux"].contains("gidMappings")) << config["linux"];
}

}  // namespace
}  // namespace integration
