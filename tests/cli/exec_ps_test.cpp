// exec and ps on the command line: runc 1.1's flags, slice flags that repeat, and that nothing
// after the id (the command) is read as a flag.
#include <gtest/gtest.h>

#include <filesystem>

#include "cli/parse.hpp"

namespace burrow::cli {
namespace {

using namespace burrow::container;

Result<ExecOptions> exec_options(const std::vector<std::string>& args) {
  auto parsed = parse_command_line(args);
  if (!parsed) return std::move(parsed).error();
  if (!std::holds_alternative<ExecOptions>(parsed->command)) return Error::msg("not exec");
  return std::get<ExecOptions>(parsed->command);
}

TEST(Exec, CommandAfterTheIdKeepsItsFlags) {
  auto e = exec_options({"exec", "c1", "sh", "-c", "echo hi", "--env", "X=1"});
  ASSERT_TRUE(e.ok()) << e.error().message;
  EXPECT_EQ(e->id, "c1");
  EXPECT_EQ(e->args, (std::vector<std::string>{"sh", "-c", "echo hi", "--env", "X=1"}));
  EXPECT_TRUE(e->env.empty());
  EXPECT_FALSE(e->detach);
  EXPECT_FALSE(e->no_new_privs.has_value());
  EXPECT_FALSE(e->uid.has_value());
  EXPECT_EQ(e->preserve_fds, 0u);
}

TEST(Exec, EveryFlagAsContainerdAndDockerPassThem) {
  auto e = exec_options({"exec",
                         "--process",
                         "p.json",
                         "--detach",
                         "--pid-file",
                         "/run/e.pid",
                         "--cwd",
                         "/tmp",
                         "-e",
                         "A=1",
                         "--env",
                         "B=2",
                         "-u",
                         "1:2",
                         "-g",
                         "10",
                         "--additional-gids=11",
                         "--cap",
                         "CAP_KILL",
                         "-c",
                         "CAP_CHOWN",
                         "--no-new-privs",
                         "--preserve-fds",
                         "2",
                         "--ignore-paused",
                         "c1"});
  ASSERT_TRUE(e.ok()) << e.error().message;
  EXPECT_EQ(e->process_file, std::filesystem::current_path().string() + "/p.json");
  EXPECT_TRUE(e->detach);
  EXPECT_EQ(e->pid_file, "/run/e.pid");
  EXPECT_EQ(e->cwd, "/tmp");
  EXPECT_EQ(e->env, (std::vector<std::string>{"A=1", "B=2"}));
  EXPECT_EQ(e->uid, 1u);
  EXPECT_EQ(e->gid, 2u);
  EXPECT_EQ(e->additional_gids, (std::vector<uint32_t>{10, 11}));
  EXPECT_EQ(e->caps, (std::vector<std::string>{"CAP_KILL", "CAP_CHOWN"}));
  EXPECT_EQ(e->no_new_privs, true);
  EXPECT_EQ(e->preserve_fds, 2u);
  EXPECT_TRUE(e->ignore_paused);
  EXPECT_TRUE(e->args.empty());
}

TEST(Exec, UserWithoutGidAndExplicitFalse) {
  auto e = exec_options({"exec", "-u", "1000", "--no-new-privs=false", "c1", "id"});
  ASSERT_TRUE(e.ok()) << e.error().message;
  EXPECT_EQ(e->uid, 1000u);
  EXPECT_FALSE(e->gid.has_value());
  EXPECT_EQ(e->no_new_privs, false);
}

TEST(Exec, Errors) {
  auto message = [](const std::vector<std::string>& args) {
    auto e = exec_options(args);
    return e.ok() ? std::string("parsed") : e.error().message;
  };
  EXPECT_EQ(message({"exec"}), "burrow: \"exec\" requires a minimum of 1 argument(s)");
  EXPECT_EQ(message({"exec", "-u", "x", "c1", "id"}),
            "parsing x as int for uid failed: strconv.Atoi: parsing \"x\": invalid syntax");
  EXPECT_EQ(message({"exec", "-u", "1:y", "c1", "id"}),
            "parsing y as int for gid failed: strconv.Atoi: parsing \"y\": invalid syntax");
  EXPECT_EQ(message({"exec", "-g", "-5", "c1", "id"}),
            "additional-gids must be a positive number -5");
  EXPECT_EQ(message({"exec", "-g", "abc", "c1", "id"}),
            "invalid value \"abc\" for flag -additional-gids: parse error");
  EXPECT_EQ(message({"exec", "--preserve-fds", "x", "c1", "id"}),
            "invalid value \"x\" for flag -preserve-fds: parse error");
  EXPECT_EQ(message({"exec", "--bogus", "c1", "id"}), "flag provided but not defined: -bogus");
}

Result<PsOptions> ps_options(const std::vector<std::string>& args) {
  auto parsed = parse_command_line(args);
  if (!parsed) return std::move(parsed).error();
  return std::get<PsOptions>(parsed->command);
}

TEST(Ps, FormatAndPsOptions) {
  auto p = ps_options({"ps", "c1"});
  ASSERT_TRUE(p.ok()) << p.error().message;
  EXPECT_EQ(p->format, PsFormat::table);
  EXPECT_TRUE(p->ps_args.empty());
  p = ps_options({"ps", "-f", "json", "c1"});
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->format, PsFormat::json);
  p = ps_options({"ps", "c1", "-o", "pid,comm", "-f"});
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->ps_args, (std::vector<std::string>{"-o", "pid,comm", "-f"}));
  EXPECT_EQ(ps_options({"ps", "--format", "xml", "c1"}).error().message, "invalid format option");
  EXPECT_EQ(ps_options({"ps"}).error().message,
            "burrow: \"ps\" requires a minimum of 1 argument(s)");
}

}  // namespace
}  // namespace burrow::cli
