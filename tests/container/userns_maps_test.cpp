// Joined user namespaces: their maps are read from the namespace itself and must match the
// config's mappings when the config gives any.
#include "container/userns_maps.hpp"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sched.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>

#include "base/fd.hpp"

namespace burrow::container {
namespace {

// A child parked in a new user namespace with the maps the test writes.
class HeldUserNamespace {
 public:
  explicit HeldUserNamespace(const std::string& map) {
    int ready[2];
    if (::pipe2(ready, O_CLOEXEC) < 0) return;
    pid_ = ::fork();
    if (pid_ == 0) {
      char byte = ::unshare(CLONE_NEWUSER) == 0 ? 'y' : 'n';
      (void)!::write(ready[1], &byte, 1);
      ::pause();
      ::_exit(0);
    }
    ::close(ready[1]);
    char byte = 'n';
    (void)!::read(ready[0], &byte, 1);
    ::close(ready[0]);
    std::string proc = "/proc/" + std::to_string(pid_) + "/";
    std::ofstream(proc + "uid_map") << map;
    std::ofstream(proc + "gid_map") << map;
    fd_.reset(::open((proc + "ns/user").c_str(), O_RDONLY | O_CLOEXEC));
  }
  ~HeldUserNamespace() {
    if (pid_ > 0) {
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, nullptr, 0);
    }
  }
  int fd() const { return fd_.get(); }

 private:
  pid_t pid_ = -1;
  Fd fd_;
};

spec::Spec spec_with(std::vector<spec::IdMapping> uid, std::vector<spec::IdMapping> gid) {
  spec::Spec spec;
  spec.linux.emplace();
  spec.linux->uid_mappings = std::move(uid);
  spec.linux->gid_mappings = std::move(gid);
  return spec;
}

TEST(ParseIdMap, KernelPaddedColumnsAndSeveralLines) {
  auto maps = parse_id_map("         0     100000      65536\n 70000 1000 1\n");
  ASSERT_TRUE(maps) << maps.error().message;
  ASSERT_EQ(maps->size(), 2u);
  EXPECT_EQ((*maps)[0].container_id, 0u);
  EXPECT_EQ((*maps)[0].host_id, 100000u);
  EXPECT_EQ((*maps)[0].size, 65536u);
  EXPECT_EQ((*maps)[1].host_id, 1000u);
}

TEST(ParseIdMap, MalformedLineIsAnError) {
  auto maps = parse_id_map("0 100000\n");
  ASSERT_FALSE(maps);
  EXPECT_EQ(maps.error().message, "malformed id map line \"0 100000\"");
}

TEST(JoinedUserNamespace, MapsAreReadFromTheNamespace) {
  if (::geteuid() != 0) GTEST_SKIP() << "writing another process's id maps needs root";
  HeldUserNamespace held("0 100000 65536\n");
  ASSERT_GE(held.fd(), 0);
  auto maps = read_user_namespace_maps(held.fd());
  ASSERT_TRUE(maps) << maps.error().message;
  ASSERT_EQ(maps->uid.size(), 1u);
  EXPECT_EQ(maps->uid[0].host_id, 100000u);
  EXPECT_EQ(maps->gid[0].size, 65536u);
}

TEST(JoinedUserNamespace, MatchingOrAbsentMappingsPassDifferentOnesAreRefused) {
  if (::geteuid() != 0) GTEST_SKIP() << "writing another process's id maps needs root";
  HeldUserNamespace held("0 100000 65536\n");
  ASSERT_GE(held.fd(), 0);
  spec::IdMapping right{0, 100000, 65536}, wrong{0, 200000, 65536};
  EXPECT_TRUE(check_joined_user_namespace(spec_with({}, {}), held.fd()));
  EXPECT_TRUE(check_joined_user_namespace(spec_with({right}, {right}), held.fd()));
  auto refused = check_joined_user_namespace(spec_with({wrong}, {right}), held.fd());
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().message,
            "config.json: linux.uidMappings: 0 200000 65536 are not the joined user namespace's "
            "(0 100000 65536)");
  auto gid_refused = check_joined_user_namespace(spec_with({right}, {wrong}), held.fd());
  ASSERT_FALSE(gid_refused);
  EXPECT_EQ(gid_refused.error().message.substr(0, 34), "config.json: linux.gidMappings: 0 ");
}

}  // namespace
}  // namespace burrow::container
