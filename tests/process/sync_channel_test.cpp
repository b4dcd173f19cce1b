#include "process/sync_channel.hpp"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <string>
#include <utility>

namespace burrow::process {
namespace {

std::pair<SyncChannel, SyncChannel> channel_pair() {
  auto pair = SyncChannel::make_pair();
  EXPECT_TRUE(pair.ok()) << pair.error().message;
  return std::move(pair).value();
}

int wait_exit_code(pid_t pid) {
  int status = 0;
  if (::waitpid(pid, &status, 0) != pid) return -1;
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

TEST(MessageTypeName, NamesEveryType) {
  EXPECT_STREQ(message_type_name(MessageType::error), "error");
  EXPECT_STREQ(message_type_name(MessageType::setup_done), "setup_done");
  EXPECT_STREQ(message_type_name(MessageType::need_id_maps), "need_id_maps");
  EXPECT_STREQ(message_type_name(MessageType::id_maps_done), "id_maps_done");
  EXPECT_STREQ(message_type_name(MessageType::init_pid), "init_pid");
  EXPECT_STREQ(message_type_name(MessageType::namespace_fds), "namespace_fds");
  EXPECT_STREQ(message_type_name(MessageType::ready), "ready");
  EXPECT_STREQ(message_type_name(MessageType::warning), "warning");
  EXPECT_STREQ(message_type_name(static_cast<MessageType>(99)), "unknown");
}

TEST(SyncChannel, MakePairGivesTwoCloexecSeqpacketEnds) {
  auto [a, b] = channel_pair();
  ASSERT_GE(a.fd(), 0);
  ASSERT_GE(b.fd(), 0);
  EXPECT_NE(a.fd(), b.fd());
  for (int fd : {a.fd(), b.fd()}) {
    EXPECT_EQ(::fcntl(fd, F_GETFD) & FD_CLOEXEC, FD_CLOEXEC);
    int type = 0;
    socklen_t len = sizeof(type);
    ASSERT_EQ(::getsockopt(fd, SOL_SOCKET, SO_TYPE, &type, &len), 0);
    EXPECT_EQ(type, SOCK_SEQPACKET);
  }
}

TEST(SyncChannel, MessageWithPayloadAndTwoFdsArrivesIntact) {
  auto [a, b] = channel_pair();
  int p[2];
  ASSERT_EQ(::pipe2(p, O_CLOEXEC), 0);
  Message m = Message::make(MessageType::namespace_fds, "net,ipc");
  m.code = 1234;
  m.fds.emplace_back(p[0]);
  m.fds.emplace_back(p[1]);
  auto st = a.send(m);
  ASSERT_TRUE(st.ok()) << st.error().message;
  m.fds.clear();  // close our copies: the received ones must work on their own

  auto got = b.receive();
  ASSERT_TRUE(got.ok()) << got.error().message;
  EXPECT_EQ(got->type, MessageType::namespace_fds);
  EXPECT_EQ(got->code, 1234);
  EXPECT_EQ(got->payload, "net,ipc");
  ASSERT_EQ(got->fds.size(), 2u);
  const int rd = got->fds[0].get(), wr = got->fds[1].get();
  EXPECT_EQ(::fcntl(rd, F_GETFD) & FD_CLOEXEC, FD_CLOEXEC);  // MSG_CMSG_CLOEXEC
  EXPECT_EQ(::fcntl(wr, F_GETFD) & FD_CLOEXEC, FD_CLOEXEC);
  ASSERT_EQ(::write(wr, "hi", 2), 2);
  char buf[4] = {};
  ASSERT_EQ(::read(rd, buf, sizeof(buf)), 2);
  EXPECT_EQ(std::string(buf, 2), "hi");
}

TEST(SyncChannel, EmptyPayloadAndMessageBoundaries) {
  auto [a, b] = channel_pair();
  ASSERT_TRUE(a.send(Message::make(MessageType::setup_done)).ok());
  ASSERT_TRUE(a.send(Message::make(MessageType::init_pid, "42")).ok());
  auto first = b.receive();
  ASSERT_TRUE(first.ok()) << first.error().message;
  EXPECT_EQ(first->type, MessageType::setup_done);
  EXPECT_EQ(first->code, 0);
  EXPECT_EQ(first->payload, "");
  EXPECT_TRUE(first->fds.empty());
  auto second = b.receive();
  ASSERT_TRUE(second.ok()) << second.error().message;
  EXPECT_EQ(second->type, MessageType::init_pid);
  EXPECT_EQ(second->payload, "42");
}

TEST(SyncChannel, LargestPayloadPassesAndLargerIsRefused) {
  auto [a, b] = channel_pair();
  std::string big(60 * 1024, 'x');
  big.back() = 'y';
  auto st = a.send(Message::make(MessageType::warning, big));
  ASSERT_TRUE(st.ok()) << st.error().message;
  auto got = b.receive();
  ASSERT_TRUE(got.ok()) << got.error().message;
  EXPECT_EQ(got->payload, big);

  auto too_big = a.send(Message::make(MessageType::warning, big + "z"));
  ASSERT_FALSE(too_big.ok());
  EXPECT_EQ(too_big.error().message, "sync message too large");
}

TEST(SyncChannel, ReceiveAfterPeerClosedIsEpipe) {
  auto [a, b] = channel_pair();
  a.close();
  EXPECT_EQ(a.fd(), -1);
  auto got = b.receive();
  ASSERT_FALSE(got.ok());
  EXPECT_EQ(got.error().code, EPIPE);
  EXPECT_EQ(got.error().message, "sync channel closed");
  auto expected = b.expect(MessageType::ready);
  ASSERT_FALSE(expected.ok());
  EXPECT_EQ(expected.error().code, EPIPE);
}

TEST(SyncChannel, SendAfterPeerClosedFailsWithoutSigpipe) {
  auto [a, b] = channel_pair();
  b.close();
  auto st = a.send(Message::make(MessageType::ready));
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().code, EPIPE);
  EXPECT_EQ(st.error().message, "send ready: Broken pipe");
}

TEST(SyncChannel, ShortMessageIsAProtocolError) {
  auto [a, b] = channel_pair();
  ASSERT_EQ(::send(a.fd(), "abc", 3, 0), 3);
  auto got = b.receive();
  ASSERT_FALSE(got.ok());
  EXPECT_EQ(got.error().code, EPROTO);
  EXPECT_EQ(got.error().message, "short sync message");
}

TEST(SyncChannel, ExpectReturnsTheMessageOfTheRightType) {
  auto [a, b] = channel_pair();
  ASSERT_TRUE(a.send(Message::make(MessageType::id_maps_done, "ok")).ok());
  auto got = b.expect(MessageType::id_maps_done);
  ASSERT_TRUE(got.ok()) << got.error().message;
  EXPECT_EQ(got->type, MessageType::id_maps_done);
  EXPECT_EQ(got->payload, "ok");
}

TEST(SyncChannel, ExpectOfTheWrongTypeNamesBoth) {
  auto [a, b] = channel_pair();
  ASSERT_TRUE(a.send(Message::make(MessageType::need_id_maps)).ok());
  auto got = b.expect(MessageType::ready);
  ASSERT_FALSE(got.ok());
  EXPECT_EQ(got.error().code, EPROTO);
  EXPECT_EQ(got.error().message, "sync: expected ready, got need_id_maps");
}

TEST(SyncChannel, ExpectTurnsAnErrorMessageIntoTheError) {
  auto [a, b] = channel_pair();
  a.send_error(Error::from_errno("pivot_root: /rootfs", EINVAL));
  auto got = b.expect(MessageType::ready);
  ASSERT_FALSE(got.ok());
  EXPECT_EQ(got.error().code, EINVAL);
  EXPECT_EQ(got.error().message, "pivot_root: /rootfs: Invalid argument");
}

TEST(SyncChannel, ExpectErrorWhenErrorIsExpectedIsStillAnError) {
  // `error` messages always become the Error, even when asked for MessageType::error.
  auto [a, b] = channel_pair();
  a.send_error(Error::msg("boom", 3));
  auto got = b.expect(MessageType::error);
  ASSERT_FALSE(got.ok());
  EXPECT_EQ(got.error().code, 3);
  EXPECT_EQ(got.error().message, "boom");
}

TEST(SyncChannel, AcrossFork) {
  auto [parent, child] = channel_pair();
  int p[2];
  ASSERT_EQ(::pipe2(p, O_CLOEXEC), 0);
  pid_t pid = ::fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    parent.close();
    ::close(p[0]);
    if (!child.expect(MessageType::setup_done).ok()) ::_exit(2);
    Message m = Message::make(MessageType::init_pid, std::to_string(::getpid()));
    m.fds.emplace_back(p[1]);
    if (!child.send(m).ok()) ::_exit(3);
    child.send_error(Error::from_errno("mount /proc", EPERM));
    ::_exit(0);
  }
  child.close();
  ::close(p[1]);
  Fd own_read(p[0]);

  ASSERT_TRUE(parent.send(Message::make(MessageType::setup_done)).ok());
  auto got = parent.expect(MessageType::init_pid);
  ASSERT_TRUE(got.ok()) << got.error().message;
  EXPECT_EQ(got->payload, std::to_string(pid));
  ASSERT_EQ(got->fds.size(), 1u);
  ASSERT_EQ(::write(got->fds[0].get(), "z", 1), 1);  // the child's pipe end, passed to us
  char c = 0;
  ASSERT_EQ(::read(own_read.get(), &c, 1), 1);
  EXPECT_EQ(c, 'z');

  auto err = parent.expect(MessageType::ready);
  ASSERT_FALSE(err.ok());
  EXPECT_EQ(err.error().code, EPERM);
  EXPECT_EQ(err.error().message, "mount /proc: Operation not permitted");

  EXPECT_EQ(wait_exit_code(pid), 0);
  auto eof = parent.receive();
  ASSERT_FALSE(eof.ok());
  EXPECT_EQ(eof.error().code, EPIPE);
}

}  // namespace
}  // namespace burrow::process

namespace burrow::process {
namespace {

// The init may fail and exit with a message of the parent's unread (cgroups_placed is sent
// unasked): the kernel then reports ECONNRESET once, before the init's queued messages. They
// must still arrive, then end-of-file.
TEST(SyncChannelReset, PeerClosingWithOurMessageUnreadStillDeliversItsMessages) {
  auto pair = SyncChannel::make_pair();
  ASSERT_TRUE(pair) << pair.error().message;
  auto& [parent, child] = *pair;
  ASSERT_TRUE(parent.send(Message::make(MessageType::cgroups_placed)));
  Message failure =
      Message::make(MessageType::error, "mount proc on /proc: Operation not permitted");
  failure.code = EPERM;
  ASSERT_TRUE(child.send(failure));
  child.close();  // with cgroups_placed unread
  auto received = parent.receive();
  ASSERT_TRUE(received) << received.error().message;
  EXPECT_EQ(received->type, MessageType::error);
  EXPECT_EQ(received->code, EPERM);
  EXPECT_EQ(received->payload, "mount proc on /proc: Operation not permitted");
  auto end = parent.receive();
  ASSERT_FALSE(end);
  EXPECT_EQ(end.error().code, EPIPE);
}

}  // namespace
}  // namespace burrow::process
