// --preserve-fds N for create/run: exactly fds 3..3+N-1 reach the container; systemd socket
// activation of the runtime (LISTEN_FDS with LISTEN_PID = the runtime's pid) passes those fds
// first and sets LISTEN_FDS=N, LISTEN_PID=1 in the container, as runc does.
#include <algorithm>

#include "harness/container_test.hpp"

namespace integration {
namespace {

using nlohmann::json;

class PreserveFdsTest : public ContainerTest {
 protected:
  // `run` from a shell that opened fds 3, 4 and 5 first; `env` goes before the runtime.
  json run_with_open_fds(const std::string& env, const std::string& flags) {
    write_config();
    std::string command = "exec 3</etc/hostname 4</etc/hostname 5</etc/hostname; " + env +
                          " exec " + runtime_path() + " --root " + state_root_ + " run --bundle " +
                          bundle_ + " " + flags + " " + id_;
    CommandResult result = run_command({"/bin/sh", "-c", command}, work_);
    EXPECT_EQ(result.exit_code, 0) << result.describe();
    return last_json_line(result.out);
  }
};

std::vector<std::string> fd_numbers(const json& report) {
  std::vector<std::string> fds;
  for (const auto& [fd, target] : report["fds"].items()) fds.push_back(fd);
  std::sort(fds.begin(), fds.end());
  return fds;
}

std::vector<std::string> listen_vars(const json& report) {
  std::vector<std::string> vars;
  for (const auto& var : report["env"]) {
    std::string text = var.get<std::string>();
    if (text.starts_with("LISTEN_")) vars.push_back(text);
  }
  return vars;
}

TEST_F(PreserveFdsTest, NothingWithoutTheFlag) {
  json report = run_with_open_fds("", "");
  EXPECT_EQ(fd_numbers(report), (std::vector<std::string>{"0", "1", "2"})) << report["fds"];
}

TEST_F(PreserveFdsTest, ExactlyN) {
  json report = run_with_open_fds("", "--preserve-fds 2");
  EXPECT_EQ(fd_numbers(report), (std::vector<std::string>{"0", "1", "2", "3", "4"}))
      << report["fds"];
  EXPECT_TRUE(listen_vars(report).empty());
}

TEST_F(PreserveFdsTest, SocketActivationFdsComeFirst) {
  json report = run_with_open_fds("LISTEN_FDS=2 LISTEN_PID=$$", "--preserve-fds 1");
  EXPECT_EQ(fd_numbers(report), (std::vector<std::string>{"0", "1", "2", "3", "4", "5"}))
      << report["fds"];
  EXPECT_EQ(listen_vars(report), (std::vector<std::string>{"LISTEN_FDS=2", "LISTEN_PID=1"}));
}

TEST_F(PreserveFdsTest, SocketActivationForAnotherProcessIsIgnored) {
  json report = run_with_open_fds("LISTEN_FDS=2 LISTEN_PID=1", "");
  EXPECT_EQ(fd_numbers(report), (std::vector<std::string>{"0", "1", "2"})) << report["fds"];
  EXPECT_TRUE(listen_vars(report).empty());
}

}  // namespace
}  // namespace integration
