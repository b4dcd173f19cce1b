// What exec runs: the container's process with runc's overrides, or a process JSON, checked by
// the spec code with errors naming the field.
#include "container/exec_spec.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>

namespace burrow::container {
namespace {

spec::Spec container_spec() {
  spec::Spec spec;
  spec.oci_version = "1.0.2-dev";
  spec::Process process;
  process.args = {"/probe"};
  process.cwd = "/";
  process.env = {"PATH=/bin", "TERM=xterm"};
  process.user.uid = 0;
  process.user.gid = 0;
  process.user.additional_gids = {5};
  process.capabilities = spec::Capabilities{};
  process.capabilities->bounding = {"CAP_KILL"};
  process.capabilities->effective = {"CAP_KILL"};
  process.capabilities->permitted = {"CAP_KILL"};
  process.no_new_privileges = true;
  spec.process = process;
  return spec;
}

ExecOptions with_args(std::vector<std::string> args) {
  ExecOptions options;
  options.id = "c1";
  options.args = std::move(args);
  return options;
}

TEST(ExecSpec, ArgsReplaceTheCommandAndKeepTheRest) {
  auto process = exec_process_spec(container_spec(), with_args({"sh", "-c", "true"}));
  ASSERT_TRUE(process.ok()) << process.error().message;
  EXPECT_EQ(process->args, (std::vector<std::string>{"sh", "-c", "true"}));
  EXPECT_EQ(process->cwd, "/");
  EXPECT_EQ(process->env, (std::vector<std::string>{"PATH=/bin", "TERM=xterm"}));
  EXPECT_TRUE(process->no_new_privileges);
  EXPECT_FALSE(process->terminal);
}

TEST(ExecSpec, Overrides) {
  ExecOptions options = with_args({"id"});
  options.cwd = "/tmp";
  options.env = {"A=1", "PATH=/usr/bin"};
  options.uid = 1;
  options.gid = 2;
  options.additional_gids = {7};
  options.no_new_privs = false;
  auto process = exec_process_spec(container_spec(), options);
  ASSERT_TRUE(process.ok()) << process.error().message;
  EXPECT_EQ(process->cwd, "/tmp");
  EXPECT_EQ(process->env,
            (std::vector<std::string>{"PATH=/bin", "TERM=xterm", "A=1", "PATH=/usr/bin"}));
  EXPECT_EQ(process->user.uid, 1u);
  EXPECT_EQ(process->user.gid, 2u);
  EXPECT_EQ(process->user.additional_gids, (std::vector<uint32_t>{5, 7}));
  EXPECT_FALSE(process->no_new_privileges);
}

// CVE-2022-29162: --cap never reaches the inheritable (or ambient) set.
TEST(ExecSpec, CapGoesToEffectivePermittedAndBoundingOnly) {
  ExecOptions options = with_args({"id"});
  options.caps = {"CAP_NET_ADMIN"};
  auto process = exec_process_spec(container_spec(), options);
  ASSERT_TRUE(process.ok()) << process.error().message;
  const spec::Capabilities& caps = *process->capabilities;
  EXPECT_EQ(caps.bounding, (std::vector<std::string>{"CAP_KILL", "CAP_NET_ADMIN"}));
  EXPECT_EQ(caps.effective, (std::vector<std::string>{"CAP_KILL", "CAP_NET_ADMIN"}));
  EXPECT_EQ(caps.permitted, (std::vector<std::string>{"CAP_KILL", "CAP_NET_ADMIN"}));
  EXPECT_TRUE(caps.inheritable.empty());
  EXPECT_TRUE(caps.ambient.empty());
}

TEST(ExecSpec, ErrorsNameTheField) {
  auto message = [](const ExecOptions& options) {
    auto process = exec_process_spec(container_spec(), options);
    return process.ok() ? std::string("accepted") : process.error().message;
  };
  EXPECT_EQ(message(with_args({})), "process args cannot be empty");
  ExecOptions relative = with_args({"id"});
  relative.cwd = "tmp";
  EXPECT_EQ(message(relative), "process.cwd: Cwd must be an absolute path");
  ExecOptions bad_cap = with_args({"id"});
  bad_cap.caps = {"CAP_FOO"};
  EXPECT_EQ(message(bad_cap), "process.capabilities.bounding[1]: unknown capability \"CAP_FOO\"");
  ExecOptions apparmor = with_args({"id"});
  apparmor.apparmor = "docker-default";
  // Accepted here; exec refuses a label whose LSM the host lacks, as create does.
  EXPECT_EQ(message(apparmor), "accepted");
  ExecOptions label = with_args({"id"});
  label.process_label = "system_u:system_r:container_t:s0";
  EXPECT_EQ(message(label), "accepted");
}

class ProcessFile : public ::testing::Test {
 protected:
  void SetUp() override {
    char templ[] = "/tmp/exec-spec-XXXXXX";
    ASSERT_NE(::mkdtemp(templ), nullptr);
    dir_ = templ;
  }
  void TearDown() override { std::system(("rm -rf " + dir_).c_str()); }
  ExecOptions from_file(const std::string& text) {
    std::ofstream(dir_ + "/process.json") << text;
    ExecOptions options;
    options.id = "c1";
    options.process_file = dir_ + "/process.json";
    return options;
  }
  std::string message(const std::string& text) {
    auto process = exec_process_spec(container_spec(), from_file(text));
    return process.ok() ? std::string("accepted") : process.error().message;
  }
  std::string dir_;
};

TEST_F(ProcessFile, IsTheWholeProcess) {
  auto process = exec_process_spec(
      container_spec(),
      from_file(R"({"args": ["/bin/sh"], "cwd": "/tmp", "user": {"uid": 3, "gid": 4},
                    "env": ["X=1"], "noNewPrivileges": false})"));
  ASSERT_TRUE(process.ok()) << process.error().message;
  EXPECT_EQ(process->args, (std::vector<std::string>{"/bin/sh"}));
  EXPECT_EQ(process->cwd, "/tmp");
  EXPECT_EQ(process->user.uid, 3u);
  EXPECT_EQ(process->env, (std::vector<std::string>{"X=1"}));
  EXPECT_FALSE(process->capabilities.has_value()) << "nothing of the container's process";
}

TEST_F(ProcessFile, ErrorsNameTheFileAndField) {
  EXPECT_EQ(message(R"({"args": ["sh"], "cwd": "/", "user": {"uid": "root"}})"),
            "process.json: user.uid: expected unsigned 32-bit integer, got string");
  EXPECT_EQ(message(R"({"args": [], "cwd": "/"})"), "process.json: args: args must not be empty");
  EXPECT_EQ(message(R"({"args": ["sh"], "cwd": ""})"),
            "process.json: cwd: Cwd property must not be empty");
  // A terminal is fine here; exec checks it against -d and --console-socket (runc's rules).
  EXPECT_EQ(message(R"({"args": ["sh"], "cwd": "/", "terminal": true})"), "accepted");
  EXPECT_EQ(message(R"({"args": ["sh"], "cwd": "/",
                        "rlimits": [{"type": "RLIMIT_FOO", "hard": 1, "soft": 1}]})"),
            "process.json: rlimits[0].type: unknown rlimit \"RLIMIT_FOO\"");
  EXPECT_EQ(message(R"({"args": ["sh"], "cwd": "/",
                        "capabilities": {"permitted": ["CAP_BAR"]}})"),
            "process.json: capabilities.permitted[0]: unknown capability \"CAP_BAR\"");
  EXPECT_EQ(message(R"({"args": ["sh"], "cwd": "/", "execCPUAffinity": {"initial": "0"}})"),
            "process.json: execCPUAffinity: not supported yet");
  EXPECT_EQ(message("[1]"), "process.json: expected object, got array");
  EXPECT_EQ(message("{"),
            "process.json: invalid JSON: parse error at line 1, column 2: "
            "syntax error while parsing object key - unexpected end of input; "
            "expected string literal");
}

TEST_F(ProcessFile, MissingFile) {
  ExecOptions options;
  options.process_file = dir_ + "/nope.json";
  auto process = exec_process_spec(container_spec(), options);
  ASSERT_FALSE(process.ok());
  EXPECT_NE(process.error().message.find("nope.json"), std::string::npos)
      << process.error().message;
}

}  // namespace
}  // namespace burrow::container
