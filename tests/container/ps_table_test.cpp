#include <gtest/gtest.h>

#include "container/operations.hpp"

namespace burrow::container {
namespace {

TEST(PsTable, KeepsHeaderAndTheContainersLines) {
  std::string out =
      "UID          PID    PPID  C STIME TTY          TIME CMD\n"
      "root           1       0  0 10:00 ?        00:00:01 /sbin/init\n"
      "root         420       1  0 10:01 ?        00:00:00 sleep 100\n"
      "root         421     420  0 10:01 ?        00:00:00 sh -c x\n";
  auto table = ps_table(out, {420, 421});
  ASSERT_TRUE(table.ok()) << table.error().message;
  EXPECT_EQ(*table,
            "UID          PID    PPID  C STIME TTY          TIME CMD\n"
            "root         420       1  0 10:01 ?        00:00:00 sleep 100\n"
            "root         421     420  0 10:01 ?        00:00:00 sh -c x\n");
  EXPECT_EQ(ps_table("USER COMMAND\nroot x\n", {1}).error().message,
            "couldn't find PID field in ps output");
}

}  // namespace
}  // namespace burrow::container
