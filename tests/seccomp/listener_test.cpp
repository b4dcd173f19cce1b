// The containerProcessState sent to linux.seccomp.listenerPath.
#include <fcntl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <string>

#include <gtest/gtest.h>

#include "base/fd.hpp"
#include "seccomp/listener.hpp"

namespace burrow::seccomp {
namespace {

using nlohmann::json;

ListenerState sample() {
  ListenerState state;
  state.id = "c1";
  state.bundle = "/b";
  state.pid = 4422;
  state.annotations = {{"k", "v"}};
  state.metadata = "MKNOD=/dev/null";
  return state;
}

TEST(Listener, ContainerProcessStateHasTheSpecShape) {
  json expected = json::parse(R"({
    "ociVersion": "1.2.0", "fds": ["seccompFd"], "pid": 4422, "metadata": "MKNOD=/dev/null",
    "state": {"ociVersion": "1.2.0", "id": "c1", "status": "creating", "pid": 4422,
              "bundle": "/b", "annotations": {"k": "v"}}})");
  EXPECT_EQ(container_process_state(sample()), expected);
}

// An exec'd process (runc 1.1's setns process): its own pid, the init's in the state.
TEST(Listener, ExecdProcessStateNamesTheInit) {
  ListenerState state = sample();
  state.pid = 5000;
  state.init_pid = 4422;
  state.status = "running";
  json sent = container_process_state(state);
  EXPECT_EQ(sent["pid"], 5000);
  EXPECT_EQ(sent["state"]["pid"], 4422);
  EXPECT_EQ(sent["state"]["status"], "running");
}

TEST(Listener, OptionalMembersAreOmitted) {
  ListenerState state = sample();
  state.metadata.clear();
  state.annotations.clear();
  json sent = container_process_state(state);
  EXPECT_FALSE(sent.contains("metadata"));
  EXPECT_FALSE(sent["state"].contains("annotations"));
}

class ListenerSocket : public ::testing::Test {
 protected:
  void SetUp() override {
    char dir_template[] = "/tmp/burrow-listener-XXXXXX";
    ASSERT_NE(::mkdtemp(dir_template), nullptr);
    dir_ = dir_template;
    path_ = dir_ + "/agent.sock";
  }
  void TearDown() override {
    ::unlink(path_.c_str());
    ::rmdir(dir_.c_str());
  }
  Fd listen_here() {
    Fd server(::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
    struct sockaddr_un address {};
    address.sun_family = AF_UNIX;
    std::strcpy(address.sun_path, path_.c_str());
    EXPECT_EQ(::bind(server.get(), reinterpret_cast<sockaddr*>(&address), sizeof(address)), 0);
    EXPECT_EQ(::listen(server.get(), 1), 0);
    return server;
  }
  std::string dir_, path_;
};

// The connection is queued before we accept it, so one thread suffices.
TEST_F(ListenerSocket, SendsTheStateAndTheFd) {
  Fd server = listen_here();
  int pipe_fds[2];
  ASSERT_EQ(::pipe2(pipe_fds, O_CLOEXEC), 0);
  Fd read_end(pipe_fds[0]), write_end(pipe_fds[1]);
  ASSERT_TRUE(send_to_listener(path_, sample(), write_end.get()));
  Fd connection(::accept4(server.get(), nullptr, nullptr, SOCK_CLOEXEC));
  ASSERT_TRUE(connection);
  char buffer[4096] = {};
  struct iovec iov = {buffer, sizeof(buffer) - 1};
  alignas(struct cmsghdr) char control[CMSG_SPACE(sizeof(int))] = {};
  struct msghdr msg {};
  msg.msg_iov = &iov;
  msg.msg_iovlen = 1;
  msg.msg_control = control;
  msg.msg_controllen = sizeof(control);
  ssize_t n = ::recvmsg(connection.get(), &msg, MSG_CMSG_CLOEXEC);
  ASSERT_GT(n, 0);
  EXPECT_EQ(json::parse(std::string(buffer, static_cast<size_t>(n))),
            container_process_state(sample()));
  struct cmsghdr* cmsg = CMSG_FIRSTHDR(&msg);
  ASSERT_NE(cmsg, nullptr);
  int received;
  std::memcpy(&received, CMSG_DATA(cmsg), sizeof(int));
  Fd passed(received);
  // The same pipe: what we write through the received fd comes out of our read end.
  ASSERT_EQ(::write(passed.get(), "x", 1), 1);
  char byte = 0;
  ASSERT_EQ(::read(read_end.get(), &byte, 1), 1);
  EXPECT_EQ(byte, 'x');
  // One state per connection, then the runtime closes it.
  EXPECT_EQ(::read(connection.get(), buffer, sizeof(buffer)), 0);
}

TEST_F(ListenerSocket, NoAgentIsAnErrorInRuncsWords) {
  auto sent = send_to_listener(path_, sample(), 0);
  ASSERT_FALSE(sent);
  EXPECT_EQ(sent.error().message,
            "failed to connect with seccomp agent specified in the seccomp profile: connect " +
                path_ + ": No such file or directory");
}

}  // namespace
}  // namespace burrow::seccomp
