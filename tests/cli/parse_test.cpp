#include "cli/parse.hpp"

#include <gtest/gtest.h>
#include <seccomp.h>
#include <unistd.h>

#include <filesystem>

namespace burrow::cli {
namespace {

using namespace burrow::container;

std::string cwd() {
  return std::filesystem::current_path().string();
}

ParsedCommand parsed(const std::vector<std::string>& args) {
  auto result = parse_command_line(args);
  if (!result.ok()) {
    ADD_FAILURE() << "parse failed: " << result.error().message;
    return {};
  }
  return std::move(result).value();
}

template <typename T>
T command(const std::vector<std::string>& args) {
  ParsedCommand p = parsed(args);
  if (!std::holds_alternative<T>(p.command)) {
    ADD_FAILURE() << "wrong command type, index " << p.command.index();
    return T{};
  }
  return std::get<T>(p.command);
}

std::string failure(const std::vector<std::string>& args) {
  auto result = parse_command_line(args);
  if (result.ok()) {
    ADD_FAILURE() << "parse succeeded";
    return "";
  }
  return result.error().message;
}

TEST(GlobalOptions, Defaults) {
  const GlobalOptions g = parsed({"list"}).global;
  // Rootless (not root here): $XDG_RUNTIME_DIR/burrow; rootless.hpp's own tests cover that.
  if (geteuid() == 0) {
    EXPECT_EQ(g.root, "/run/burrow");
  }
  EXPECT_EQ(g.is_rootless, geteuid() != 0);
  EXPECT_EQ(g.log_file, "");
  EXPECT_EQ(g.log_format, LogFormat::text);
  EXPECT_FALSE(g.debug);
  EXPECT_FALSE(g.systemd_cgroup);
  EXPECT_EQ(g.rootless, RootlessMode::automatic);
}

TEST(GlobalOptions, AsGoRuncPassesThem) {
  const GlobalOptions g =
      parsed({"--root", "/run/containerd/runc/default", "--log", "/run/x/log.json", "--log-format",
              "json", "--debug", "--systemd-cgroup", "--rootless=true", "--criu", "/usr/sbin/criu",
              "state", "c1"})
          .global;
  EXPECT_EQ(g.root, "/run/containerd/runc/default");
  EXPECT_EQ(g.log_file, "/run/x/log.json");
  EXPECT_EQ(g.log_format, LogFormat::json);
  EXPECT_TRUE(g.debug);
  EXPECT_TRUE(g.systemd_cgroup);
  EXPECT_EQ(g.rootless, RootlessMode::yes);
}

TEST(GlobalOptions, SingleDashAndEqualsForms) {
  const GlobalOptions g =
      parsed({"-root=/tmp/r/", "-log-format=json", "-debug=false", "-rootless", "true", "list"})
          .global;
  EXPECT_EQ(g.root, "/tmp/r");
  EXPECT_EQ(g.log_format, LogFormat::json);
  EXPECT_FALSE(g.debug);
  EXPECT_EQ(g.rootless, RootlessMode::yes);
  EXPECT_TRUE(g.is_rootless);
  EXPECT_EQ(parsed({"--rootless", "AUTO", "list"}).global.rootless, RootlessMode::automatic);
}

TEST(GlobalOptions, RootlessFalseOnlyForRoot) {
  if (geteuid() != 0) {
    EXPECT_NE(failure({"--rootless", "false", "list"}).find("--rootless false: burrow runs as uid"),
              std::string::npos);
    return;
  }
  const GlobalOptions g = parsed({"-rootless", "false", "list"}).global;
  EXPECT_EQ(g.rootless, RootlessMode::no);
  EXPECT_FALSE(g.is_rootless);
}

TEST(GlobalOptions, RelativeRootIsMadeAbsolute) {
  EXPECT_EQ(parsed({"--root", "state-dir/./x", "list"}).global.root, cwd() + "/state-dir/x");
}

TEST(GlobalOptions, Errors) {
  EXPECT_EQ(failure({"--log-format", "xml", "list"}), "invalid log-format: xml");
  EXPECT_EQ(failure({"--rootless", "maybe", "list"}),
            "invalid --rootless value \"maybe\": use true, false or auto");
  EXPECT_EQ(failure({"--root", "/", "list"}), "option --root argument should not be set to /");
  EXPECT_EQ(failure({"--bogus", "list"}), "flag provided but not defined: -bogus");
  EXPECT_EQ(failure({"-x", "list"}), "flag provided but not defined: -x");
  EXPECT_EQ(failure({"--root"}), "flag needs an argument: -root");
  EXPECT_EQ(failure({"---root", "x"}), "bad flag syntax: ---root");
  EXPECT_EQ(failure({"--debug=maybe", "list"}),
            "invalid boolean value \"maybe\" for -debug: parse error");
  EXPECT_EQ(failure({"frobnicate", "c1"}), "unknown command \"frobnicate\" (see burrow --help)");
}

TEST(GlobalOptions, GlobalFlagsStopAtTheCommand) {
  // --debug after the command is the command's flag, and create has none by that name.
  EXPECT_EQ(failure({"create", "--debug", "c1"}), "flag provided but not defined: -debug");
}

TEST(VersionAndHelp, Version) {
  EXPECT_TRUE(std::holds_alternative<Version>(parsed({"--version"}).command));
  EXPECT_TRUE(std::holds_alternative<Version>(parsed({"-v"}).command));
  const struct scmp_version* seccomp = seccomp_version();
  ASSERT_NE(seccomp, nullptr);
  EXPECT_EQ(version_text(),
            "burrow version 0.1.0\nspec: 1.2.0\nlibseccomp: " + std::to_string(seccomp->major) +
                "." + std::to_string(seccomp->minor) + "." + std::to_string(seccomp->micro) + "\n");
}

TEST(VersionAndHelp, ProgramHelpListsCommandsAndGlobalFlags) {
  for (const auto& args : std::vector<std::vector<std::string>>{{}, {"--help"}, {"-h"}, {"help"}}) {
    const std::string text = command<Help>(args).text;
    for (const char* word :
         {"create", "start", "run", "state", "kill", "delete", "list", "spec", "--root", "--log ",
          "--log-format", "--debug", "--systemd-cgroup", "--rootless", "--version", "--help"}) {
      EXPECT_NE(text.find(word), std::string::npos) << word;
    }
    EXPECT_EQ(text.find("--criu"), std::string::npos);  // accepted, not advertised
  }
}

TEST(VersionAndHelp, CommandHelpListsEveryOption) {
  const std::string create = command<Help>({"create", "--help"}).text;
  EXPECT_EQ(create.find("NAME:\n   burrow create - create a container\n\nUSAGE:\n   burrow create "
                        "[command options] <container-id>\n"),
            0u);
  for (const char* word : {"--bundle", "-b", "--pid-file", "--console-socket", "--no-pivot",
                           "--no-new-keyring", "--preserve-fds", "--help"}) {
    EXPECT_NE(create.find(word), std::string::npos) << word;
  }
  const std::string run = command<Help>({"help", "run"}).text;
  for (const char* word : {"--bundle", "--detach", "-d", "--keep", "--preserve-fds"}) {
    EXPECT_NE(run.find(word), std::string::npos) << word;
  }
  EXPECT_NE(command<Help>({"kill", "-h"}).text.find("<container-id> [signal]"), std::string::npos);
  EXPECT_NE(command<Help>({"kill", "-h"}).text.find("--all"), std::string::npos);
  for (const char* word : {"--resources", "--memory", "--memory-swap", "--cpu-quota",
                           "--cpuset-cpus", "--pids-limit", "--blkio-weight"}) {
    EXPECT_NE(command<Help>({"update", "-h"}).text.find(word), std::string::npos) << word;
  }
  EXPECT_NE(command<Help>({"events", "-h"}).text.find("--interval"), std::string::npos);
  EXPECT_NE(command<Help>({"delete", "-h"}).text.find("--force"), std::string::npos);
  EXPECT_NE(command<Help>({"list", "-h"}).text.find("--quiet"), std::string::npos);
  EXPECT_NE(command<Help>({"spec", "-h"}).text.find("--rootless"), std::string::npos);
  EXPECT_EQ(failure({"help", "nope"}), "no help topic for \"nope\"");
}

TEST(CgroupCommands, PauseResumeUpdateEvents) {
  EXPECT_EQ(command<container::PauseOptions>({"pause", "c1"}).id, "c1");
  EXPECT_EQ(command<container::ResumeOptions>({"resume", "c1"}).id, "c1");
  auto update = command<container::UpdateOptions>(
      {"update", "--memory", "64m", "-pids-limit=20", "--cpu-share", "512", "c1"});
  EXPECT_EQ(update.id, "c1");
  EXPECT_EQ(update.resources_path, "");
  using Field = std::pair<std::string, std::string>;
  EXPECT_EQ(update.fields,
            (std::vector<Field>{{"cpu-share", "512"}, {"memory", "64m"}, {"pids-limit", "20"}}));
  EXPECT_EQ(command<container::UpdateOptions>({"update", "-r", "-", "c1"}).resources_path, "-");
  auto ps = command<container::PsOptions>({"ps", "-f", "json", "c1"});
  EXPECT_EQ(ps.format, container::PsFormat::json);
  EXPECT_TRUE(ps.ps_args.empty());
  ps = command<container::PsOptions>({"ps", "c1", "-o", "pid,comm"});
  EXPECT_EQ(ps.format, container::PsFormat::table);
  EXPECT_EQ(ps.ps_args, (std::vector<std::string>{"-o", "pid,comm"}));
  EXPECT_EQ(failure({"ps", "--format", "xml", "c1"}), "invalid format option");
  auto events = command<container::EventsOptions>({"events", "c1"});
  EXPECT_FALSE(events.stats);
  EXPECT_EQ(events.interval_ms, 5000u);
  events = command<container::EventsOptions>({"events", "--stats", "--interval", "250ms", "c1"});
  EXPECT_TRUE(events.stats);
  EXPECT_EQ(events.interval_ms, 250u);
  EXPECT_EQ(command<container::EventsOptions>({"events", "--interval=1m", "c1"}).interval_ms,
            60000u);
  EXPECT_EQ(failure({"events", "--interval", "5", "c1"}),
            "invalid value \"5\" for flag -interval: parse error");
}

}  // namespace
}  // namespace burrow::cli
