#include "io/relay.hpp"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/epoll.h>
#include <unistd.h>

#include <chrono>

#include "base/file.hpp"
#include "helpers.hpp"
#include "io/fd_sink.hpp"
#include "io/job_log.hpp"
#include "process_helpers.hpp"

namespace burrow::shim::io {
namespace {

using namespace std::chrono_literals;
using testing::Fnv;
using testing::Pipe;
using testing::read_log;
using testing::spawn;
using testing::stream_bytes;
using testing::TempDir;
using testing::wait_exit;
using testing::write_all;

class RelayTest : public ::testing::Test {
 protected:
  void SetUp() override { ::signal(SIGPIPE, SIG_IGN); }  // as the shim does

  EventLoop loop_ = std::move(EventLoop::create()).value();
  TempDir dir_;

  JobLog open_log(const std::string& name = "job.log") {
    auto log = JobLog::open(dir_ / name);
    EXPECT_TRUE(log.ok());
    return std::move(log).value();
  }
  Fd open_file(const std::string& name) {
    return Fd(::open((dir_ / name).c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644));
  }
  std::string read_file(const std::string& name) {
    auto text = file::read(dir_ / name);
    EXPECT_TRUE(text.ok());
    return text.ok() ? *text : "";
  }
  Status run_until_drained(Relay& relay, const std::string& group = "job") {
    auto deadline = make_timer(60s);
    EXPECT_TRUE(deadline.ok());
    bool expired = false;
    EXPECT_TRUE(loop_.watch(deadline->get(), EPOLLIN, [&](uint32_t) { expired = true; }));
    auto st = loop_.run_until([&] { return expired || relay.drained(group); });
    loop_.unwatch(deadline->get());
    EXPECT_FALSE(expired) << "relay not drained within 60s";
    return st;
  }
};

TEST_F(RelayTest, CopiesAChildsStdoutAndStderrToTheirSinks) {
  Pipe out, err;
  const pid_t child = spawn({out.write.get(), err.write.get()}, [&] {
    write_all(out.write.get(), "hello\n");
    write_all(err.write.get(), "oops\n");
    write_all(out.write.get(), "no newline");
  });
  out.write.reset();
  err.write.reset();

  Fd out_file = open_file("stdout"), err_file = open_file("stderr");
  FdSink out_sink("stdout", out_file.get()), err_sink("stderr", err_file.get());
  JobLog log = open_log();
  Relay relay(loop_);
  ASSERT_TRUE(
      relay.add_source("job stdout", std::move(out.read), Stream::kStdout, {&out_sink, &log}));
  ASSERT_TRUE(
      relay.add_source("job stderr", std::move(err.read), Stream::kStderr, {&err_sink, &log}));
  ASSERT_TRUE(run_until_drained(relay));
  EXPECT_EQ(wait_exit(child), 0);

  EXPECT_EQ(read_file("stdout"), "hello\nno newline");
  EXPECT_EQ(read_file("stderr"), "oops\n");
  const auto records = read_log(dir_ / "job.log");
  EXPECT_EQ(stream_bytes(records, "stdout"), "hello\nno newline");
  EXPECT_EQ(stream_bytes(records, "stderr"), "oops\n");
  ASSERT_FALSE(records.empty());
  EXPECT_EQ(records.back().text, "no newline");  // the final partial line, at EOF
  EXPECT_TRUE(relay.notes().empty());
}

// Chunk by chunk, in the order they were read: one sink shared by both streams (2>&1) and the
// log see o1 e1 o2 e2.
TEST_F(RelayTest, InterleavingFollowsTheOrderOfReads) {
  Pipe out, err;
  Fd both_file = open_file("both");
  FdSink both("both", both_file.get());
  JobLog log = open_log();
  const int out_w = out.write.get(), err_w = err.write.get();
  Relay relay(loop_);
  ASSERT_TRUE(relay.add_source("out", std::move(out.read), Stream::kStdout, {&both, &log}));
  ASSERT_TRUE(relay.add_source("err", std::move(err.read), Stream::kStderr, {&both, &log}));
  for (const auto& [fd, text] : std::vector<std::pair<int, std::string>>{
           {out_w, "o1\n"}, {err_w, "e1\n"}, {out_w, "o2\n"}, {err_w, "e2\n"}}) {
    ASSERT_TRUE(write_all(fd, text));
    ASSERT_TRUE(loop_.run_once(1s));
  }
  out.write.reset();
  err.write.reset();
  ASSERT_TRUE(run_until_drained(relay));
  EXPECT_EQ(read_file("both"), "o1\ne1\no2\ne2\n");
  const auto records = read_log(dir_ / "job.log");
  ASSERT_EQ(records.size(), 4u);
  EXPECT_EQ(records[0].text, "o1\n");
  EXPECT_EQ(records[1].text, "e1\n");
  EXPECT_EQ(records[2].text, "o2\n");
  EXPECT_EQ(records[3].text, "e2\n");
}

// 100 MB through real pipes: a child writes 50 MB to each of its stdout and stderr in chunks of
// 1 byte to 128 KiB, alternating; stdout goes to a non-blocking pipe read by a checksumming
// child, stderr to a file, both to the job log. Every byte arrives, in order, everywhere.
TEST_F(RelayTest, HundredMegabytesWithoutLoss) {
  constexpr size_t kPerStream = 50 * 1024 * 1024;
  Fnv want_out, want_err;
  {
    testing::StreamGen out_gen('o'), err_gen('e');
    want_out.add(out_gen.next(kPerStream));
    want_err.add(err_gen.next(kPerStream));
  }

  Pipe sink_pipe, result;
  const pid_t reader = testing::spawn_checksummer(sink_pipe.read.get(), result.write.get());
  sink_pipe.read.reset();
  result.write.reset();

  Pipe out, err;
  const pid_t writer = spawn({out.write.get(), err.write.get()}, [&] {
    testing::StreamGen out_gen('o'), err_gen('e');
    size_t out_left = kPerStream, err_left = kPerStream;
    for (uint64_t i = 0; out_left || err_left; i += 2) {
      const size_t o = std::min(out_left, testing::chunk_size(i));
      const size_t e = std::min(err_left, testing::chunk_size(i + 1));
      if (o && !write_all(out.write.get(), out_gen.next(o))) ::_exit(1);
      if (e && !write_all(err.write.get(), err_gen.next(e))) ::_exit(1);
      out_left -= o;
      err_left -= e;
    }
  });
  out.write.reset();
  err.write.reset();

  auto stdout_fd = open_output(sink_pipe.write.get());
  ASSERT_TRUE(stdout_fd.ok());
  sink_pipe.write.reset();  // the reader's EOF comes when the relay's copy closes
  Fd err_file = open_file("stderr");
  FdSink out_sink("stdout", stdout_fd->get()), err_sink("stderr", err_file.get());
  JobLog log = open_log();
  {
    Relay relay(loop_);
    ASSERT_TRUE(
        relay.add_source("job stdout", std::move(out.read), Stream::kStdout, {&out_sink, &log}));
    ASSERT_TRUE(
        relay.add_source("job stderr", std::move(err.read), Stream::kStderr, {&err_sink, &log}));
    ASSERT_TRUE(run_until_drained(relay));
    EXPECT_TRUE(relay.notes().empty());
  }
  EXPECT_EQ(wait_exit(writer), 0);
  stdout_fd->reset();
  auto got = file::read_fd(result.read.get(), "checksum");
  EXPECT_EQ(wait_exit(reader), 0);
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(testing::parse_checksum(*got), want_out);

  Fnv err_got;
  err_got.add(read_file("stderr"));
  EXPECT_EQ(err_got, want_err);

  const auto records = read_log(dir_ / "job.log");
  Fnv log_out, log_err;
  log_out.add(stream_bytes(records, "stdout"));
  log_err.add(stream_bytes(records, "stderr"));
  EXPECT_EQ(log_out, want_out);
  EXPECT_EQ(log_err, want_err);
  // The two streams interleave in the log (as read), not one after the other.
  size_t switches = 0;
  for (size_t i = 1; i < records.size(); ++i)
    switches += records[i].stream != records[i - 1].stream;
  EXPECT_GT(switches, 100u);
}

// The reader of the shim's stdout goes away early: that sink is dropped with one note, the job's
// output keeps flowing into the log, and the writer is never blocked for good.
class EarlyCloseTest : public RelayTest, public ::testing::WithParamInterface<bool> {};

TEST_P(EarlyCloseTest, SinkReaderClosingEarlyLosesNothingElse) {
  const bool nonblocking = GetParam();
  constexpr size_t kTotal = 10 * 1024 * 1024;
  Pipe sink_pipe;
  const pid_t reader = spawn({sink_pipe.read.get()}, [&] {
    char buf[1000];
    (void)!::read(sink_pipe.read.get(), buf, sizeof buf);  // then exits: the pipe's reader is gone
  });
  sink_pipe.read.reset();
  Fd sink_fd = nonblocking ? std::move(open_output(sink_pipe.write.get())).value()
                           : std::move(sink_pipe.write);
  sink_pipe.write.reset();

  Pipe out;
  const pid_t writer = spawn({out.write.get()}, [&] {
    testing::StreamGen gen('o');
    for (size_t left = kTotal; left;) {
      const size_t n = std::min<size_t>(left, 65536);
      if (!write_all(out.write.get(), gen.next(n))) ::_exit(1);
      left -= n;
    }
  });
  out.write.reset();

  FdSink stdout_sink("stdout", sink_fd.get());
  JobLog log = open_log();
  std::vector<std::string> noted;
  Relay relay(loop_, {.on_note = [&](const std::string& text) {
                noted.push_back(text);
                (void)log.note(text);
              }});
  ASSERT_TRUE(
      relay.add_source("job stdout", std::move(out.read), Stream::kStdout, {&stdout_sink, &log}));
  ASSERT_TRUE(run_until_drained(relay));
  EXPECT_EQ(wait_exit(writer), 0);
  EXPECT_EQ(wait_exit(reader), 0);

  EXPECT_TRUE(relay.dropped(&stdout_sink));
  ASSERT_EQ(noted.size(), 1u);
  EXPECT_NE(noted[0].find("dropped stdout"), std::string::npos) << noted[0];
  EXPECT_NE(noted[0].find("Broken pipe"), std::string::npos) << noted[0];

  const auto records = read_log(dir_ / "job.log");
  testing::StreamGen gen('o');
  EXPECT_TRUE(stream_bytes(records, "stdout") == gen.next(kTotal));
  EXPECT_EQ(stream_bytes(records, "system"), noted[0] + "\n");
}

INSTANTIATE_TEST_SUITE_P(Sinks, EarlyCloseTest, ::testing::Values(false, true),
                         [](const auto& info) { return info.param ? "nonblocking" : "blocking"; });

// A stdout reader that does not read for a while: the relay queues at most about high water,
// stops reading the job (back-pressure), and the loop still serves a timer meanwhile. When the
// reader starts, every byte arrives.
TEST_F(RelayTest, SlowReaderGivesBackPressureNotLossAndTheLoopStaysLive) {
  constexpr size_t kTotal = 4 * 1024 * 1024;
  constexpr size_t kHighWater = 256 * 1024;
  constexpr size_t kReadSize = 64 * 1024;
  Pipe sink_pipe;
  auto sink_fd = open_output(sink_pipe.write.get());
  ASSERT_TRUE(sink_fd.ok());
  sink_pipe.write.reset();

  Pipe out;
  const pid_t writer = spawn({out.write.get()}, [&] {
    testing::StreamGen gen('o');
    for (size_t left = kTotal; left;) {
      const size_t n = std::min<size_t>(left, 100'000);
      if (!write_all(out.write.get(), gen.next(n))) ::_exit(1);
      left -= n;
    }
  });
  out.write.reset();

  FdSink sink("stdout", sink_fd->get());
  Relay relay(loop_, {.read_size = kReadSize, .high_water = kHighWater, .on_note = {}});
  ASSERT_TRUE(relay.add_source("job stdout", std::move(out.read), Stream::kStdout, {&sink}));

  std::string received;
  bool timer_fired = false;
  size_t pending_while_stalled = 0;
  auto timer = make_timer(300ms);
  ASSERT_TRUE(timer.ok());
  const int reader_fd = sink_pipe.read.get();
  ASSERT_TRUE(loop_.watch(timer->get(), EPOLLIN, [&](uint32_t) {
    timer_fired = true;
    pending_while_stalled = sink.pending();
    loop_.unwatch(timer->get());
    // Now read, from the same loop.
    ASSERT_TRUE(loop_.watch(reader_fd, EPOLLIN, [&](uint32_t) {
      char buf[65536];
      const ssize_t n = ::read(reader_fd, buf, sizeof buf);
      if (n > 0) received.append(buf, static_cast<size_t>(n));
    }));
  }));
  ASSERT_TRUE(loop_.run_until([&] { return relay.drained() && received.size() == kTotal; }));
  loop_.unwatch(reader_fd);
  EXPECT_EQ(wait_exit(writer), 0);

  EXPECT_TRUE(timer_fired);
  EXPECT_GE(pending_while_stalled, kHighWater);              // stalled at high water...
  EXPECT_LE(pending_while_stalled, kHighWater + kReadSize);  // ...and no further
  testing::StreamGen gen('o');
  EXPECT_TRUE(received == gen.next(kTotal));
  EXPECT_TRUE(relay.notes().empty());
}

TEST_F(RelayTest, FailingLogIsDroppedAndStdoutStillGetsEverything) {
  auto full = JobLog::open("/dev/full");  // every write: ENOSPC
  ASSERT_TRUE(full.ok());
  Pipe out;
  ASSERT_TRUE(write_all(out.write.get(), "one\ntwo\n"));
  out.write.reset();
  Fd out_file = open_file("stdout");
  FdSink out_sink("stdout", out_file.get());
  Relay relay(loop_);
  ASSERT_TRUE(
      relay.add_source("job stdout", std::move(out.read), Stream::kStdout, {&*full, &out_sink}));
  ASSERT_TRUE(run_until_drained(relay));
  EXPECT_TRUE(relay.dropped(&*full));
  ASSERT_EQ(relay.notes().size(), 1u);
  EXPECT_NE(relay.notes()[0].find("No space left on device"), std::string::npos);
  EXPECT_EQ(read_file("stdout"), "one\ntwo\n");
}

TEST_F(RelayTest, GroupsDrainSeparately) {
  Pipe job, service;
  JobLog job_log = open_log("job.log"), service_log = open_log("redis.log");
  Relay relay(loop_);
  ASSERT_TRUE(relay.add_source("job stdout", std::move(job.read), Stream::kStdout, {&job_log}));
  ASSERT_TRUE(relay.add_source("redis stdout", std::move(service.read), Stream::kStdout,
                               {&service_log}, "service redis"));
  ASSERT_TRUE(write_all(service.write.get(), "ready\n"));
  job.write.reset();
  ASSERT_TRUE(run_until_drained(relay, "job"));
  EXPECT_FALSE(relay.drained("service redis"));
  EXPECT_FALSE(relay.drained());
  service.write.reset();
  ASSERT_TRUE(run_until_drained(relay, "service redis"));
  EXPECT_TRUE(relay.drained());
  EXPECT_EQ(stream_bytes(read_log(dir_ / "redis.log"), "stdout"), "ready\n");
  EXPECT_TRUE(relay.drained("no such group"));
}

TEST_F(RelayTest, ChunksAreRelayedAsTheyArriveNotAtEof) {
  Pipe out;
  Fd out_file = open_file("stdout");
  FdSink sink("stdout", out_file.get());
  Relay relay(loop_);
  ASSERT_TRUE(relay.add_source("job stdout", std::move(out.read), Stream::kStdout, {&sink}));
  ASSERT_TRUE(write_all(out.write.get(), "partial"));
  ASSERT_TRUE(loop_.run_once(1s));
  EXPECT_EQ(read_file("stdout"), "partial");  // no newline needed, writer still open
  EXPECT_FALSE(relay.drained());
}

TEST(OpenOutput, PipeGetsItsOwnNonBlockingDescription) {
  Pipe p;
  auto fd = open_output(p.write.get());
  ASSERT_TRUE(fd.ok());
  EXPECT_TRUE(::fcntl(fd->get(), F_GETFL) & O_NONBLOCK);
  EXPECT_FALSE(::fcntl(p.write.get(), F_GETFL) & O_NONBLOCK);  // the runner's is untouched
  EXPECT_TRUE(::fcntl(fd->get(), F_GETFD) & FD_CLOEXEC);
}

TEST(OpenOutput, RegularFileIsAPlainDuplicate) {
  TempDir dir;
  Fd f(::open((dir / "f").c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, 0644));
  auto fd = open_output(f.get());
  ASSERT_TRUE(fd.ok());
  EXPECT_FALSE(::fcntl(fd->get(), F_GETFL) & O_NONBLOCK);
}

}  // namespace
}  // namespace burrow::shim::io
