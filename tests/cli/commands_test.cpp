#include <gtest/gtest.h>

#include <filesystem>

#include "cli/parse.hpp"

namespace burrow::cli {
namespace {

using namespace burrow::container;

std::string cwd() {
  return std::filesystem::current_path().string();
}

template <typename T>
T command(const std::vector<std::string>& args) {
  auto result = parse_command_line(args);
  if (!result.ok()) {
    ADD_FAILURE() << "parse failed: " << result.error().message;
    return T{};
  }
  if (!std::holds_alternative<T>(result->command)) {
    ADD_FAILURE() << "wrong command type, index " << result->command.index();
    return T{};
  }
  return std::get<T>(result->command);
}

std::string failure(const std::vector<std::string>& args) {
  auto result = parse_command_line(args);
  if (result.ok()) {
    ADD_FAILURE() << "parse succeeded";
    return "";
  }
  return result.error().message;
}

TEST(Create, Defaults) {
  const auto c = command<CreateOptions>({"create", "c1"});
  EXPECT_EQ(c.id, "c1");
  EXPECT_EQ(c.bundle, cwd());
  EXPECT_EQ(c.pid_file, "");
  EXPECT_EQ(c.console_socket, "");
  EXPECT_FALSE(c.no_pivot);
  EXPECT_FALSE(c.no_new_keyring);
  EXPECT_EQ(c.preserve_fds, 0u);
}

TEST(Create, AsGoRuncAndConmonPassIt) {
  const auto c = command<CreateOptions>(
      {"create", "--bundle", "/run/b", "--pid-file", "/run/b/init.pid", "--console-socket",
       "/tmp/pty.sock", "--no-pivot", "--no-new-keyring", "--preserve-fds", "2", "c1"});
  EXPECT_EQ(c.id, "c1");
  EXPECT_EQ(c.bundle, "/run/b");
  EXPECT_EQ(c.pid_file, "/run/b/init.pid");
  EXPECT_EQ(c.console_socket, "/tmp/pty.sock");
  EXPECT_TRUE(c.no_pivot);
  EXPECT_TRUE(c.no_new_keyring);
  EXPECT_EQ(c.preserve_fds, 2u);
}

TEST(Create, SingleDashShortAndEqualsForms) {
  auto c = command<CreateOptions>({"create", "-bundle", "/b1", "c1"});
  EXPECT_EQ(c.bundle, "/b1");
  c = command<CreateOptions>({"create", "-b", "/b2", "c1"});
  EXPECT_EQ(c.bundle, "/b2");
  c = command<CreateOptions>({"create", "--b=/b3", "-pid-file=p", "--preserve-fds=1", "c1"});
  EXPECT_EQ(c.bundle, "/b3");
  EXPECT_EQ(c.pid_file, cwd() + "/p");
  EXPECT_EQ(c.preserve_fds, 1u);
  c = command<CreateOptions>({"create", "--bundle", "rel/dir/", "c1"});
  EXPECT_EQ(c.bundle, cwd() + "/rel/dir");
}

TEST(Create, FlagsAfterTheIdAsRuncAllows) {
  const auto c = command<CreateOptions>({"create", "c1", "--bundle", "/b", "--no-pivot"});
  EXPECT_EQ(c.id, "c1");
  EXPECT_EQ(c.bundle, "/b");
  EXPECT_TRUE(c.no_pivot);
}

TEST(Create, DoubleDashEndsFlags) {
  EXPECT_EQ(command<CreateOptions>({"create", "--", "-odd-id"}).id, "-odd-id");
}

TEST(Create, Errors) {
  EXPECT_EQ(failure({"create"}), "burrow: \"create\" requires exactly 1 argument(s)");
  EXPECT_EQ(failure({"create", "a", "b"}), "burrow: \"create\" requires exactly 1 argument(s)");
  EXPECT_EQ(failure({"create", "--bogus", "c1"}), "flag provided but not defined: -bogus");
  EXPECT_EQ(failure({"create", "-b"}), "flag needs an argument: -b");
  EXPECT_EQ(failure({"create", "--preserve-fds", "abc", "c1"}),
            "invalid value \"abc\" for flag -preserve-fds: parse error");
  EXPECT_EQ(failure({"create", "--preserve-fds", "-1", "c1"}),
            "invalid value \"-1\" for flag -preserve-fds: parse error");
  EXPECT_EQ(failure({"create", "--detach", "c1"}), "flag provided but not defined: -detach");
}

TEST(Run, CreateFlagsPlusDetachAndKeep) {
  auto r = command<RunOptions>({"run", "-d", "--keep", "-b", "/b", "--pid-file", "/p", "c1"});
  EXPECT_EQ(r.create.id, "c1");
  EXPECT_EQ(r.create.bundle, "/b");
  EXPECT_EQ(r.create.pid_file, "/p");
  EXPECT_TRUE(r.detach);
  EXPECT_TRUE(r.keep);
  r = command<RunOptions>({"run", "--detach=false", "c2"});
  EXPECT_EQ(r.create.id, "c2");
  EXPECT_EQ(r.create.bundle, cwd());
  EXPECT_FALSE(r.detach);
  EXPECT_FALSE(r.keep);
  EXPECT_EQ(failure({"run"}), "burrow: \"run\" requires exactly 1 argument(s)");
}

TEST(StartAndState, TakeExactlyTheId) {
  EXPECT_EQ(command<StartOptions>({"start", "c1"}).id, "c1");
  EXPECT_EQ(command<StateOptions>({"state", "c1"}).id, "c1");
  EXPECT_EQ(failure({"start"}), "burrow: \"start\" requires exactly 1 argument(s)");
  EXPECT_EQ(failure({"state", "a", "b"}), "burrow: \"state\" requires exactly 1 argument(s)");
  EXPECT_EQ(failure({"state", "--force", "c1"}), "flag provided but not defined: -force");
}

TEST(Kill, DefaultSignalIsTerm) {
  const auto k = command<KillOptions>({"kill", "c1"});
  EXPECT_EQ(k.id, "c1");
  EXPECT_EQ(k.signal, 15);
  EXPECT_FALSE(k.all);
}

TEST(Kill, SignalByNameOrNumber) {
  EXPECT_EQ(command<KillOptions>({"kill", "c1", "KILL"}).signal, 9);
  EXPECT_EQ(command<KillOptions>({"kill", "c1", "SIGKILL"}).signal, 9);
  EXPECT_EQ(command<KillOptions>({"kill", "c1", "hup"}).signal, 1);
  EXPECT_EQ(command<KillOptions>({"kill", "c1", "9"}).signal, 9);  // go-runc passes numbers
  EXPECT_EQ(command<KillOptions>({"kill", "--all", "c1", "9"}).all, true);
  EXPECT_EQ(command<KillOptions>({"kill", "-a", "c1"}).all, true);
}

TEST(Kill, NothingAfterTheIdIsAFlag) {
  // runc stops at the id for kill: a word after it is the signal, never a flag.
  EXPECT_EQ(failure({"kill", "c1", "-9"}), "invalid signal number -9");
  EXPECT_EQ(failure({"kill", "c1", "--all"}), "unknown signal \"--all\"");
  EXPECT_EQ(failure({"kill", "c1", "KILL", "--all"}),
            "burrow: \"kill\" requires a maximum of 2 argument(s)");
}

TEST(Kill, Errors) {
  EXPECT_EQ(failure({"kill"}), "burrow: \"kill\" requires a minimum of 1 argument(s)");
  EXPECT_EQ(failure({"kill", "c1", "FOO"}), "unknown signal \"FOO\"");
}

TEST(Delete, Force) {
  auto d = command<DeleteOptions>({"delete", "c1"});
  EXPECT_EQ(d.id, "c1");
  EXPECT_FALSE(d.force);
  EXPECT_TRUE(command<DeleteOptions>({"delete", "--force", "c1"}).force);
  EXPECT_TRUE(command<DeleteOptions>({"delete", "-f", "c1"}).force);
  EXPECT_TRUE(command<DeleteOptions>({"delete", "c1", "--force"}).force);  // runc takes it too
  EXPECT_EQ(failure({"delete"}), "burrow: \"delete\" requires exactly 1 argument(s)");
}

TEST(List, FormatAndQuiet) {
  auto l = command<ListOptions>({"list"});
  EXPECT_EQ(l.format, ListFormat::table);
  EXPECT_FALSE(l.quiet);
  l = command<ListOptions>({"list", "--format", "json", "-q"});
  EXPECT_EQ(l.format, ListFormat::json);
  EXPECT_TRUE(l.quiet);
  l = command<ListOptions>({"list", "-f=table", "--quiet"});
  EXPECT_EQ(l.format, ListFormat::table);
  EXPECT_TRUE(l.quiet);
  EXPECT_EQ(failure({"list", "-f", "xml"}), "invalid format option \"xml\": use table or json");
  EXPECT_EQ(failure({"list", "c1"}), "burrow: \"list\" requires exactly 0 argument(s)");
}

TEST(Spec, BundleAndRootless) {
  auto s = command<SpecOptions>({"spec"});
  EXPECT_EQ(s.bundle, cwd());
  EXPECT_FALSE(s.rootless);
  s = command<SpecOptions>({"spec", "-b", "/b", "--rootless"});
  EXPECT_EQ(s.bundle, "/b");
  EXPECT_TRUE(s.rootless);
  EXPECT_EQ(failure({"spec", "x"}), "burrow: \"spec\" requires exactly 0 argument(s)");
}

TEST(Spec, Profile) {
  EXPECT_EQ(command<SpecOptions>({"spec"}).profile, "");
  EXPECT_EQ(command<SpecOptions>({"spec", "--profile", "dind"}).profile, "dind");
  EXPECT_EQ(command<SpecOptions>({"spec", "-profile=default"}).profile, "default");
}

TEST(GlobalAndCommand, GoRuncDeleteLine) {
  auto p = parse_command_line({"--root", "/run/containerd/runc/k8s.io", "--log",
                               "/run/containerd/io.containerd.runtime.v2.task/k8s.io/c1/log.json",
                               "--log-format", "json", "delete", "--force", "c1"});
  ASSERT_TRUE(p.ok()) << p.error().message;
  EXPECT_EQ(p->global.root, "/run/containerd/runc/k8s.io");
  EXPECT_EQ(p->global.log_format, LogFormat::json);
  const auto& d = std::get<DeleteOptions>(p->command);
  EXPECT_EQ(d.id, "c1");
  EXPECT_TRUE(d.force);
}

}  // namespace
}  // namespace burrow::cli
