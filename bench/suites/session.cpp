#include "suites/session.hpp"

#include <fcntl.h>
#include <signal.h>

#include "base/file.hpp"

namespace burrow::bench {

Result<std::unique_ptr<Session>> Session::open(std::vector<Runtime> runtimes, std::string work_dir,
                                               bool terminal) {
  std::unique_ptr<Session> session(new Session(std::move(work_dir), terminal));
  for (auto& runtime : runtimes) {
    Target target;
    target.state_root = session->work_dir_ + "/state-" + runtime.name;
    BURROW_TRY(file::mkdir_all(target.state_root, 0700));
    auto ns = make_mount_namespace(runtime.hide_cgroup2);
    if (!ns) return std::move(ns).error().wrap("mount namespace for " + runtime.name);
    target.mount_namespace = std::move(*ns);
    target.runtime = std::move(runtime);
    session->targets_.push_back(std::move(target));
  }
  return session;
}

Call Session::run(const Target& target, const std::vector<std::string>& subcommand,
                  const std::string& out_path, const std::string& cwd, const RunAs* as,
                  std::chrono::milliseconds timeout) {
  Call call;
  std::string err_path = work_dir_ + "/stderr";
  Fd err(::open(err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600));
  Fd out;
  if (!out_path.empty())
    out.reset(::open(out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600));
  SpawnOptions options;
  options.mount_namespace = target.mount_namespace.get();
  options.cwd = cwd;
  options.out = out.get();
  options.err = err.get();
  std::string root = target.state_root;
  if (as != nullptr) {
    options.uid = as->uid;
    options.gid = as->gid;
    options.env = as->env;
    root = as->state_root;
  }
  auto timed = run_timed(target.runtime.command(root, subcommand), options, timeout);
  if (!timed) {
    call.error = timed.error().message;
    return call;
  }
  call.timed = *timed;
  if (!call.timed.status.ok()) {
    auto text = file::read(err_path);
    std::string detail = text ? *text : std::string();
    while (!detail.empty() && (detail.back() == '\n' || detail.back() == ' ')) detail.pop_back();
    if (detail.size() > 400) detail = detail.substr(0, 400) + "...";
    call.error = subcommand.front() + ": " + call.timed.status.describe() +
                 (detail.empty() ? "" : ": " + detail);
  }
  return call;
}

bool Session::stop_requested() const {
  sigset_t pending;
  sigpending(&pending);
  return sigismember(&pending, SIGINT) == 1 || sigismember(&pending, SIGTERM) == 1;
}

}  // namespace burrow::bench
