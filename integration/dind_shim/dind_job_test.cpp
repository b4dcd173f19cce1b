// Docker-in-Docker as a user runs it (issue 13, deliverables 3 and 5; labels dind and shim):
// `burrow-shim run` of a .gitlab-ci.yml with `services: [docker:dind]` and the variables of
// GitLab's docs (DOCKER_HOST tcp://docker:2376, DOCKER_TLS_CERTDIR /certs), the job in
// docker:cli (both images from scripts/make-dind-image). One job does what a user's job does,
// and each step is asserted on its output: the client certificates there when the script starts,
// `docker info` over TLS, `docker load` of a busybox archive from the workspace, `docker run`,
// `docker build`, a memory hog OOM-killed in its 32 MB inside the job's own limit, and a port
// published with `-p` reached from the job. After it, and after jobs that fail, time out or
// whose shim is SIGKILLed (then `burrow-shim cleanup`) with inner containers still running,
// nothing of the inner daemon is left on the host: no process of the pod's ids, no mount, no
// cgroup, no iptables rule in the host's namespaces, no file of the pod's ids outside the job's
// scratch dir (which is gone).
#include <signal.h>

#include <thread>

#include "dind_shim/dind_job_fixture.hpp"

namespace integration::shim {
namespace {

TEST_F(DindJob, DockerInfoLoadRunBuildOomAndPublishedPortAllWorkAndLeaveNothing) {
  auto result = run_dind_job(R"yaml(
    - ls $DOCKER_CERT_PATH | tr '\n' ' '; echo
    - cat /proc/self/uid_map
    - docker info --format 'server={{.ServerVersion}} cgroup={{.CgroupDriver}}'
    - docker load -i busybox.tar
    - docker run --rm busybox echo hi
    - printf 'FROM busybox\nRUN echo built-in-burrow > /built\n' > Dockerfile
    - docker build -q -t built . > /dev/null
    - docker run --rm built cat /built
    - docker run -m 32m --name hog busybox sh -c 'a=x; while :; do a=$a$a; done' || echo "hog exit=$?"
    - echo "hog oom=$(docker inspect -f '{{.State.OOMKilled}}' hog)"
    - docker run -d -p 8080:80 --name web busybox sh -c 'mkdir /www && echo served-by-inner > /www/index.html && exec httpd -f -p 80 -h /www' > /dev/null
    - for i in $(seq 100); do wget -qO- http://docker:8080/ 2>/dev/null && break; sleep 0.1; done
)yaml");
  ASSERT_EQ(result.exit_code, 0) << describe(result);
  const std::string& out = result.out;
  // The job waited for the client set: all three there when the script began.
  EXPECT_NE(out.find("\nca.pem cert.pem key.pem \n"), std::string::npos) << describe(result);
  EXPECT_NE(out.find("server=20.10"), std::string::npos) << describe(result);
  EXPECT_NE(out.find("cgroup=cgroupfs"), std::string::npos) << describe(result);
  EXPECT_NE(out.find("Loaded image: busybox:latest\n"), std::string::npos) << describe(result);
  EXPECT_NE(out.find("\nhi\n"), std::string::npos) << describe(result);
  EXPECT_NE(out.find("\nbuilt-in-burrow\n"), std::string::npos) << describe(result);
  EXPECT_NE(out.find("hog exit=137\n"), std::string::npos) << describe(result);
  EXPECT_NE(out.find("hog oom=true\n"), std::string::npos) << describe(result);
  EXPECT_NE(out.find("\nserved-by-inner\n"), std::string::npos) << describe(result);
  // The job itself was not what the OOM killer took.
  EXPECT_EQ(summary().value("oom_killed", true), false) << summary().dump();
  uint32_t host_uid = pod_host_uid(out);
  ASSERT_GE(host_uid, 1u << 30) << describe(result);
  EXPECT_EQ(leftovers(), "");
  EXPECT_EQ(inner_daemon_leftovers(host_uid), "");
}

// One limit for the whole pod: 350 MB that an inner container holds on a tmpfs (charged to the
// dind service's cgroup, and not freed by any kill) and 150 MB the job's shell holds each fit
// in --memory 512m alone, as they did when the job container and the dind service each had a
// limit of their own; together they exceed the pod's, so the job's allocation is OOM-killed.
TEST_F(DindJob, TheJobAndItsInnerContainersShareOneMemoryLimit) {
  auto result = run_dind_job(R"yaml(
    - docker load -i busybox.tar > /dev/null
    - docker run -d --name fill --tmpfs /fill:size=400m busybox sh -c 'dd if=/dev/zero of=/fill/f bs=1M count=350 2>/dev/null; echo filled; sleep 1000' > /dev/null
    - for i in $(seq 150); do docker logs fill 2>/dev/null | grep -q filled && break; sleep 0.2; done
    - echo "inner-$(docker logs fill)"
    - (x=$(dd if=/dev/zero bs=1M count=150 2>/dev/null | tr '\0' x); echo "job-held ${#x}") || echo "job-alloc-exit=$?"
)yaml");
  EXPECT_NE(result.out.find("\ninner-filled\n"), std::string::npos) << describe(result);
  EXPECT_EQ(result.out.find("\njob-held "), std::string::npos) << describe(result);
  EXPECT_NE(result.out.find("\njob-alloc-exit=137\n"), std::string::npos) << describe(result);
  EXPECT_EQ(summary().value("oom_killed", false), true) << summary().dump();
  EXPECT_EQ(leftovers(), "");
}

// GitLab's "TLS disabled" form: DOCKER_TLS_CERTDIR empty, the daemon on tcp 2375 (reached by an
// alias), the service given as a map with `profile: dind`, entrypoint and command.
TEST_F(DindJob, WithoutTlsThePlainPortServesAndNoCertsAreShared) {
  write_ci(
      "variables:\n"
      "  BURROW_TEST_ID: " +
      marker_ + R"yaml(
  DOCKER_HOST: tcp://docker:2375
  DOCKER_TLS_CERTDIR: ""
build:
  image: docker:cli
  services:
    - name: docker:dind
      alias: dockerd-here
      entrypoint: ["/usr/local/bin/dockerd-entrypoint.sh"]
      command: ["--mtu", "1400"]
      profile: dind
  script:
    - test ! -e /certs/client && echo no-client-certs
    - docker -H tcp://dockerd-here:2375 info --format 'server={{.ServerVersion}}'
    - docker load -i busybox.tar > /dev/null
    - docker run --rm busybox echo plain-hi
)yaml");
  auto result = run_job("build", options(), 600s);
  ASSERT_EQ(result.exit_code, 0) << describe(result);
  EXPECT_NE(result.out.find("\nno-client-certs\n"), std::string::npos) << describe(result);
  EXPECT_NE(result.out.find("server=20.10"), std::string::npos) << describe(result);
  EXPECT_NE(result.out.find("\nplain-hi\n"), std::string::npos) << describe(result);
  EXPECT_NE(result.err.find("Service docker:dind runs with profile dind (Docker-in-Docker)"),
            std::string::npos)
      << describe(result);
  EXPECT_EQ(leftovers(), "");
}

TEST_F(DindJob, AFailedJobWithInnerContainersRunningLeavesNothing) {
  auto result = run_dind_job(R"yaml(
    - cat /proc/self/uid_map
    - docker load -i busybox.tar > /dev/null
    - docker run -d --name sleeper busybox sleep 1000 > /dev/null
    - docker run -d -p 8081:80 --name web busybox httpd -f -p 80 > /dev/null
    - echo "running=$(docker ps -q | wc -l)"
    - exit 3
)yaml");
  ASSERT_EQ(result.exit_code, 3) << describe(result);
  EXPECT_NE(result.out.find("running=2\n"), std::string::npos) << describe(result);
  uint32_t host_uid = pod_host_uid(result.out);
  ASSERT_GE(host_uid, 1u << 30) << describe(result);
  EXPECT_EQ(leftovers(), "");
  EXPECT_EQ(inner_daemon_leftovers(host_uid), "");
}

TEST_F(DindJob, ATimedOutJobWithInnerContainersRunningLeavesNothing) {
  auto result = run_dind_job(R"yaml(
    - cat /proc/self/uid_map
    - docker load -i busybox.tar > /dev/null
    - docker run -d --name sleeper busybox sleep 1000 > /dev/null
    - echo started; docker wait sleeper
)yaml",
                             "  timeout: 20 seconds\n");
  ASSERT_EQ(result.exit_code, 243) << describe(result);
  EXPECT_NE(result.out.find("started\n"), std::string::npos) << describe(result);
  EXPECT_EQ(summary()["timed_out"], true) << summary().dump();
  uint32_t host_uid = pod_host_uid(result.out);
  ASSERT_GE(host_uid, 1u << 30) << describe(result);
  EXPECT_EQ(leftovers(), "");
  EXPECT_EQ(inner_daemon_leftovers(host_uid), "");
}

// The shim SIGKILLed mid-job: the pod (and with its pid namespace every inner container) dies
// with it, and `burrow-shim cleanup` removes the rest, the inner daemon's data dir included.
TEST_F(DindJob, SigkillOfTheShimThenCleanupLeavesNothing) {
  write_ci(dind_ci(marker_, R"yaml(
    - cat /proc/self/uid_map
    - docker load -i busybox.tar > /dev/null
    - docker run -d --name sleeper busybox sleep 1000 > /dev/null
    - echo started; docker wait sleeper
)yaml",
                   ""));
  auto shim = start_job("build", options());
  ASSERT_TRUE(shim->wait_for_output("started", 120s)) << read_text(work_ + "/shim.err");
  // Seen from the host while it runs: the inner daemon and the inner container's process run
  // as the pod's root, an unprivileged host uid of the job's range, in the job's cgroups.
  std::string running = read_text(work_ + "/shim.out");
  uint32_t pod_uid = pod_host_uid(running);
  ASSERT_GE(pod_uid, 1u << 30) << running;
  std::map<std::string, std::set<uint32_t>> uids = job_process_uids();
  EXPECT_EQ(uids["dockerd"], std::set<uint32_t>{pod_uid}) << running;
  EXPECT_EQ(uids["containerd"], std::set<uint32_t>{pod_uid}) << running;
  EXPECT_EQ(uids["sleep"], std::set<uint32_t>{pod_uid}) << running;  // the inner container's
  shim->send_signal(SIGKILL);
  CommandResult killed = shim->wait(10s);
  uint32_t host_uid = pod_host_uid(killed.out);
  ASSERT_EQ(host_uid, pod_uid) << killed.describe();
  std::this_thread::sleep_for(2s);
  CommandResult cleanup =
      run_command({shim_binary(), "cleanup", "--scratch", scratch_}, work_, 120s);
  EXPECT_EQ(cleanup.exit_code, 0) << cleanup.describe();
  EXPECT_NE(cleanup.out.find("removed "), std::string::npos) << cleanup.describe();
  EXPECT_EQ(leftovers(), "");
  EXPECT_EQ(inner_daemon_leftovers(host_uid), "");
}

}  // namespace
}  // namespace integration::shim
