// GitLab's wait-for-service with a dind service's extra condition: a port that answers is not
// enough while a required file (its client certificates) is missing. The waiter enters this
// process's own network namespace (setns needs root) and tries a port this test listens on.
#include "pod/readiness.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

namespace burrow::shim::pod {
namespace {

using namespace std::chrono_literals;
namespace fs = std::filesystem;

class ReadinessRootTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (::geteuid() != 0) GTEST_SKIP() << "entering a network namespace needs root";
    listener_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    ASSERT_GE(listener_, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ASSERT_EQ(::bind(listener_, reinterpret_cast<sockaddr*>(&address), sizeof address), 0);
    ASSERT_EQ(::listen(listener_, 16), 0);
    socklen_t length = sizeof address;
    ASSERT_EQ(::getsockname(listener_, reinterpret_cast<sockaddr*>(&address), &length), 0);
    port_ = ntohs(address.sin_port);
    dir_ = fs::temp_directory_path() / ("readiness-test-" + std::to_string(::getpid()));
    fs::create_directories(dir_);
  }
  void TearDown() override {
    if (listener_ >= 0) ::close(listener_);
    fs::remove_all(dir_);
  }

  // The waiter's exit code.
  int wait_for(const std::vector<std::string>& files, std::chrono::milliseconds timeout) {
    auto waiter = start_port_wait(::getpid(), {port_}, timeout, false, files);
    EXPECT_TRUE(waiter) << waiter.error().message;
    if (!waiter) return -1;
    auto status = waiter->wait(30s);
    EXPECT_TRUE(status && status->has_value());
    return status && status->has_value() ? (*status)->shell_code() : -1;
  }

  int listener_ = -1;
  int port_ = 0;
  fs::path dir_;
};

TEST_F(ReadinessRootTest, AnsweringPortIsReadyWithoutRequiredFiles) {
  EXPECT_EQ(wait_for({}, 5s), 0);
}

TEST_F(ReadinessRootTest, AnsweringPortIsNotReadyWhileARequiredFileIsMissing) {
  std::string ca = (dir_ / "ca.pem").string(), key = (dir_ / "key.pem").string();
  std::ofstream(ca) << "ca";
  EXPECT_EQ(wait_for({ca, key}, 300ms), 1) << "ready without key.pem";
  std::ofstream(key) << "key";
  EXPECT_EQ(wait_for({ca, key}, 5s), 0);
}

}  // namespace
}  // namespace burrow::shim::pod
