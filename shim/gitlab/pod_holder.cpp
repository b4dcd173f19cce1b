#include "gitlab/pod_holder.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <unistd.h>

#include <optional>

#include "base/file.hpp"
#include "gitlab/pod_record.hpp"
#include "io/event_loop.hpp"
#include "outcome/exit_codes.hpp"
#include "pod/dind.hpp"
#include "pod/hosts.hpp"
#include "pod/job_dir.hpp"
#include "pod/pod.hpp"
#include "pod/readiness.hpp"
#include "run/container_fs.hpp"
#include "run/dind_service.hpp"
#include "run/images.hpp"
#include "run/pod_parts.hpp"

namespace burrow::shim::gitlab {
namespace {

using namespace std::chrono_literals;
using outcome::ExitCode;

// Where a container's first process is bound: tini in a service, burrow-pod-init (idling until
// the holder closes its stdin) in the job and helper containers.
constexpr const char* kInit = "/.burrow-shim/init";

struct Pipe {
  Fd read;
  Fd write;
};

Result<Pipe> make_pipe() {
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) < 0) return Error::from_errno("pipe");
  return Pipe{Fd(fds[0]), Fd(fds[1])};
}

struct ServiceRun {
  job::ServiceSpec spec;
  std::string name;
  std::string log_path;
  std::vector<int> ports;
  std::optional<runtime::Child> waiter;
  std::optional<run::DindService> dind;  // a service of profile dind
};

class Holder {
 public:
  Holder(const Environment& env, const DriverOptions& options, std::string key, Fd report)
      : env_(env), options_(options), key_(std::move(key)), report_(std::move(report)) {}
  int run();

 private:
  void send(const std::string& line);
  void say(const std::string& text) { send("say " + text); }
  bool cancelled();
  Status setup();
  Status prepare_images();
  Status start_pod();
  Result<image::Rootfs> mount_rootfs_for(const std::string& image_name, const std::string& name);
  void add_shared_mounts(pod::ContainerPlan& plan) const;
  void add_certs_mounts(pod::ContainerPlan& plan) const;
  Status start_services();
  Status wait_for_services();
  Result<Member> start_member(const std::string& name, const std::string& image_name);
  void wait_for_end();
  void teardown();

  const Environment& env_;
  const DriverOptions& options_;
  std::string key_;
  Fd report_;
  Fd signals_;
  ExitCode failure_ = ExitCode::kSystemFailure;

  std::string job_image_;
  std::string helper_image_;
  std::vector<ServiceRun> services_;
  std::optional<pod::IdSlot> slot_;
  pod::IdRange ids_;
  std::optional<pod::JobDir> dir_;
  std::optional<runtime::RuntimeClient> runtime_;
  std::optional<run::PreparedImages> images_;
  std::optional<pod::Pod> pod_;
  std::vector<image::Rootfs> mounted_;
  std::optional<run::PodRootfs> rootfs_;
  std::vector<Fd> keepers_;  // write ends of the job's and helper's stdin: closing ends them
  std::vector<Fd> service_logs_;
};

void Holder::send(const std::string& line) {
  if (!report_) return;
  std::string text = line;
  for (auto& c : text) {
    if (c == '\n') c = '\r';  // one message, one line; prepare turns them back
  }
  text += '\n';
  // A prepare that is gone (killed by the runner) reads nothing more: go on, cleanup follows.
  if (::write(report_.get(), text.data(), text.size()) < 0) report_.reset();
}

// SIGTERM/SIGINT (cleanup, or prepare passing on the runner's kill), or prepare gone without
// passing anything on (killed): the pod would have no one to clean it up.
bool Holder::cancelled() {
  struct signalfd_siginfo info {};
  if (signals_ && ::read(signals_.get(), &info, sizeof info) == static_cast<ssize_t>(sizeof info))
    return true;
  if (!report_) return true;
  struct pollfd reader = {report_.get(), 0, 0};
  return ::poll(&reader, 1, 0) > 0 && (reader.revents & (POLLERR | POLLHUP)) != 0;
}

Status Holder::prepare_images() {
  job_image_ = job_variable(env_, "CI_JOB_IMAGE");
  if (job_image_.empty()) job_image_ = options_.pod.default_image;
  if (job_image_.empty()) {
    failure_ = ExitCode::kImageFailure;
    return Error::msg("the job names no image (CI_JOB_IMAGE) and no --default-image is given");
  }
  helper_image_ = options_.helper_image.empty() ? job_image_ : options_.helper_image;
  auto services = job_services(env_);
  if (!services) {
    failure_ = ExitCode::kSystemFailure;
    return std::move(services).error();
  }
  std::vector<std::string> names = {job_image_, helper_image_};
  for (size_t i = 0; i < services->size(); ++i) {
    ServiceRun service;
    service.spec = (*services)[i];
    service.name = "svc" + std::to_string(i);
    names.push_back(service.spec.image.name);
    services_.push_back(std::move(service));
  }
  say("Using image " + job_image_ + " from " + options_.pod.images_dir);
  auto images = run::PreparedImages::prepare(options_.pod.images_dir, names, image::IdShift{});
  if (!images) {
    failure_ = ExitCode::kImageFailure;
    return std::move(images).error();
  }
  images_.emplace(std::move(images).value());
  return {};
}

Status Holder::start_pod() {
  BURROW_TRY(file::mkdir_all(options_.pod.scratch_root, 0711));
  if (::chmod(options_.pod.scratch_root.c_str(), 0711) < 0)
    return Error::from_errno("chmod " + options_.pod.scratch_root);
  slot_.emplace(BURROW_TRY(pod::IdSlot::acquire(options_.pod.scratch_root + "/.id-slots")));
  ids_ = slot_->range();
  runtime_.emplace(options_.pod.runtime_binary, dir_->state_dir(), dir_->logs_dir());
  for (const std::string& dir : {dir_->builds_dir(), dir_->path() + "/cache"}) {
    BURROW_TRY(file::mkdir_all(dir, 0755));
    if (::chown(dir.c_str(), ids_.host_uid, ids_.host_gid) < 0)
      return Error::from_errno("chown " + dir);
  }
  std::string spec_dir = dir_->path() + "/spec";
  BURROW_TRY(file::mkdir_all(spec_dir, 0700));
  nlohmann::json base = BURROW_TRY(runtime_->spec(spec_dir, "default"));
  pod::PodOptions pod_options;
  pod_options.pod_init_binary = options_.pod.pod_init_binary;
  pod_options.ids = ids_;
  pod_options.hostname = pod_hostname(env_);
  pod_options.network = options_.pod.network;
  pod_options.memory_limit = options_.pod.memory_limit;
  std::vector<job::ServiceSpec> specs;
  std::vector<std::vector<std::string>> commands;
  for (const auto& service : services_) {
    specs.push_back(service.spec);
    commands.push_back(run::service_command(service.spec, images_->at(service.spec.image.name)));
  }
  pod_options.writable_sysfs = run::has_dind_service(specs, commands);
  pod_.emplace(BURROW_TRY(pod::Pod::start(*dir_, *runtime_, std::move(base), pod_options)));
  if (pod_options.writable_sysfs) BURROW_TRY(run::load_dind_profile_base(*dir_, *runtime_, *pod_));
  return {};
}

Result<image::Rootfs> Holder::mount_rootfs_for(const std::string& image_name,
                                               const std::string& name) {
  if (!rootfs_) rootfs_.emplace(*images_, ids_, pod_->infra_pid());
  return rootfs_->mount(image_name, dir_->container_dir(name),
                        [this](const std::string& warning) { say(warning); });
}

// GitLab's `/certs/client` volume: each dind service's client certificates.
void Holder::add_certs_mounts(pod::ContainerPlan& plan) const {
  std::vector<run::DindService> dind;
  for (const auto& service : services_) {
    if (service.dind) dind.push_back(*service.dind);
  }
  for (auto& mount : run::job_certs_mounts(dind)) plan.extra_mounts.push_back(std::move(mount));
}

void Holder::add_shared_mounts(pod::ContainerPlan& plan) const {
  plan.extra_mounts.push_back(pod::bind_mount(dir_->builds_dir(), options_.builds_dir, false));
  std::string cache = options_.host_cache.empty() ? dir_->path() + "/cache" : options_.host_cache;
  plan.extra_mounts.push_back(pod::bind_mount(cache, options_.cache_dir, false));
  for (const auto& volume : options_.pod.volumes)
    plan.extra_mounts.push_back(pod::bind_mount(volume.host, volume.container, volume.read_only));
}

Status Holder::start_services() {
  std::vector<std::string> names;
  for (const auto& service : services_) {
    auto host_names = pod::service_host_names(service.spec);
    names.insert(names.end(), host_names.begin(), host_names.end());
  }
  BURROW_TRY(pod_->write_hosts(names));
  job::Variables variables = job_variables(env_);
  for (auto& service : services_) {
    const std::string& image_name = service.spec.image.name;
    std::string where = "service " + image_name;
    say("Starting service " + image_name + " ...");
    const run::PreparedImage& image = images_->at(image_name);
    mounted_.push_back(BURROW_TRY_CTX(mount_rootfs_for(image_name, service.name), where));
    std::string rootfs = mounted_.back().path();
    pod::ContainerPlan plan = pod_->member_plan(service.name);
    plan.rootfs = rootfs;
    std::vector<std::string> command = run::service_command(service.spec, image);
    if (command.empty()) return Error::msg(where + ": the image has no command to run");
    plan.args = {kInit, "-s", "-g", "--"};
    plan.args.insert(plan.args.end(), command.begin(), command.end());
    plan.env =
        run::container_environment(image.image.config.env, variables, service.spec.variables);
    plan.cwd = image.image.config.working_dir.empty() ? "/" : image.image.config.working_dir;
    auto user = BURROW_TRY_CTX(run::resolve_image_user(rootfs, image.image.config.user), where);
    plan.uid = user.uid;
    plan.gid = user.gid;
    plan.extra_mounts.push_back(pod::bind_mount(options_.pod.service_init_binary, kInit, true));
    add_shared_mounts(plan);
    if (pod::service_profile(service.spec, command) == pod::kDindProfile) {
      say("Service " + image_name + " runs with profile dind (Docker-in-Docker)");
      service.dind.emplace(BURROW_TRY_CTX(
          run::prepare_dind_service(*dir_, ids_, service.name, plan, options_.pod.memory_limit),
          where));
    }
    service.log_path = dir_->logs_dir() + "/" + service.name + ".log";
    Fd log(::open(service.log_path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600));
    if (!log) return Error::from_errno("open " + service.log_path);
    BURROW_TRY_CTX(pod_->start_member(service.name, plan, runtime::Stdio{-1, log.get(), log.get()}),
                   where);
    service_logs_.push_back(std::move(log));
    service.ports = pod::ports_to_wait_for(image.image.config.exposed_ports, [&] {
      for (const auto& v : service.spec.variables) {
        if (v.key == "HEALTHCHECK_TCP_PORT") return v.value;
      }
      return std::string();
    }());
  }
  return {};
}

Status Holder::wait_for_services() {
  if (services_.empty()) return {};
  say("Waiting for services to be up and running (timeout " +
      std::to_string(options_.pod.service_wait.count()) + " seconds)...");
  for (auto& service : services_) {
    if (service.ports.empty()) continue;
    // A dind service with TLS is ready once its client certificates are there too.
    std::vector<std::string> files =
        service.dind ? service.dind->cert_files() : std::vector<std::string>{};
    service.waiter.emplace(BURROW_TRY(pod::start_port_wait(
        pod_->infra_pid(), service.ports, options_.pod.service_wait, /*join_user=*/false, files)));
  }
  for (auto& service : services_) {
    if (!service.waiter) continue;
    // The waiter gives up by itself after --service-wait; a cancel ends the wait at once.
    struct pollfd watched[3] = {{service.waiter->pidfd(), POLLIN, 0},
                                {signals_.get(), POLLIN, 0},
                                {report_ ? report_.get() : -1, 0, 0}};
    while (::poll(watched, 3, -1) < 0 && errno == EINTR) {
    }
    if (!watched[0].revents && cancelled())
      return Error::msg("cancelled while waiting for services");
    auto ended = BURROW_TRY(service.waiter->wait(options_.pod.service_wait + 10s));
    if (ended && ended->shell_code() == 0) continue;
    std::string ports;
    for (int port : service.ports) ports += (ports.empty() ? "" : ", ") + std::to_string(port);
    say("*** WARNING: Service " + service.spec.image.name +
        " probably didn't start properly.\n\nHealth check error:\nno TCP connection on port(s) " +
        ports + " within " + std::to_string(options_.pod.service_wait.count()) +
        " seconds\n\nService container logs:\n" + run::tail_lines(service.log_path, 20) +
        "*********");
    if (options_.pod.service_wait_fatal) {
      failure_ = ExitCode::kServiceFailure;
      return Error::msg("service " + service.spec.image.name + " did not start");
    }
  }
  return {};
}

Result<Member> Holder::start_member(const std::string& name, const std::string& image_name) {
  std::string where = name + " container (" + image_name + ")";
  const run::PreparedImage& image = images_->at(image_name);
  mounted_.push_back(BURROW_TRY_CTX(mount_rootfs_for(image_name, name), where));
  std::string rootfs = mounted_.back().path();
  Member member{pod_->container_id(name), run::find_shell(rootfs)};
  if (member.shell.empty())
    return Error::msg("image " + image_name + " has no shell (bash or sh) to run the scripts");
  pod::ContainerPlan plan = pod_->member_plan(name);
  plan.rootfs = rootfs;
  plan.args = {kInit};
  plan.env = image.image.config.env;
  plan.cwd = options_.builds_dir;
  auto user = BURROW_TRY_CTX(run::resolve_image_user(rootfs, image.image.config.user), where);
  plan.uid = user.uid;
  plan.gid = user.gid;
  if (name == "job") plan.memory_limit = options_.pod.memory_limit;
  plan.extra_mounts.push_back(pod::bind_mount(options_.pod.pod_init_binary, kInit, true));
  add_shared_mounts(plan);
  if (name == "job") add_certs_mounts(plan);
  Pipe keeper = BURROW_TRY(make_pipe());
  BURROW_TRY_CTX(pod_->start_member(name, plan, runtime::Stdio{keeper.read.get(), -1, -1}), where);
  keepers_.push_back(std::move(keeper.write));
  return member;
}

Status Holder::setup() {
  BURROW_TRY(prepare_images());
  if (cancelled()) return Error::msg("cancelled while the images were prepared");
  dir_.emplace(BURROW_TRY(pod::JobDir::create(options_.pod.scratch_root, key_)));
  BURROW_TRY(start_pod());
  if (cancelled()) return Error::msg("cancelled while the pod started");
  BURROW_TRY(start_services());
  BURROW_TRY(wait_for_services());
  if (cancelled()) return Error::msg("cancelled while the services started");
  PodRecord record;
  record.job = BURROW_TRY(start_member("job", job_image_));
  record.helper = BURROW_TRY(start_member("helper", helper_image_));
  if (cancelled()) return Error::msg("cancelled while the job's containers started");
  BURROW_TRY(file::write_atomic(dir_->path() + "/gitlab.json", pod_record_text(record), 0600));
  return {};
}

void Holder::wait_for_end() {
  std::chrono::seconds timeout{3600};
  if (auto text = job_variable(env_, "CI_JOB_TIMEOUT"); !text.empty()) {
    try {
      timeout = std::chrono::seconds(std::stol(text));
    } catch (...) {
    }
  }
  auto deadline = io::make_timer(timeout + options_.leftover_slack);
  struct pollfd watched[2] = {{signals_.get(), POLLIN, 0},
                              {deadline ? deadline->get() : -1, POLLIN, 0}};
  while (::poll(watched, 2, -1) < 0 && errno == EINTR) {
  }
}

void Holder::teardown() {
  bool pod_removed = true;
  if (pod_) pod_removed = pod_->teardown().ok();
  keepers_.clear();
  for (auto it = mounted_.rbegin(); it != mounted_.rend(); ++it) (void)it->release();
  mounted_.clear();
  pod_.reset();
  service_logs_.clear();
  // What could not be removed stays for `cleanup`, which finds this dir without a live owner.
  if (dir_ && pod_removed) (void)file::remove_all(dir_->path());
  slot_.reset();
}

int Holder::run() {
  auto signals = io::make_signalfd({SIGTERM, SIGINT});
  if (!signals) {
    say("ERROR: " + signals.error().message);
    send("failed system");
    return 1;
  }
  signals_ = std::move(signals).value();
  if (auto ready = setup(); !ready) {
    say("ERROR: Job failed (system failure): preparing the pod: " + ready.error().message);
    teardown();
    send(std::string("failed ") + std::string(outcome::exit_code_name(failure_)));
    return 1;
  }
  say("The job's pod is up (" + dir_->key() + ")");
  send(kReady);
  report_.reset();
  wait_for_end();
  teardown();
  return 0;
}

}  // namespace

int hold_pod(const Environment& env, const DriverOptions& options, const std::string& key,
             Fd report) {
  Holder holder(env, options, key, std::move(report));
  return holder.run();
}

}  // namespace burrow::shim::gitlab
