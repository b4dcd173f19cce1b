// Running host commands from tests: the runtime under test, ip, unshare. Output goes to files,
// not pipes, because a container started by `create` keeps its stdio open after the runtime
// exits, and a pipe would make the reader wait for the container.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <string>
#include <vector>

namespace integration {

struct CommandResult {
  int exit_code = -1;  // the exit status, or 128 + signal, like a shell
  std::string out;
  std::string err;
  bool timed_out = false;

  // For assertion messages: the whole outcome in one string.
  std::string describe() const;
};

// A started command whose stdout and stderr are written to the given files.
class Command {
 public:
  Command(const std::vector<std::string>& argv, std::string out_path, std::string err_path);
  Command(const Command&) = delete;
  Command& operator=(const Command&) = delete;
  ~Command();  // kills and reaps the command if it still runs

  pid_t pid() const { return pid_; }
  void send_signal(int signal) const;
  // Waits for the exit; on timeout kills it (SIGKILL) and marks the result timed out.
  CommandResult wait(std::chrono::milliseconds timeout);
  // Polls the stdout file until it contains `text`; false on timeout or if the command ended.
  bool wait_for_output(const std::string& text, std::chrono::milliseconds timeout) const;

 private:
  pid_t pid_ = -1;
  bool reaped_ = false;
  std::string out_path_;
  std::string err_path_;
};

// Runs argv to completion with stdin from /dev/null; output is captured in `scratch_dir`.
CommandResult run_command(const std::vector<std::string>& argv, const std::string& scratch_dir,
                          std::chrono::milliseconds timeout = std::chrono::seconds(30));

// mkdtemp under $TMPDIR (or /tmp) with the given name prefix.
std::string make_temp_dir(const std::string& prefix);

std::string read_text(const std::string& path);
void write_text(const std::string& path, const std::string& text);

}  // namespace integration
