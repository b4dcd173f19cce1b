#include "container/ps_table.hpp"

#include <gtest/gtest.h>

namespace burrow::container {
namespace {

TEST(PsTable, PidsJsonAsRuncEncodesThem) {
  EXPECT_EQ(pids_json({}), "null");
  EXPECT_EQ(pids_json({42}), "[42]");
  EXPECT_EQ(pids_json({42, 7}), "[42,7]");
}

TEST(PsTable, KeepsTheHeaderAndTheContainersRows) {
  const std::string output =
      "UID        PID  PPID  C STIME TTY          TIME CMD\n"
      "root         1     0  0 10:00 ?        00:00:01 /sbin/init\n"
      "root       100     1  0 10:01 ?        00:00:00 /probe sleep 600\n"
      "root       101   100  0 10:01 ?        00:00:00 sh -c echo 1 2\n"
      "root      1000     1  0 10:02 ?        00:00:00 bash\n";
  auto rows = filter_ps_rows(output, {100, 101});
  ASSERT_TRUE(rows.ok()) << rows.error().message;
  EXPECT_EQ(*rows,
            "UID        PID  PPID  C STIME TTY          TIME CMD\n"
            "root       100     1  0 10:01 ?        00:00:00 /probe sleep 600\n"
            "root       101   100  0 10:01 ?        00:00:00 sh -c echo 1 2\n");
}

TEST(PsTable, PidColumnAnywhere) {
  auto rows = filter_ps_rows("COMMAND PID\nsleep 5\nsh 6\n", {6});
  ASSERT_TRUE(rows.ok()) << rows.error().message;
  EXPECT_EQ(*rows, "COMMAND PID\nsh 6\n");
  rows = filter_ps_rows("  PID\n", {6});
  ASSERT_TRUE(rows.ok());
  EXPECT_EQ(*rows, "  PID\n") << "the header even with no rows";
}

TEST(PsTable, RuncsErrors) {
  EXPECT_EQ(filter_ps_rows("USER COMMAND\nroot sh\n", {1}).error().message,
            "couldn't find PID field in ps output");
  EXPECT_EQ(filter_ps_rows("PID CMD\nx sh\n", {1}).error().message, "unable to parse pid: x");
}

}  // namespace
}  // namespace burrow::container
