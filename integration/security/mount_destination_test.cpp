// CVE-2021-30465 / CVE-2024-45310 class: a mount destination that leads out of the rootfs, by a
// symlink the image put there (absolute or "../.."), by ".." in config.json, or by a symlink that
// another container swaps in while the runtime resolves the path. The host directory the
// symlinks point at must never be mounted over, created in or changed; the container gets the
// mount inside its rootfs, or create fails naming mounts[N].destination. The containers run with
// rootfsPropagation rshared and the host directory is a shared mount, so a mount a runtime made
// on it in the container's namespace would show in this process's mount table.
#include <chrono>
#include <filesystem>
#include <string>
#include <thread>

#include "harness/environment.hpp"
#include "security/rootfs_attack.hpp"

namespace integration {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using namespace std::chrono_literals;

class MountDestination : public RootfsAttack {
 protected:
  void SetUp() override {
    RootfsAttack::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    source_ = work_ + "/source";
    fs::create_directories(source_);
    write_text(source_ + "/from-source", "source\n");
    share_host_dir();
  }

  // The victim's config: the private rootfs, shared propagation, `extra` mounts appended
  // (their indexes start at kFirstExtra), the probe reading `path`.
  json victim_config(const std::vector<json>& extra, const std::string& path) {
    return config([&](json& c) {
      c["root"]["path"] = copy_;
      c["linux"]["rootfsPropagation"] = "rshared";
      for (const auto& mount : extra) c["mounts"].push_back(mount);
      c["process"]["args"] = probe_args({"read", path});
    });
  }

  // A failed create must name the mount entry; a run that worked shows the source's file.
  void expect_inside_or_refused(const CommandResult& run, size_t index, const std::string& what) {
    if (run.exit_code != 0) {
      if (runtime_is_burrow()) {
        std::string field = "mounts[" + std::to_string(index) + "].destination";
        EXPECT_NE(run.err.find(field), std::string::npos) << what << "\n" << run.describe();
      }
      return;
    }
    json answer = last_json_line(run.out);
    ASSERT_TRUE(answer.is_object()) << what << "\n" << run.describe();
    EXPECT_EQ(answer["ok"], true) << what << ": the mount is not where the container looks\n"
                                  << run.describe();
    EXPECT_EQ(answer.value("content", ""), "source\n") << what;
  }

  // Another container (the shared rootfs, `shared` at /mnt) running `args`; TearDown deletes it
  // and checks it left nothing (its processes carry its own marker).
  void start_attacker(const std::string& shared, const json& args) {
    std::string attacker = extra_id("attacker");
    std::string bundle = work_ + "/attacker";
    fs::create_directories(bundle);
    json attacker_config = config([&](json& c) {
      c["mounts"].push_back(bind(shared, "/mnt"));
      c["process"]["args"] = args;
      for (auto& var : c["process"]["env"])
        if (var.get<std::string>().rfind("BURROW_TEST_ID=", 0) == 0)
          var = "BURROW_TEST_ID=" + attacker;
    });
    write_text(bundle + "/config.json", attacker_config.dump());
    ASSERT_EQ(runtime({"create", "--bundle", bundle, attacker}).exit_code, 0);
    ASSERT_EQ(runtime({"start", attacker}).exit_code, 0);
  }

  static constexpr int kRounds = 100;       // creates per race (burrow: about 60 ms each)
  static constexpr size_t kFirstExtra = 7;  // the base config has 7 mounts
  std::string source_;                      // a bind source holding from-source
};

// The image put symlinks at the destinations: to the host directory (absolute), to a missing
// directory under it, to it through "../..", and to /etc. Resolved in the rootfs, as runc does.
TEST_F(MountDestination, SymlinkedDestinationStaysInTheRootfs) {
  const std::string up = "../../../../../../../../../..";
  const std::vector<std::pair<std::string, std::string>> links = {
      {"/mnt/absolute", host_},      {"/mnt/dangling", host_ + "/escape"},
      {"/mnt/relative", up + host_}, {"/mnt/relative-dangling", up + host_ + "/escape"},
      {"/mnt/etc", "/etc"},
  };
  for (const auto& [link, target] : links) {
    host_shell("ln -s '" + target + "' '" + in_copy(link) + "'");
    write_config_text(victim_config({bind(source_, link)}, link + "/from-source").dump());
    CommandResult run = runtime({"run", "--bundle", bundle_, id_});
    expect_inside_or_refused(run, kFirstExtra, link + " -> " + target);
    EXPECT_EQ(host_damage(), "") << link + " -> " + target << "\n" << run.describe();
  }
}

// ".." in config.json cannot climb out of the rootfs either: "/mnt/../../.." is "/".
TEST_F(MountDestination, DotDotInTheDestinationStaysInTheRootfs) {
  const std::vector<std::string> destinations = {
      "/mnt/../../../../../../../.." + host_,
      "/../../../../../../../.." + host_ + "/escape",
      "/mnt/./../mnt/../../.." + host_ + "/escape/deeper",
  };
  for (const auto& destination : destinations) {
    std::string clean = fs::path(destination).lexically_normal().string();
    while (clean.rfind("/..", 0) == 0) clean.erase(0, 3);
    write_config_text(victim_config({bind(source_, destination)}, clean + "/from-source").dump());
    CommandResult run = runtime({"run", "--bundle", bundle_, id_});
    expect_inside_or_refused(run, kFirstExtra, destination);
    EXPECT_EQ(host_damage(), "") << destination << "\n" << run.describe();
  }
}

// Another container sharing a directory (here /vol) with the one being created swaps a directory
// and a symlink to the host directory (absolute, and "../.." to a directory under it)
// back and forth while `run` resolves mount destinations under them.
TEST_F(MountDestination, SymlinkSwappedInDuringCreateNeverLeavesTheRootfs) {
  if (!runtime_is_burrow())
    GTEST_SKIP() << "Debian's runc 1.1.5 makes a missing mount destination with MkdirAll on "
                    "the host path it resolved, which a symlink swapped in meanwhile redirects "
                    "(CVE-2024-45310, fixed in runc 1.1.14)";
  const std::string shared = work_ + "/shared";
  fs::create_directories(shared + "/d");
  fs::create_directories(shared + "/e");
  fs::create_symlink(host_, shared + "/l");
  put_host_file("escape/canary", "canary\n");
  fs::create_symlink("../../../../../../../../../.." + host_ + "/escape", shared + "/r");
  start_attacker(shared, {"/bin/sh", "-c",
                          "/probe exchange /mnt/d /mnt/l & exec /probe exchange /mnt/e /mnt/r"});
  host_shell("mkdir '" + in_copy("/vol") + "'");
  json victim =
      victim_config({bind(shared, "/vol"), bind(source_, "/vol/d"), bind(source_, "/vol/e/inner")},
                    "/vol/d/from-source");
  write_config_text(victim.dump());
  int created = 0;
  for (int round = 0; round < kRounds; ++round) {
    CommandResult run = runtime({"run", "--bundle", bundle_, id_});
    if (run.exit_code == 0) ++created;
    if (runtime_is_burrow() && run.exit_code != 0 &&
        run.err.find("].destination") == std::string::npos)
      ADD_FAILURE() << "round " << round << ": a failed create names no mounts[N].destination\n"
                    << run.describe();
    std::string damage = host_damage();
    ASSERT_EQ(damage, "") << "round " << round << "\n" << run.describe();
  }
  std::cout << "[          ] " << created << " of " << kRounds
            << " creates succeeded under the race\n";
}

// The same race against a read-only bind: the symlink points at /vol, the shared directory's
// own mount, so that a runtime that looks the destination up again after mounting (to remount
// it read-only) finds another mount. The bind must stay read-only wherever it ended up.
TEST_F(MountDestination, ReadOnlyBindStaysReadOnlyWhileItsDestinationIsSwapped) {
  if (!runtime_is_burrow())
    GTEST_SKIP() << "Debian's runc 1.1.5 remounts a bind read-only through its destination path, "
                    "looked up again after the bind: a swap in between leaves the bind writable";
  const std::string shared = work_ + "/shared";
  fs::create_directories(shared + "/d");
  fs::create_symlink("/vol", shared + "/l");
  start_attacker(shared, probe_args({"exchange", "/mnt/d", "/mnt/l"}));
  host_shell("mkdir '" + in_copy("/vol") + "'");
  json victim = config([&](json& c) {
    c["root"]["path"] = copy_;
    c["mounts"].push_back(bind(shared, "/vol"));
    c["mounts"].push_back(bind(source_, "/vol/d", {"rbind", "ro"}));
    c["process"]["args"] = {"/bin/sh", "-c",
                            "/probe write /vol/d/pwned x; /probe write /vol/l/pwned x; true"};
  });
  write_config_text(victim.dump());
  int created = 0;
  for (int round = 0; round < kRounds; ++round) {
    CommandResult run = runtime({"run", "--bundle", bundle_, id_});
    if (run.exit_code == 0) ++created;
    ASSERT_FALSE(fs::exists(source_ + "/pwned"))
        << "round " << round << ": the read-only bind was written through\n"
        << run.describe();
  }
  std::cout << "[          ] " << created << " of " << kRounds
            << " creates succeeded under the race\n";
}

}  // namespace
}  // namespace integration
