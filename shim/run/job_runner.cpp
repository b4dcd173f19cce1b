#include "run/job_runner.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/epoll.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <deque>
#include <filesystem>
#include <memory>
#include <optional>

#include "base/file.hpp"
#include "base/signals.hpp"
#include "io/event_loop.hpp"
#include "io/fd_sink.hpp"
#include "io/job_log.hpp"
#include "io/masker.hpp"
#include "io/relay.hpp"
#include "outcome/exit_codes.hpp"
#include "outcome/phase_clock.hpp"
#include "outcome/summary.hpp"
#include "pod/dind.hpp"
#include "pod/hosts.hpp"
#include "pod/job_dir.hpp"
#include "pod/oom.hpp"
#include "pod/pod.hpp"
#include "pod/readiness.hpp"
#include "pod/signal_processes.hpp"
#include "run/container_fs.hpp"
#include "run/dind_service.hpp"
#include "run/images.hpp"
#include "run/pod_parts.hpp"
#include "script/render.hpp"

namespace burrow::shim::run {
namespace {

using namespace std::chrono_literals;
using outcome::ExitCode;
using outcome::Phase;

// Where a service's init (tini) is bound inside it.
constexpr const char* kServiceInit = "/.burrow-shim/init";
// How long output may keep flowing after a container's process exited (a background process
// holding the pipe) before the shim stops waiting for it.
constexpr auto kDrainPatience = 5s;

std::string variable(const job::Variables& variables, const std::string& key,
                     const std::string& fallback = "") {
  std::string value = fallback;
  for (const auto& v : variables) {
    if (v.key == key) value = v.value;
  }
  return value;
}

std::string job_key(const job::Job& job) {
  std::string id = variable(job.variables, "CI_JOB_ID", "0");
  return id + "-" + std::to_string(::getpid());
}

struct Pipe {
  Fd read;
  Fd write;
  static Result<Pipe> make() {
    int fds[2];
    if (::pipe2(fds, O_CLOEXEC) < 0) return Error::from_errno("pipe");
    return Pipe{Fd(fds[0]), Fd(fds[1])};
  }
};

struct ServiceRun {
  job::ServiceSpec spec;
  std::string name;  // the container's, in the pod
  std::vector<std::string> host_names;
  std::string log_path;
  Fd log_fd;
  std::unique_ptr<io::FdSink> log_sink;
  std::vector<int> ports;
  std::optional<runtime::Child> waiter;
  std::optional<int> wait_result;   // the waiter's exit code
  std::optional<DindService> dind;  // a service of profile dind
};

class JobRun {
 public:
  JobRun(const job::Job& job, const RunOptions& options) : job_(job), options_(options) {
    summary_.job = job.name;
  }
  int run();

 private:
  Status open_outputs();
  void say(const std::string& text);
  void fail_infra(ExitCode kind, const Error& error);
  bool cancel_pending();
  Status prepare();
  Status start_services();
  Status wait_for_services();
  // Runs `script` on STDIN of `shell` in container `name` on the job's rootfs; the phase's
  // outcome goes to the summary when `is_job`.
  Status run_script(const std::string& name, const std::string& script,
                    std::chrono::seconds timeout, bool is_job);
  pod::ContainerPlan job_plan(const std::string& name) const;
  // The copy-on-write root of container `name` from `image_name`: over idmapped layers as root
  // (falling back, once and for the rest of the job, to layers unpacked for the pod's range).
  Result<image::Rootfs> mount_rootfs_for(const std::string& image_name, const std::string& name);
  void add_workspace_mounts(pod::ContainerPlan& plan) const;
  void teardown();

  const job::Job& job_;
  const RunOptions& options_;
  outcome::Summary summary_;
  outcome::PhaseClock clock_;

  Fd stdout_fd_;
  Fd stderr_fd_;
  std::optional<io::FdSink> stdout_sink_;
  std::optional<io::FdSink> stderr_sink_;
  std::optional<io::JobLog> log_;
  std::optional<io::EventLoop> loop_;
  std::optional<io::Relay> relay_;
  Fd signals_;
  int cancel_signal_ = 0;

  std::optional<pod::IdSlot> slot_;
  pod::IdRange ids_;
  std::optional<pod::JobDir> dir_;
  std::optional<runtime::RuntimeClient> runtime_;
  std::optional<PreparedImages> images_;
  std::optional<pod::Pod> pod_;
  std::vector<image::Rootfs> mounted_;
  std::optional<PodRootfs> rootfs_;
  std::string job_rootfs_;
  std::string shell_;
  std::string project_dir_;
  std::vector<ServiceRun> services_;
  // Host dir of the job's file variables (bound read-only at <CI_PROJECT_DIR>.tmp); "" if none.
  std::string files_dir_;
  // The masking wrappers of the sinks of each script run (the relay holds their addresses).
  std::vector<std::unique_ptr<io::MaskingSink>> masking_sinks_;
};

void JobRun::say(const std::string& text) {
  std::string line = text.empty() || text.back() != '\n' ? text + "\n" : text;
  if (stderr_sink_) (void)stderr_sink_->write(io::Stream::kStderr, line);
  if (log_) (void)log_->note(text);
}

void JobRun::fail_infra(ExitCode kind, const Error& error) {
  if (!summary_.infra) summary_.infra = outcome::InfraFailure{kind, error.message};
  say("ERROR: Job failed (system failure): " + error.message);
}

bool JobRun::cancel_pending() {
  if (cancel_signal_) return true;
  struct signalfd_siginfo info {};
  if (signals_ && ::read(signals_.get(), &info, sizeof info) == static_cast<ssize_t>(sizeof info))
    cancel_signal_ = static_cast<int>(info.ssi_signo);
  return cancel_signal_ != 0;
}

Status JobRun::open_outputs() {
  stdout_fd_ = BURROW_TRY(io::open_output(STDOUT_FILENO));
  stderr_fd_ = BURROW_TRY(io::open_output(STDERR_FILENO));
  stdout_sink_.emplace("stdout", stdout_fd_.get());
  stderr_sink_.emplace("stderr", stderr_fd_.get());
  if (!options_.log_file.empty()) log_.emplace(BURROW_TRY(io::JobLog::open(options_.log_file)));
  signals_ = BURROW_TRY(io::make_signalfd({SIGINT, SIGTERM}));
  loop_.emplace(BURROW_TRY(io::EventLoop::create()));
  io::Relay::Options relay_options;
  relay_options.on_note = [this](const std::string& note) {
    if (log_) (void)log_->note(note);
  };
  relay_.emplace(*loop_, relay_options);
  return {};
}

Status JobRun::prepare() {
  auto measured = clock_.measure(Phase::kImagePrepare);
  // The pod's root must be able to reach its rootfs through the scratch root: search only.
  BURROW_TRY(file::mkdir_all(options_.scratch_root, 0711));
  if (::chmod(options_.scratch_root.c_str(), 0711) < 0)
    return Error::from_errno("chmod " + options_.scratch_root);
  if (options_.rootless) {
    // Already in the shim's own user namespace: the pod makes none, ids stay as they are.
    ids_ = pod::IdRange{0, 0, 0};
  } else {
    slot_.emplace(BURROW_TRY(pod::IdSlot::acquire(pod::kSlotLockDir)));
    ids_ = slot_->range();
  }
  std::string job_image = job_.image.name.empty() ? options_.default_image : job_.image.name;
  if (job_image.empty())
    return Error::msg("job " + job_.name + ": no image (give `image:` or --default-image)");
  std::vector<std::string> names = {job_image};
  for (const auto& service : job_.services) names.push_back(service.image.name);
  say("Using image " + job_image + " from " + options_.images_dir);
  // Unpacked once with the image's own ids, whatever the job's range: the pod sees them through
  // idmapped mounts (mount_rootfs_for), or, where those are refused, a copy for the range.
  auto images = PreparedImages::prepare(options_.images_dir, names, image::IdShift{});
  if (!images) {
    summary_.infra = outcome::InfraFailure{ExitCode::kImageFailure, images.error().message};
    return std::move(images).error();
  }
  images_.emplace(std::move(images).value());
  dir_.emplace(BURROW_TRY(pod::JobDir::create(options_.scratch_root, job_key(job_))));
  runtime_.emplace(options_.runtime_binary, dir_->state_dir(), dir_->logs_dir());
  project_dir_ = variable(job_.variables, "CI_PROJECT_DIR", "/builds/project");
  if (options_.workspace.empty()) {
    BURROW_TRY(file::mkdir_all(dir_->builds_dir(), 0755));
    if (ids_.size != 0 && ::chown(dir_->builds_dir().c_str(), ids_.host_uid, ids_.host_gid) < 0)
      return Error::from_errno("chown " + dir_->builds_dir());
  }
  if (!job_.files.empty()) {
    // File variables: GitLab Runner writes them to <CI_PROJECT_DIR>.tmp/<KEY>.
    files_dir_ = dir_->path() + "/files";
    BURROW_TRY(file::mkdir_all(files_dir_, 0755));
    for (const auto& variable : job_.files) {
      BURROW_TRY(file::write_atomic(files_dir_ + "/" + variable.key, variable.content, 0644));
    }
  }
  // The runtime's own starting point: its capabilities, seccomp profile, masks and mounts.
  std::string spec_dir = dir_->path() + "/spec";
  BURROW_TRY(file::mkdir_all(spec_dir, 0700));
  nlohmann::json base = BURROW_TRY(runtime_->spec(spec_dir, "default"));
  pod::PodOptions pod_options;
  pod_options.pod_init_binary = options_.pod_init_binary;
  pod_options.ids = ids_;
  pod_options.hostname = "runner-burrow-job-" + variable(job_.variables, "CI_JOB_ID", "0");
  pod_options.network = options_.network;
  if (options_.rootless) pod_options.cgroup_parent.clear();
  pod_options.memory_limit = options_.memory_limit;
  std::vector<std::vector<std::string>> commands;
  for (const auto& service : job_.services)
    commands.push_back(service_command(service, images_->at(service.image.name)));
  pod_options.writable_sysfs = has_dind_service(job_.services, commands);
  pod_.emplace(BURROW_TRY(pod::Pod::start(*dir_, *runtime_, std::move(base), pod_options)));
  if (pod_options.writable_sysfs) BURROW_TRY(load_dind_profile_base(*dir_, *runtime_, *pod_));
  // The job's own filesystem, mounted now so a missing shell fails before any service starts.
  const PreparedImage& image = images_->at(job_image);
  (void)image;
  mounted_.push_back(BURROW_TRY(mount_rootfs_for(job_image, "job")));
  job_rootfs_ = mounted_.back().path();
  shell_ = find_shell(job_rootfs_);
  if (shell_.empty())
    return Error::msg("image " + job_image + " has no shell (bash or sh) to run the script");
  return {};
}

void JobRun::add_workspace_mounts(pod::ContainerPlan& plan) const {
  std::string workspace = options_.workspace.empty() ? dir_->builds_dir() : options_.workspace;
  nlohmann::json mount = pod::bind_mount(workspace, project_dir_, false);
  if (!options_.workspace.empty() && ids_.size != 0) {
    // A host checkout keeps its owners: the pod's ids map onto it (on-disk uid 0 is the pod's
    // root), so the job writes files the host user can read back.
    mount["uidMappings"] = {{{"containerID", 0}, {"hostID", ids_.host_uid}, {"size", ids_.size}}};
    mount["gidMappings"] = {{{"containerID", 0}, {"hostID", ids_.host_gid}, {"size", ids_.size}}};
  }
  plan.extra_mounts.push_back(mount);
  for (const auto& volume : options_.volumes)
    plan.extra_mounts.push_back(pod::bind_mount(volume.host, volume.container, volume.read_only));
}

Status JobRun::start_services() {
  std::vector<std::string> all_names;
  for (size_t i = 0; i < job_.services.size(); ++i) {
    ServiceRun service;
    service.spec = job_.services[i];
    service.name = "svc" + std::to_string(i);
    service.host_names = pod::service_host_names(service.spec);
    all_names.insert(all_names.end(), service.host_names.begin(), service.host_names.end());
    services_.push_back(std::move(service));
  }
  BURROW_TRY(pod_->write_hosts(all_names));
  for (auto& service : services_) {
    const std::string& image_name = service.spec.image.name;
    say("Starting service " + image_name + " ...");
    const PreparedImage& image = images_->at(image_name);
    std::string where = "service " + image_name;
    mounted_.push_back(BURROW_TRY_CTX(mount_rootfs_for(image_name, service.name), where));
    std::string rootfs = mounted_.back().path();
    pod::ContainerPlan plan = pod_->member_plan(service.name);
    plan.rootfs = rootfs;
    std::vector<std::string> command = service_command(service.spec, image);
    if (command.empty()) return Error::msg(where + ": the image has no command to run");
    plan.args = {kServiceInit, "-s", "-g", "--"};
    plan.args.insert(plan.args.end(), command.begin(), command.end());
    plan.env =
        container_environment(image.image.config.env, job_.variables, service.spec.variables);
    plan.cwd = image.image.config.working_dir.empty() ? "/" : image.image.config.working_dir;
    auto user = BURROW_TRY_CTX(resolve_image_user(rootfs, image.image.config.user), where);
    plan.uid = user.uid;
    plan.gid = user.gid;
    plan.extra_mounts.push_back(pod::bind_mount(options_.service_init_binary, kServiceInit, true));
    add_workspace_mounts(plan);
    if (pod::service_profile(service.spec, command) == pod::kDindProfile) {
      say("Service " + image_name + " runs with profile dind (Docker-in-Docker)");
      service.dind.emplace(BURROW_TRY_CTX(
          prepare_dind_service(*dir_, ids_, service.name, plan, options_.memory_limit), where));
    }
    service.log_path = dir_->logs_dir() + "/" + service.name + ".log";
    service.log_fd.reset(
        ::open(service.log_path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600));
    if (!service.log_fd) return Error::from_errno("open " + service.log_path);
    service.log_sink = std::make_unique<io::FdSink>(service.name, service.log_fd.get());
    Pipe output = BURROW_TRY(Pipe::make());
    runtime::Stdio stdio;
    stdio.out = output.write.get();
    stdio.err = output.write.get();
    BURROW_TRY_CTX(pod_->start_member(service.name, plan, stdio), where);
    output.write.reset();
    BURROW_TRY(relay_->add_source(service.name, std::move(output.read), io::Stream::kStdout,
                                  {service.log_sink.get()}, service.name));
    service.ports = pod::ports_to_wait_for(
        image.image.config.exposed_ports, variable(service.spec.variables, "HEALTHCHECK_TCP_PORT"));
  }
  return {};
}

Status JobRun::wait_for_services() {
  if (services_.empty()) return {};
  say("Waiting for services to be up and running (timeout " +
      std::to_string(options_.service_wait.count()) + " seconds)...");
  size_t waiting = 0;
  for (auto& service : services_) {
    if (service.ports.empty()) continue;
    // A dind service with TLS is ready once its client certificates are there too.
    std::vector<std::string> files =
        service.dind ? service.dind->cert_files() : std::vector<std::string>{};
    service.waiter.emplace(BURROW_TRY(pod::start_port_wait(
        pod_->infra_pid(), service.ports, options_.service_wait, /*join_user=*/false, files)));
    ++waiting;
    ServiceRun* watched = &service;
    BURROW_TRY(loop_->watch(service.waiter->pidfd(), EPOLLIN, [this, watched, &waiting](uint32_t) {
      auto status = watched->waiter->poll();
      if (!status || !status->has_value()) return;
      loop_->unwatch(watched->waiter->pidfd());
      watched->wait_result = (*status)->shell_code();
      --waiting;
    }));
  }
  BURROW_TRY(loop_->watch(signals_.get(), EPOLLIN, [this](uint32_t) {
    if (cancel_pending()) loop_->stop();
  }));
  Status ran = loop_->run_until([&] { return waiting == 0 || cancel_signal_ != 0; });
  loop_->unwatch(signals_.get());
  // Waiters still running (a cancel came first) are forgotten by the loop: their callbacks
  // refer to this frame. They are killed and reaped with their ServiceRun.
  for (auto& service : services_) {
    if (service.waiter && loop_->watching(service.waiter->pidfd()))
      loop_->unwatch(service.waiter->pidfd());
  }
  BURROW_TRY(ran);
  if (cancel_signal_) return {};
  for (auto& service : services_) {
    if (!service.wait_result || *service.wait_result == 0) continue;
    std::string ports;
    for (int port : service.ports) ports += (ports.empty() ? "" : ", ") + std::to_string(port);
    std::string warning = "*** WARNING: Service " + service.spec.image.name +
                          " probably didn't start properly.\n\nHealth check error:\n" +
                          "no TCP connection on port(s) " + ports + " within " +
                          std::to_string(options_.service_wait.count()) +
                          " seconds\n\nService container logs:\n" +
                          tail_lines(service.log_path, 20) + "*********";
    say(warning);
    if (options_.service_wait_fatal) {
      summary_.infra = outcome::InfraFailure{
          ExitCode::kServiceFailure, "service " + service.spec.image.name + " did not start"};
      return Error::msg("service " + service.spec.image.name + " did not start");
    }
  }
  return {};
}

Result<image::Rootfs> JobRun::mount_rootfs_for(const std::string& image_name,
                                               const std::string& name) {
  if (!rootfs_) rootfs_.emplace(*images_, ids_, pod_->infra_pid());
  return rootfs_->mount(image_name, dir_->container_dir(name),
                        [this](const std::string& warning) { say(warning); });
}

pod::ContainerPlan JobRun::job_plan(const std::string& name) const {
  pod::ContainerPlan plan = pod_->member_plan(name);
  const PreparedImage& image =
      images_->at(job_.image.name.empty() ? options_.default_image : job_.image.name);
  plan.rootfs = job_rootfs_;
  plan.args = job_.image.entrypoint ? *job_.image.entrypoint : image.image.config.entrypoint;
  plan.args.push_back(shell_);
  plan.env = container_environment(image.image.config.env, job_.variables);
  plan.cwd = project_dir_;
  plan.memory_limit = options_.memory_limit;
  add_workspace_mounts(plan);
  if (!files_dir_.empty())
    plan.extra_mounts.push_back(pod::bind_mount(files_dir_, project_dir_ + ".tmp", true));
  // GitLab's `/certs/client` volume: each dind service's client certificates.
  std::vector<DindService> dind;
  for (const auto& service : services_) {
    if (service.dind) dind.push_back(*service.dind);
  }
  for (auto& mount : job_certs_mounts(dind)) plan.extra_mounts.push_back(std::move(mount));
  return plan;
}

Status JobRun::run_script(const std::string& name, const std::string& script,
                          std::chrono::seconds timeout, bool is_job) {
  pod::ContainerPlan plan = job_plan(name);
  if (auto user = resolve_image_user(
          job_rootfs_,
          images_->at(job_.image.name.empty() ? options_.default_image : job_.image.name)
              .image.config.user);
      user) {
    plan.uid = user->uid;
    plan.gid = user->gid;
  } else {
    return std::move(user).error();
  }
  std::string bundle = BURROW_TRY(pod_->write_bundle(name, plan));
  std::string script_path = dir_->container_dir(name) + "/script";
  BURROW_TRY(file::write_atomic(script_path, script, 0600));
  Fd script_fd(::open(script_path.c_str(), O_RDONLY | O_CLOEXEC));
  if (!script_fd) return Error::from_errno("open " + script_path);
  Pipe out = BURROW_TRY(Pipe::make());
  Pipe err = BURROW_TRY(Pipe::make());
  std::string id = pod_->container_id(name);
  pod_->adopt(id);
  runtime::Stdio stdio{script_fd.get(), out.write.get(), err.write.get()};
  // Kept after it stops, so its cgroup's OOM count can be read before it goes.
  runtime::Child child = BURROW_TRY(runtime_->run(id, bundle, stdio, /*keep=*/true));
  out.write.reset();
  err.write.reset();
  script_fd.reset();
  std::vector<io::Sink*> out_sinks = {&*stdout_sink_};
  std::vector<io::Sink*> err_sinks = {&*stderr_sink_};
  if (log_) {
    out_sinks.push_back(&*log_);
    err_sinks.push_back(&*log_);
  }
  if (!job_.masked_values.empty()) {
    for (auto* sinks : {&out_sinks, &err_sinks}) {
      for (auto& sink : *sinks) {
        masking_sinks_.push_back(std::make_unique<io::MaskingSink>(*sink, job_.masked_values));
        sink = masking_sinks_.back().get();
      }
    }
  }
  BURROW_TRY(relay_->add_source(name + " stdout", std::move(out.read), io::Stream::kStdout,
                                out_sinks, name));
  BURROW_TRY(relay_->add_source(name + " stderr", std::move(err.read), io::Stream::kStderr,
                                err_sinks, name));

  std::optional<runtime::ExitStatus> exited;
  unsigned long oom_kills = 0;
  bool timed_out = false;
  Fd timer = BURROW_TRY(io::make_timer(timeout));
  Fd grace;
  // Every process of the container: through its cgroup (`kill --all`), or, for a rootless job
  // (no cgroup), every process in its init's mount namespace.
  auto signal_all = [&](int signal) {
    if (!options_.rootless) {
      (void)runtime_->kill(id, signal, true);
      return;
    }
    auto state = runtime_->state(id);
    pid_t init = state ? state->value("pid", 0) : 0;
    if (init > 0) (void)pod::signal_mount_namespace(init, signal);
  };
  // SIGTERM to every process of the container, then SIGKILL after the grace period.
  auto stop_container = [&](const std::string& why) -> Status {
    if (exited || grace) return {};
    say(why);
    signal_all(SIGTERM);
    grace = BURROW_TRY(io::make_timer(options_.grace));
    return loop_->watch(grace.get(), EPOLLIN, [&](uint32_t) {
      loop_->unwatch(grace.get());
      if (!exited) signal_all(SIGKILL);
    });
  };
  BURROW_TRY(loop_->watch(child.pidfd(), EPOLLIN, [&](uint32_t) {
    auto status = child.poll();
    if (!status) return loop_->fail(std::move(status).error());
    if (!status->has_value()) return;
    loop_->unwatch(child.pidfd());
    exited = **status;
    if (!plan.cgroups_path.empty()) oom_kills = pod::oom_kills(plan.cgroups_path).value_or(0);
    // Also ends any process of it left behind holding the output pipes.
    if (runtime_->remove(id)) pod_->forget(id);
  }));
  BURROW_TRY(loop_->watch(timer.get(), EPOLLIN, [&](uint32_t) {
    loop_->unwatch(timer.get());
    timed_out = true;
    if (auto stopped = stop_container("ERROR: Job failed: execution took longer than " +
                                      std::to_string(timeout.count()) + " seconds");
        !stopped)
      loop_->fail(std::move(stopped).error());
  }));
  bool cancelled_here = false;
  BURROW_TRY(loop_->watch(signals_.get(), EPOLLIN, [&](uint32_t) {
    int before = cancel_signal_;
    if (!cancel_pending() || before) return;
    cancelled_here = true;
    if (auto stopped =
            stop_container("ERROR: Job failed: cancelled (" + signal_name(cancel_signal_) + ")");
        !stopped)
      loop_->fail(std::move(stopped).error());
  }));
  // A cancel that came during an earlier phase stops this one at once.
  if (cancel_signal_ && is_job) BURROW_TRY(stop_container("ERROR: Job failed: cancelled"));
  std::optional<std::chrono::steady_clock::time_point> drain_deadline;
  Status ran = loop_->run_until([&] {
    if (!exited) return false;
    if (relay_->drained(name)) return true;
    if (!drain_deadline) drain_deadline = std::chrono::steady_clock::now() + kDrainPatience;
    return std::chrono::steady_clock::now() >= *drain_deadline;
  });
  for (int fd : {timer.get(), grace.get(), signals_.get(), child.pidfd()}) {
    if (fd >= 0 && loop_->watching(fd)) loop_->unwatch(fd);
  }
  BURROW_TRY(ran);
  if (is_job) {
    summary_.timed_out = timed_out;
    summary_.cancelled = cancel_signal_ != 0;
    summary_.oom_killed = oom_kills > 0;
    if (summary_.oom_killed)
      say("ERROR: the job's memory limit was exceeded: the kernel killed a process");
    if (exited->signal)
      summary_.signal = exited->signal;
    else
      summary_.exit_code = exited->code;
  } else if (exited->shell_code() != 0) {
    say("WARNING: after_script failed: " + exited->describe());
  }
  (void)cancelled_here;
  return {};
}

void JobRun::teardown() {
  auto measured = clock_.measure(Phase::kTeardown);
  bool pod_removed = true;
  if (pod_) {
    if (auto removed = pod_->teardown(); !removed) {
      pod_removed = false;
      fail_infra(ExitCode::kSystemFailure, removed.error().wrap("teardown"));
    }
  }
  relay_.reset();
  for (auto it = mounted_.rbegin(); it != mounted_.rend(); ++it) {
    if (auto released = it->release(); !released)
      fail_infra(ExitCode::kSystemFailure, released.error().wrap("teardown"));
  }
  mounted_.clear();
  pod_.reset();
  if (dir_ && !pod_removed) {
    // The runtime's state of what could not be deleted is in the job dir: keep it for
    // `burrow-shim cleanup`, which takes it once this shim has exited.
    say("WARNING: kept " + dir_->path() + " for `burrow-shim cleanup`");
  } else if (dir_) {
    if (auto removed = file::remove_all(dir_->path()); !removed)
      fail_infra(ExitCode::kSystemFailure, removed.error().wrap("teardown"));
  }
  slot_.reset();
}

int JobRun::run() {
  summary_.started_at = std::chrono::system_clock::now();
  if (auto opened = open_outputs(); !opened) {
    std::fprintf(stderr, "burrow-shim: %s\n", opened.error().message.c_str());
    return static_cast<int>(ExitCode::kSystemFailure);
  }
  for (const auto& keyword : job_.ignored_keywords)
    say("WARNING: keyword '" + keyword + "' is not acted on by burrow-shim");
  // A cancel (SIGINT/SIGTERM, held in the signalfd) that comes while images unpack or services
  // start stops the job at the next step.
  Status status = prepare();
  if (status && !cancel_pending() && !job_.services.empty()) {
    auto measured = clock_.measure(Phase::kServicesReady);  // starting them counts too
    status = start_services();
    if (status && !cancel_pending()) status = wait_for_services();
  }
  if (cancel_pending()) say("ERROR: Job failed: cancelled (" + signal_name(cancel_signal_) + ")");
  std::chrono::seconds timeout = options_.timeout.value_or(job_.timeout);
  if (status && !summary_.infra && !cancel_signal_) {
    say("Executing \"step_script\" stage of the job script");
    script::ScriptOptions script_options;
    script_options.shell =
        shell_.find("bash") != std::string::npos ? script::Shell::kBash : script::Shell::kPosix;
    auto measured = clock_.measure(Phase::kScript);
    status = run_script("job",
                        script::render_job_script(job_.before_script, job_.script, script_options),
                        timeout, true);
  }
  const bool script_failed = outcome::exit_code_for(summary_) != 0;
  const bool after_script_due = job_.after_script_when == job::When::kAlways ||
                                (job_.after_script_when == job::When::kOnFailure) == script_failed;
  if (status && !job_.after_script.empty() && pod_ && !summary_.infra && after_script_due) {
    say("Running after_script");
    script::ScriptOptions script_options;
    script_options.shell =
        shell_.find("bash") != std::string::npos ? script::Shell::kBash : script::Shell::kPosix;
    auto measured = clock_.measure(Phase::kAfterScript);
    status = run_script("after", script::render_after_script(job_.after_script, script_options),
                        options_.after_script_timeout, false);
  }
  if (!status) {
    ExitCode kind = summary_.infra ? summary_.infra->kind : ExitCode::kSystemFailure;
    fail_infra(kind, status.error());
  }
  if (cancel_signal_ && !summary_.exit_code && !summary_.signal) summary_.cancelled = true;
  teardown();
  summary_.phases = clock_.times();
  summary_.finished_at = std::chrono::system_clock::now();
  int code = outcome::exit_code_for(summary_);
  if (!summary_.infra) {
    if (code == 0)
      say("Job succeeded");
    else if (!summary_.timed_out && !summary_.cancelled)
      say("ERROR: Job failed: exit code " + std::to_string(code));
  }
  if (!options_.summary_file.empty()) {
    if (auto written = outcome::write_summary(options_.summary_file, summary_); !written) {
      say("ERROR: " + written.error().message);
      return static_cast<int>(ExitCode::kSystemFailure);
    }
  }
  if (log_) (void)log_->end_all();
  return code;
}

}  // namespace

int run_job(const job::Job& job, const RunOptions& options) {
  JobRun run(job, options);
  return run.run();
}

}  // namespace burrow::shim::run
