#include "runtime_client/runtime_client.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <sstream>

#include "base/file.hpp"
#include "base/signals.hpp"

namespace burrow::shim::runtime {

std::string last_logged_error(const std::string& log_text) {
  std::istringstream lines(log_text);
  std::string last;
  for (std::string line; std::getline(lines, line);) {
    auto record = nlohmann::json::parse(line, nullptr, false);
    if (!record.is_object() || record.value("level", "") != "error") continue;
    last = record.value("msg", "");
  }
  return last;
}

RuntimeClient::RuntimeClient(std::string binary, std::string state_root, std::string log_dir)
    : binary_(std::move(binary)),
      state_root_(std::move(state_root)),
      log_dir_(std::move(log_dir)) {}

std::vector<std::string> RuntimeClient::command(const std::string& verb,
                                                const std::string& log) const {
  return {binary_, "--root", state_root_, "--log", log, "--log-format", "json", verb};
}

std::string RuntimeClient::log_path(const std::string& verb, const std::string& id) {
  return log_dir_ + "/" + std::to_string(++calls_) + "-" + verb + "-" + id + ".log";
}

Status RuntimeClient::run_to_end(const std::vector<std::string>& argv, const std::string& log,
                                 const std::string& what, const Stdio& stdio,
                                 const std::vector<int>& pass) {
  SpawnOptions options;
  options.stdio = stdio;
  options.pass_fds = pass;
  Child child = BURROW_TRY_CTX(spawn(argv, options), what);
  auto status = BURROW_TRY_CTX(child.wait(), what);
  if (status->code == 0 && status->signal == 0) return {};
  std::string reason = last_logged_error(file::read(log).ok() ? *file::read(log) : "");
  if (reason.empty()) reason = "burrow " + status->describe();
  return Error::msg(what + ": " + reason);
}

Status RuntimeClient::create(const std::string& id, const std::string& bundle, const Stdio& stdio,
                             const std::vector<int>& preserve) {
  std::string log = log_path("create", id);
  auto argv = command("create", log);
  argv.insert(argv.end(), {"--bundle", bundle});
  if (!preserve.empty())
    argv.insert(argv.end(), {"--preserve-fds", std::to_string(preserve.size())});
  argv.push_back(id);
  return run_to_end(argv, log, "create " + id, stdio, preserve);
}

Status RuntimeClient::start(const std::string& id) {
  std::string log = log_path("start", id);
  auto argv = command("start", log);
  argv.push_back(id);
  return run_to_end(argv, log, "start " + id);
}

Result<Child> RuntimeClient::run(const std::string& id, const std::string& bundle,
                                 const Stdio& stdio, bool keep, const std::string& pid_file) {
  std::string log = log_path("run", id);
  last_logs_[id + " run"] = log;
  auto argv = command("run", log);
  argv.insert(argv.end(), {"--bundle", bundle});
  if (keep) argv.push_back("--keep");
  if (!pid_file.empty()) argv.insert(argv.end(), {"--pid-file", pid_file});
  argv.push_back(id);
  SpawnOptions options;
  options.stdio = stdio;
  return spawn(argv, options);
}

std::string RuntimeClient::logged_error(const std::string& id, const std::string& verb) const {
  auto log = last_logs_.find(id + " " + verb);
  if (log == last_logs_.end()) return "";
  auto text = file::read(log->second);
  return text ? last_logged_error(*text) : "";
}

Result<Child> RuntimeClient::exec(const std::string& id, const std::string& process_json,
                                  const Stdio& stdio) {
  auto argv = command("exec", log_path("exec", id));
  argv.insert(argv.end(), {"--process", process_json, id});
  SpawnOptions options;
  options.stdio = stdio;
  return spawn(argv, options);
}

Result<Child> RuntimeClient::exec_args(const std::string& id, const std::vector<std::string>& flags,
                                       const std::vector<std::string>& args, const Stdio& stdio) {
  std::string log = log_path("exec", id);
  last_logs_[id + " exec"] = log;
  auto argv = command("exec", log);
  argv.insert(argv.end(), flags.begin(), flags.end());
  argv.push_back(id);
  argv.insert(argv.end(), args.begin(), args.end());
  SpawnOptions options;
  options.stdio = stdio;
  return spawn(argv, options);
}

Status RuntimeClient::kill(const std::string& id, int signal, bool all) {
  std::string log = log_path("kill", id);
  auto argv = command("kill", log);
  if (all) argv.push_back("--all");
  argv.insert(argv.end(), {id, std::to_string(signal)});
  return run_to_end(argv, log, "kill " + id + " " + signal_name(signal));
}

Status RuntimeClient::remove(const std::string& id) {
  std::string log = log_path("delete", id);
  auto argv = command("delete", log);
  argv.insert(argv.end(), {"--force", id});
  return run_to_end(argv, log, "delete " + id);
}

Result<nlohmann::json> RuntimeClient::state(const std::string& id) {
  std::string log = log_path("state", id);
  std::string out = log_dir_ + "/state-" + id + ".json";
  Fd out_fd(::open(out.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600));
  if (!out_fd) return Error::from_errno("open " + out);
  auto argv = command("state", log);
  argv.push_back(id);
  Stdio stdio;
  stdio.out = out_fd.get();
  BURROW_TRY(run_to_end(argv, log, "state " + id, stdio));
  auto text = BURROW_TRY(file::read(out));
  auto parsed = nlohmann::json::parse(text, nullptr, false);
  if (parsed.is_discarded()) return Error::msg("state " + id + ": burrow printed no JSON");
  return parsed;
}

Result<nlohmann::json> RuntimeClient::spec(const std::string& dir, const std::string& profile) {
  std::string log = log_path("spec", profile.empty() ? "plain" : profile);
  auto argv = command("spec", log);
  if (!profile.empty()) argv.insert(argv.end(), {"--profile", profile});
  argv.insert(argv.end(), {"--bundle", dir});
  BURROW_TRY(run_to_end(argv, log, "spec"));
  auto text = BURROW_TRY(file::read(dir + "/config.json"));
  auto parsed = nlohmann::json::parse(text, nullptr, false);
  if (!parsed.is_object()) return Error::msg("spec: burrow wrote no JSON object");
  return parsed;
}

Result<std::vector<std::string>> RuntimeClient::list() {
  std::string log = log_path("list", "all");
  std::string out = log_dir_ + "/list.txt";
  Fd out_fd(::open(out.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600));
  if (!out_fd) return Error::from_errno("open " + out);
  auto argv = command("list", log);
  argv.push_back("--quiet");
  Stdio stdio;
  stdio.out = out_fd.get();
  BURROW_TRY(run_to_end(argv, log, "list", stdio));
  std::istringstream ids(BURROW_TRY(file::read(out)));
  std::vector<std::string> result;
  for (std::string id; ids >> id;) result.push_back(id);
  return result;
}

}  // namespace burrow::shim::runtime
