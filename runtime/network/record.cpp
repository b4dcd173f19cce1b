// network.json: the watcher and helper of a container, for delete.
#include <signal.h>
#include <unistd.h>

#include <nlohmann/json.hpp>

#include "base/file.hpp"
#include "base/syscalls.hpp"
#include "network/process_tools.hpp"
#include "network/watcher.hpp"
#include "state/status.hpp"

namespace burrow::network {
namespace {

constexpr int kWatcherGraceMs = 5000;  // it stops its helper (up to 2 s) before exiting

std::string record_path(const std::string& state_dir) {
  return state_dir + "/network.json";
}

// A pidfd of the recorded process, or an empty Fd when it is gone or its pid is someone else's.
Fd open_recorded(const ProcessRecord& record) {
  if (record.pid <= 0) return {};
  auto pidfd = sys::pidfd_open(record.pid);
  if (!pidfd) return {};
  // Checked after opening: the pidfd pins the process we compare.
  auto stat = state::read_proc_stat(record.pid);
  if (!stat || stat->start_time != record.start_time || stat->state == 'Z') return {};
  return std::move(*pidfd);
}

nlohmann::json to_json(const ProcessRecord& record) {
  return {{"pid", record.pid}, {"start_time", record.start_time}};
}

ProcessRecord from_json(const nlohmann::json& json) {
  return {json.at("pid").get<pid_t>(), json.at("start_time").get<uint64_t>()};
}

}  // namespace

Status stop_network(const RunningNetwork& running) {
  if (Fd watcher = open_recorded(running.watcher))
    detail::terminate(watcher.get(), kWatcherGraceMs);
  if (Fd helper = open_recorded(running.helper)) detail::terminate(helper.get(), kWatcherGraceMs);
  return {};
}

Status save_record(const std::string& state_dir, const RunningNetwork& running) {
  nlohmann::json json = {{"helper", mode_name(running.mode)},
                         {"watcher", to_json(running.watcher)},
                         {"helper_process", to_json(running.helper)}};
  return file::write_atomic(record_path(state_dir), json.dump(), 0600);
}

Status stop_recorded(const std::string& state_dir) {
  std::string path = record_path(state_dir);
  if (::access(path.c_str(), F_OK) < 0) return {};
  std::string text = BURROW_TRY(file::read(path));
  RunningNetwork running;
  try {
    nlohmann::json json = nlohmann::json::parse(text);
    running.watcher = from_json(json.at("watcher"));
    running.helper = from_json(json.at("helper_process"));
  } catch (const nlohmann::json::exception& error) {
    return Error::msg(path + ": " + error.what(), EINVAL);
  }
  return stop_network(running);
}

}  // namespace burrow::network
