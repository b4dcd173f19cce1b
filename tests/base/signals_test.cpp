#include "base/signals.hpp"

#include <gtest/gtest.h>

#include <csignal>

namespace burrow {
namespace {

int parsed(std::string_view text) {
  auto result = parse_signal(text);
  EXPECT_TRUE(result.ok()) << text << ": " << (result.ok() ? "" : result.error().message);
  return result.ok() ? *result : -1;
}

std::string failure(std::string_view text) {
  auto result = parse_signal(text);
  EXPECT_FALSE(result.ok()) << text;
  return result.ok() ? "" : result.error().message;
}

TEST(ParseSignal, NamesWithAndWithoutPrefixInAnyCase) {
  EXPECT_EQ(parsed("KILL"), 9);
  EXPECT_EQ(parsed("SIGKILL"), 9);
  EXPECT_EQ(parsed("kill"), 9);
  EXPECT_EQ(parsed("sigkill"), 9);
  EXPECT_EQ(parsed("SigTerm"), 15);
  EXPECT_EQ(parsed("HUP"), 1);
  EXPECT_EQ(parsed("USR1"), 10);
  EXPECT_EQ(parsed("WINCH"), 28);
  EXPECT_EQ(parsed("SIGSYS"), 31);
}

TEST(ParseSignal, Numbers) {
  EXPECT_EQ(parsed("9"), 9);
  EXPECT_EQ(parsed("15"), 15);
  EXPECT_EQ(parsed("+2"), 2);  // Go's Atoi, which runc uses, takes a sign
  EXPECT_EQ(parsed("0"), 0);   // kill(2)'s existence probe
  EXPECT_EQ(parsed("64"), SIGRTMAX);
}

TEST(ParseSignal, RealTimeNamesAsDockerWritesThem) {
  EXPECT_EQ(parsed("RTMIN"), SIGRTMIN);
  EXPECT_EQ(parsed("RTMIN+3"), SIGRTMIN + 3);
  EXPECT_EQ(parsed("sigrtmax-1"), SIGRTMAX - 1);
  EXPECT_EQ(parsed("SIGRTMAX"), SIGRTMAX);
}

TEST(ParseSignal, RejectsWhatRuncRejectsWithItsText) {
  EXPECT_EQ(failure("FOO"), "unknown signal \"FOO\"");
  EXPECT_EQ(failure("sigfoo"), "unknown signal \"sigfoo\"");
  EXPECT_EQ(failure(""), "unknown signal \"\"");
  EXPECT_EQ(failure("IOT"), "unknown signal \"IOT\"");  // an alias Go's table does not know
  EXPECT_EQ(failure("RTMIN+99"), "unknown signal \"RTMIN+99\"");
  EXPECT_EQ(failure("RTMIN-1"), "unknown signal \"RTMIN-1\"");
  EXPECT_EQ(failure("9x"), "unknown signal \"9x\"");
  EXPECT_EQ(failure("65"), "invalid signal number 65");
  EXPECT_EQ(failure("-9"), "invalid signal number -9");
}

TEST(SignalName, NamesAndFallback) {
  EXPECT_EQ(signal_name(9), "SIGKILL");
  EXPECT_EQ(signal_name(15), "SIGTERM");
  EXPECT_EQ(signal_name(1), "SIGHUP");
  EXPECT_EQ(signal_name(31), "SIGSYS");
  EXPECT_EQ(signal_name(SIGRTMIN), "SIGRTMIN");
  EXPECT_EQ(signal_name(SIGRTMIN + 2), "SIGRTMIN+2");
  EXPECT_EQ(signal_name(SIGRTMAX - 1), "SIGRTMAX-1");
  EXPECT_EQ(signal_name(SIGRTMAX), "SIGRTMAX");
  EXPECT_EQ(signal_name(0), "SIG0");
  EXPECT_EQ(signal_name(200), "SIG200");
}

TEST(SignalName, RoundTripsThroughParse) {
  for (int signal = 1; signal <= SIGRTMAX; ++signal) {
    if (signal == 32 || signal == 33) continue;  // reserved by glibc, no name
    EXPECT_EQ(parsed(signal_name(signal)), signal) << signal_name(signal);
  }
}

}  // namespace
}  // namespace burrow
