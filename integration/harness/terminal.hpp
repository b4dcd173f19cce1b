// Terminals for the tests that need one: a pty the test holds as the caller's terminal.
#pragma once

#include <chrono>
#include <string>
#include <vector>

namespace integration {

// Reads `fd` until `marker` shows up, EOF/EIO, or the timeout.
std::string read_until(int fd, const std::string& marker, std::chrono::milliseconds timeout);

// Runs `args` (argv[0] an absolute path) under a pty the test holds (the caller's terminal),
// 41x97; returns what the pty showed once `marker` appears, after typing `input` once `first`
// showed; `status` gets the wait status.
std::string run_on_a_pty(const std::vector<std::string>& args, const std::string& first,
                         const std::string& input, const std::string& marker, int* status);

}  // namespace integration
