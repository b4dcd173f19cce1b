// The isolation proof of Docker-in-Docker jobs (issue 13, deliverable 4; labels dind, shim and
// security). Two dind jobs run at once from one .gitlab-ci.yml (sides a and b), each with a
// container, an image tag and a network of its own in its inner daemon and an inner
// `docker run --privileged --pid=host --net=host -v /:/host` container left running. While both
// run, the host plants what a job must not see: a marker process, a marker file outside the pod,
// a unix socket (a path and an abstract name: the host's docker socket's stand-in, next to the
// real /var/run/docker.sock when the host has one) and a link (dummy or veth) in the host's network
// namespace. One probe script (written to the workspace) runs in each job, in an inner
// privileged container of each job, and on the host as the control that shows the same probe
// does find every marker. Asserted: nothing of the host is seen from the job or the inner root;
// the inner root's processes run as an unprivileged uid of the job's range in a user namespace
// that is not the host's, under the job's memory limit, which is on the pod's own cgroup
// above the job container's and the dind service's (read from the host's /proc and cgroup
// files); the job's write raising its cgroup's memory limit is refused, and whatever the inner
// root writes to its own (delegated) cgroup, the limit in force stays the job's; and each job
// sees only its own daemon, containers, images and networks.
#include <signal.h>
#include <sys/socket.h>
#include <sys/un.h>

#include <memory>

#include "dind_shim/dind_job_fixture.hpp"

namespace integration::shim {
namespace {

constexpr int64_t kJobMemory = 512LL << 20;  // options()'s --memory 512m

// A listening unix socket the test holds on the host: at a path (unlinked at the end) or, when
// the path starts with '@', an abstract name of the host's network namespace.
class HostSocket {
 public:
  explicit HostSocket(const std::string& name) : name_(name) {
    fd_ = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_un address{};
    address.sun_family = AF_UNIX;
    std::copy(name.begin(), name.end(), address.sun_path);
    if (name[0] == '@') address.sun_path[0] = '\0';
    socklen_t length = static_cast<socklen_t>(offsetof(sockaddr_un, sun_path) + name.size());
    ok_ = fd_ >= 0 && ::bind(fd_, reinterpret_cast<const sockaddr*>(&address), length) == 0 &&
          ::listen(fd_, 1) == 0;
  }
  HostSocket(const HostSocket&) = delete;
  HostSocket& operator=(const HostSocket&) = delete;
  ~HostSocket() {
    if (fd_ >= 0) ::close(fd_);
    if (ok_ && name_[0] != '@') ::unlink(name_.c_str());
  }
  bool ok() const { return ok_; }

 private:
  std::string name_;
  int fd_ = -1;
  bool ok_ = false;
};

// A link of the test's in the host's network namespace: a dummy, or where the kernel has no dummy
// driver a veth pair (`name` and `name`p) with both ends in the host's namespace. Deleted at the
// end; nothing else of the host's networking is touched.
class HostDummyLink {
 public:
  HostDummyLink(const std::string& name, const std::string& dir) : name_(name), dir_(dir) {
    made_ =
        run_command({"ip", "link", "add", name_, "type", "dummy"}, dir_).exit_code == 0 ||
        run_command({"ip", "link", "add", name_, "type", "veth", "peer", "name", name_ + "p"}, dir_)
                .exit_code == 0;
  }
  HostDummyLink(const HostDummyLink&) = delete;
  HostDummyLink& operator=(const HostDummyLink&) = delete;
  ~HostDummyLink() {
    if (made_) run_command({"ip", "link", "del", name_}, dir_);
  }
  bool made() const { return made_; }

 private:
  std::string name_;
  std::string dir_;
  bool made_ = false;
};

// The probe: each line "<where> <what>=<count>", a count of the host's markers it found.
std::string probe_script(const std::string& process_pattern, const std::string& secret_file,
                         const std::string& secret_pattern, const std::string& socket_path,
                         const std::string& socket_pattern, const std::string& link) {
  return "w=$1\n"
         // Processes: the marker's argv[0] in any /proc/PID/cmdline (the pattern's brackets
         // keep the probe's own grep from matching itself).
         "n=$(cat /proc/[0-9]*/cmdline 2>/dev/null | tr '\\0' '\\n' | grep -c '" +
         process_pattern +
         "')\n"
         "echo \"$w processes=$n\"\n"
         // Files: the host's marker file, directly, through a bind of / and through pid 1's root.
         "n=0; for r in '' /host /proc/1/root; do\n"
         "  grep -qs '" +
         secret_pattern + "' \"$r" + secret_file +
         "\" && n=$((n+1))\n"
         "done; echo \"$w files=$n\"\n"
         // Sockets: the host's stand-in socket by path (directly, through /host and pid 1's
         // root), the host's docker socket (its own path only: under /host is the pod's daemon's),
         // and both names in the network namespace's socket table.
         "n=0; for r in '' /host /proc/1/root; do [ -S \"$r" +
         socket_path +
         "\" ] && n=$((n+1)); done\n"
         "for s in /var/run/docker.sock /proc/1/root/var/run/docker.sock; do\n"
         "  [ \"$w\" != host ] && [ -S $s ] && n=$((n+1))\n"
         "done; echo \"$w sockets=$n\"\n"
         "echo \"$w unix=$(grep -c '" +
         socket_pattern +
         "' /proc/net/unix)\"\n"
         // Interfaces: the host's dummy link in /proc/net/dev and /sys/class/net.
         "n=$(grep -c '^ *" +
         link + ":' /proc/net/dev); [ -e /sys/class/net/" + link +
         " ] && n=$((n+1)); echo \"$w interfaces=$n\"\n"
         "[ \"$w\" = host ] && exit 0\n"
         "echo \"$w links=$(ls /sys/class/net | tr '\\n' ' ')\"\n"
         // Cgroup: the memory limit of the cgroup this root sees as its own, raising it, and
         // the limit in force after (v1: the lowest on the way up, hierarchical_memory_limit).
         "f=/sys/fs/cgroup/memory/memory.limit_in_bytes\n"
         "[ -e $f ] || f=/sys/fs/cgroup/memory.max\n"
         "if [ -e $f ]; then\n"
         "  b=$(cat $f)\n"
         "  if (echo 8589934592 > $f) 2>/dev/null; then r=raised; else r=refused; fi\n"
         "  echo \"$w cgroup limit=$b raise=$r after=$(cat $f)\"\n"
         "  h=$(sed -n 's/^hierarchical_memory_limit //p' ${f%/*}/memory.stat 2>/dev/null)\n"
         "  echo \"$w in-force=${h:-none}\"\n"
         "else echo \"$w cgroup limit=none\"; fi\n";
}

// The count the probe printed for "<where> <what>", -1 when it printed none.
int probe_count(const std::string& out, const std::string& where, const std::string& what) {
  std::string key = "\n" + where + " " + what + "=";
  size_t at = ("\n" + out).find(key);
  if (at == std::string::npos) return -1;
  return std::atoi(out.c_str() + at + key.size() - 1);
}

// The value of "key=" on the first line starting with `prefix`.
std::string line_value(const std::string& out, const std::string& prefix) {
  std::istringstream in(out);
  for (std::string line; std::getline(in, line);) {
    if (line.rfind(prefix, 0) == 0) return line.substr(prefix.size());
  }
  return "<no line " + prefix + ">";
}

class DindIsolation : public DindJob {
 protected:
  // The job of side `side` ("a" or "b"): its own CI_JOB_ID, log and summary.
  std::unique_ptr<Command> start_side(const std::string& side) {
    std::vector<std::string> argv =
        run_argv("side-" + side, options(), side == "a" ? "001" : "002");
    for (size_t i = 0; i + 1 < argv.size(); ++i) {
      if (argv[i] == "--log") argv[i + 1] = work_ + "/job-" + side + ".log";
      if (argv[i] == "--summary") argv[i + 1] = work_ + "/summary-" + side + ".json";
    }
    return std::make_unique<Command>(argv, work_ + "/" + side + ".out",
                                     work_ + "/" + side + ".err");
  }

  // Pids of this test's job processes (CI_JOB_ID job_id_ + suffix) whose cmdline is `cmdline`
  // (NUL-separated args).
  std::vector<pid_t> job_processes(const std::string& suffix, const std::string& cmdline) const {
    std::vector<pid_t> pids;
    for (const auto& entry : fs::directory_iterator("/proc")) {
      std::string pid = entry.path().filename().string();
      if (pid.find_first_not_of("0123456789") != std::string::npos) continue;
      std::string cgroups = read_text(entry.path().string() + "/cgroup");
      if (cgroups.find("burrow-shim-" + job_id_ + suffix + "-") == std::string::npos) continue;
      if (read_text(entry.path().string() + "/cmdline") == cmdline) pids.push_back(std::stoi(pid));
    }
    return pids;
  }

  static std::string status_field(pid_t pid, const std::string& field) {
    std::istringstream in(read_text("/proc/" + std::to_string(pid) + "/status"));
    for (std::string line; std::getline(in, line);) {
      if (line.rfind(field + ":", 0) == 0) return line.substr(field.size() + 1);
    }
    return "";
  }

  // The host path of `pid`'s memory cgroup (cgroup v1), "" when it has none.
  static std::string memory_cgroup(pid_t pid) {
    std::istringstream in(read_text("/proc/" + std::to_string(pid) + "/cgroup"));
    for (std::string line; std::getline(in, line);) {
      size_t at = line.find(":memory:");
      if (at != std::string::npos) return "/sys/fs/cgroup/memory" + line.substr(at + 8);
    }
    return "";
  }
};

const char* kSideScript = R"yaml(
    - cat /proc/self/uid_map
    - docker load -i busybox.tar > /dev/null
    - docker tag busybox img-$SIDE
    - echo "netid=$(docker network create net-$SIDE | cut -c1-12)"
    - docker run -d --name ctr-$SIDE --network net-$SIDE busybox sleep 1000 > /dev/null
    - docker run -d --privileged --pid=host --net=host -v /:/host --name holder-$SIDE busybox sleep 4242 > /dev/null
    - echo "daemon-id=$(docker info -f '{{.ID}}')"
    - echo ready; while [ ! -e go ]; do sleep 0.2; done
    - echo "ctrs=$(docker ps -a --format '{{.Names}}' | sort | tr '\n' ' ')"
    - echo "imgs=$(docker images --format '{{.Repository}}' | sort | tr '\n' ' ')"
    - echo "nets=$(docker network ls --format '{{.Name}}' | sort | tr '\n' ' ')"
    - sh probe.sh job
    - docker run --rm -i --privileged --pid=host --net=host -v /:/host busybox sh -s inner < probe.sh
)yaml";

TEST_F(DindIsolation, JobsAndTheirPrivilegedInnerRootsSeeNothingOfTheHostOrOfEachOther) {
  // What the host plants, each name with this test's pid.
  const std::string tag = std::to_string(::getpid());
  auto marker = std::make_unique<Command>(
      std::vector<std::string>{"bash", "-c", "exec -a burrow-host-marker-" + tag + " sleep 900"},
      work_ + "/marker.out", work_ + "/marker.err");
  const std::string secret = work_ + "/host-secret";
  write_text(secret, "burrow-host-secret-" + tag + "\n");
  HostSocket socket_file("/run/burrow-host-sock-" + tag + ".sock");
  HostSocket socket_abstract("@burrow-host-sock-" + tag);
  ASSERT_TRUE(socket_file.ok() && socket_abstract.ok()) << "host sockets: " << strerror(errno);
  const std::string link = "bhost" + tag;
  HostDummyLink dummy(link, work_);
  ASSERT_TRUE(dummy.made()) << "ip link add " << link << " (dummy or veth) failed";
  write_text(
      workspace_ + "/probe.sh",
      probe_script("burrow-host-marke[r]-" + tag, secret, "burrow-host-secre[t]-" + tag,
                   "/run/burrow-host-sock-" + tag + ".sock", "burrow-host-soc[k]-" + tag, link));

  // The control: the same probe on the host finds every marker.
  std::this_thread::sleep_for(200ms);  // the marker has exec'd
  auto host = run_command({"sh", workspace_ + "/probe.sh", "host"}, work_);
  ASSERT_EQ(host.exit_code, 0) << host.describe();
  EXPECT_EQ(probe_count(host.out, "host", "processes"), 1) << host.out;
  EXPECT_EQ(probe_count(host.out, "host", "files"), 1) << host.out;
  EXPECT_EQ(probe_count(host.out, "host", "sockets"), 1) << host.out;
  EXPECT_EQ(probe_count(host.out, "host", "unix"), 2) << host.out;
  EXPECT_EQ(probe_count(host.out, "host", "interfaces"), 2) << host.out;

  std::string ci = dind_ci(marker_, kSideScript, "");
  size_t job_at = ci.find("build:\n");
  std::string head = ci.substr(0, job_at);
  std::string job = ci.substr(job_at + 7);
  write_ci(head + "side-a:\n  variables:\n    SIDE: a\n" + job +
           "side-b:\n  variables:\n    SIDE: b\n" + job);
  auto a = start_side("a");
  auto b = start_side("b");
  // A failed assertion ends the test early: both jobs are cancelled (SIGTERM: the shim tears its
  // pod down) rather than SIGKILLed, and the fixture's leftover checks judge what they left.
  struct CancelOnExit {
    std::vector<Command*> jobs;
    bool finished = false;
    ~CancelOnExit() {
      if (finished) return;
      for (Command* job : jobs) job->send_signal(SIGTERM);
      for (Command* job : jobs) job->wait(60s);
    }
  } cancel{{a.get(), b.get()}};
  ASSERT_TRUE(a->wait_for_output("ready\n", 300s)) << read_text(work_ + "/a.err");
  ASSERT_TRUE(b->wait_for_output("ready\n", 300s)) << read_text(work_ + "/b.err");

  // From the host, while both run: each inner privileged root is an unprivileged uid of its
  // job's range, in a user namespace that is not the host's; the limits are the host's.
  std::map<std::string, uint32_t> pod_uid;
  for (const std::string side : {"a", "b"}) {
    std::string out = read_text(work_ + "/" + side + ".out");
    pod_uid[side] = pod_host_uid(out);
    ASSERT_GE(pod_uid[side], 1u << 30) << out;
    std::vector<pid_t> inner = job_processes(side == "a" ? "001" : "002", std::string("sleep\0"
                                                                                      "4242\0",
                                                                                      11));
    ASSERT_EQ(inner.size(), 1u) << "the inner privileged container's sleep of side " << side;
    std::istringstream uids(status_field(inner[0], "Uid"));
    for (uint32_t uid = 0; uids >> uid;) {
      EXPECT_GE(uid, pod_uid[side]) << side;
      EXPECT_LT(uid, pod_uid[side] + kRangeSize) << side;
    }
    EXPECT_NE(fs::read_symlink("/proc/" + std::to_string(inner[0]) + "/ns/user"),
              fs::read_symlink("/proc/self/ns/user"));
    std::string cgroup = memory_cgroup(inner[0]);
    ASSERT_FALSE(cgroup.empty()) << "no memory cgroup of pid " << inner[0];
    std::string stat = read_text(cgroup + "/memory.stat");
    size_t at = stat.find("hierarchical_memory_limit ");
    ASSERT_NE(at, std::string::npos) << stat;
    EXPECT_LE(std::stoll(stat.substr(at + 26)), kJobMemory) << cgroup;
    // One limit for the whole pod: the dind service's cgroup (the inner container's is below it)
    // and the job container's are in the pod's, which has the job's limit.
    size_t pod_at = cgroup.find("/burrow-shim-" + job_id_ + (side == "a" ? "001" : "002") + "-");
    ASSERT_NE(pod_at, std::string::npos) << cgroup;
    std::string pod_cgroup = cgroup.substr(0, cgroup.find('/', pod_at + 1));
    EXPECT_EQ(read_text(pod_cgroup + "/memory.limit_in_bytes"), std::to_string(kJobMemory) + "\n");
    EXPECT_TRUE(fs::is_directory(pod_cgroup + "/job")) << pod_cgroup;
    EXPECT_EQ(cgroup.rfind(pod_cgroup + "/svc0/", 0), 0u) << cgroup;
  }
  EXPECT_GE(std::max(pod_uid["a"], pod_uid["b"]) - std::min(pod_uid["a"], pod_uid["b"]), kRangeSize)
      << "the two jobs' id ranges overlap";

  write_text(workspace_ + "/go", "");
  CommandResult ran_a = a->wait(300s);
  CommandResult ran_b = b->wait(300s);
  cancel.finished = true;
  ASSERT_EQ(ran_a.exit_code, 0) << ran_a.describe();
  ASSERT_EQ(ran_b.exit_code, 0) << ran_b.describe();

  for (const std::string side : {"a", "b"}) {
    const std::string other = side == "a" ? "b" : "a";
    const std::string& out = side == "a" ? ran_a.out : ran_b.out;
    const std::string& other_out = side == "a" ? ran_b.out : ran_a.out;
    for (const std::string where : {"job", "inner"}) {
      for (const std::string what : {"processes", "files", "sockets", "unix", "interfaces"})
        EXPECT_EQ(probe_count(out, where, what), 0) << side << " " << where << " " << what << "\n"
                                                    << out;
      // Whatever the root may write (the inner root owns its container's delegated cgroup), the
      // limit in force stays the job's.
      std::string in_force = line_value(out, where + " in-force=");
      EXPECT_TRUE(!in_force.empty() && std::isdigit(static_cast<unsigned char>(in_force[0])) &&
                  std::stoll(in_force) <= kJobMemory)
          << side << " " << where << ": " << in_force << "\n"
          << out;
    }
    EXPECT_EQ(line_value(out, "job cgroup "),
              "limit=" + std::to_string(kJobMemory) +
                  " raise=refused after=" + std::to_string(kJobMemory))
        << out;
    // Each job's daemon is its own: its containers, images and networks only.
    EXPECT_NE(line_value(out, "daemon-id="), line_value(other_out, "daemon-id="));
    EXPECT_EQ(line_value(out, "ctrs="), "ctr-" + side + " holder-" + side + " ") << out;
    EXPECT_EQ(line_value(out, "imgs="), "busybox img-" + side + " ") << out;
    EXPECT_EQ(line_value(out, "nets="), "bridge host net-" + side + " none ") << out;
    std::string links = line_value(out, "inner links=");
    EXPECT_NE(links.find("br-" + line_value(out, "netid=")), std::string::npos) << links;
    EXPECT_EQ(links.find("br-" + line_value(other_out, "netid=")), std::string::npos) << links;
  }
  EXPECT_EQ(leftovers(), "");
  EXPECT_EQ(inner_daemon_leftovers(pod_uid["a"]), "");
  EXPECT_EQ(inner_daemon_leftovers(pod_uid["b"]), "");
}

}  // namespace
}  // namespace integration::shim
