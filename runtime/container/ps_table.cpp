#include "container/ps_table.hpp"

#include <algorithm>
#include <cstdlib>
#include <sstream>

namespace burrow::container {

std::string pids_json(const std::vector<pid_t>& pids) {
  if (pids.empty()) return "null";
  std::string text = "[";
  for (pid_t pid : pids) text += (text.size() > 1 ? "," : "") + std::to_string(pid);
  return text + "]";
}

Result<std::string> filter_ps_rows(const std::string& output, const std::vector<pid_t>& pids) {
  std::istringstream lines(output);
  std::string header;
  std::getline(lines, header);
  std::istringstream titles(header);
  size_t pid_column = 0;
  bool found = false;
  for (std::string title; titles >> title; ++pid_column) {
    if (title == "PID") {
      found = true;
      break;
    }
  }
  if (!found) return Error::msg("couldn't find PID field in ps output");
  std::string text = header + "\n";
  for (std::string line; std::getline(lines, line);) {
    if (line.empty()) continue;
    std::istringstream fields(line);
    std::string field;
    for (size_t i = 0; i <= pid_column && fields >> field; ++i) {
    }
    char* end = nullptr;
    long pid = std::strtol(field.c_str(), &end, 10);
    if (field.empty() || *end != '\0') return Error::msg("unable to parse pid: " + field);
    if (std::find(pids.begin(), pids.end(), static_cast<pid_t>(pid)) != pids.end())
      text += line + "\n";
  }
  return text;
}

}  // namespace burrow::container
