// A dind service through GitLab Runner's custom executor (labels dind and shim): `burrow-shim
// gitlab config|prepare|run|cleanup` called as the runner calls them for a job with
// `services: [docker:dind]` and GitLab's TLS variables (CUSTOM_ENV_*), the build_script stage
// running `docker info`. The pod holder gives the service the same dind wiring as
// `burrow-shim run` (shim/run/dind_service): the prepare waits for the client certificates,
// the job container has them at /certs/client, the inner daemon runs as the pod's root; after
// cleanup nothing of it is left. (The whole stage sequence of the runner is the shim tier's
// integration/shim/shim_gitlab_test.cpp; here only the stages the dind service changes.)
#include "dind_shim/dind_job_fixture.hpp"

namespace integration::shim {
namespace {

class DindGitlab : public DindJob {
 protected:
  std::vector<std::string> driver_argv(const std::string& stage,
                                       const std::vector<std::string>& operands = {}) const {
    std::string runner_tmp = work_ + "/custom-executor";
    std::vector<std::string> argv = {
        "/usr/bin/env",
        "-i",
        "PATH=/usr/sbin:/usr/bin:/sbin:/bin",
        "BURROW_TEST_ID=" + marker_,
        "BUILD_FAILURE_EXIT_CODE=1",
        "SYSTEM_FAILURE_EXIT_CODE=2",
        "BUILD_EXIT_CODE_FILE=" + runner_tmp + "/build_exit_code",
        "JOB_RESPONSE_FILE=" + runner_tmp + "/response.json",
        "TMPDIR=" + runner_tmp,
        "CUSTOM_ENV_CI_JOB_ID=" + job_id_ + "000",
        "CUSTOM_ENV_CI_JOB_NAME=build",
        "CUSTOM_ENV_CI_JOB_IMAGE=docker:cli",
        "CUSTOM_ENV_CI_JOB_TIMEOUT=600",
        "CUSTOM_ENV_CI_PROJECT_DIR=/builds/group/project",
        "CUSTOM_ENV_BURROW_TEST_ID=" + marker_,
        "CUSTOM_ENV_DOCKER_HOST=tcp://docker:2376",
        "CUSTOM_ENV_DOCKER_TLS_CERTDIR=/certs",
        "CUSTOM_ENV_DOCKER_TLS_VERIFY=1",
        "CUSTOM_ENV_DOCKER_CERT_PATH=/certs/client",
        "CUSTOM_ENV_CI_JOB_SERVICES=[{\"name\":\"docker:dind\",\"alias\":\"\","
        "\"entrypoint\":null,\"command\":null}]",
        shim_binary(),
        "gitlab",
        stage,
        "--images",
        images_,
        "--scratch",
        scratch_,
        "--network",
        "none",
        "--memory",
        "512m",
        "--service-wait",
        "60",
        "--grace",
        "2"};
    argv.insert(argv.end(), operands.begin(), operands.end());
    return argv;
  }

  CommandResult driver(const std::string& stage, const std::vector<std::string>& operands = {}) {
    fs::create_directories(work_ + "/custom-executor");
    return run_command(driver_argv(stage, operands), work_ + "/custom-executor", 300s);
  }
};

TEST_F(DindGitlab, PrepareStartsTheDindServiceAndBuildScriptReachesItOverTls) {
  fs::create_directories(work_ + "/custom-executor");
  write_text(work_ + "/custom-executor/response.json", "{}\n");
  CommandResult config = driver("config");
  ASSERT_EQ(config.exit_code, 0) << config.describe();
  CommandResult prepare = driver("prepare");
  ASSERT_EQ(prepare.exit_code, 0) << prepare.describe();
  EXPECT_NE(prepare.out.find("Service docker:dind runs with profile dind (Docker-in-Docker)"),
            std::string::npos)
      << prepare.describe();
  // The runner's bash writer's shape, cut to the exports and the commands.
  std::string script = work_ + "/custom-executor/build_script";
  write_text(script,
             "#!/usr/bin/env bash\n"
             "export DOCKER_HOST=tcp://docker:2376 DOCKER_TLS_VERIFY=1 "
             "DOCKER_CERT_PATH=/certs/client\n"
             "ls $DOCKER_CERT_PATH | tr '\\n' ' '; echo\n"
             "cat /proc/self/uid_map\n"
             "docker info --format 'server={{.ServerVersion}} cgroup={{.CgroupDriver}}'\n");
  CommandResult build = driver("run", {script, "build_script"});
  CommandResult cleanup = driver("cleanup");
  ASSERT_EQ(build.exit_code, 0) << build.describe() << "\nprepare:\n" << prepare.describe();
  // The client set was whole when the stage began: prepare waited for it.
  EXPECT_NE(build.out.find("ca.pem cert.pem key.pem \n"), std::string::npos) << build.describe();
  EXPECT_NE(build.out.find("server=20.10"), std::string::npos) << build.describe();
  EXPECT_NE(build.out.find("cgroup=cgroupfs"), std::string::npos) << build.describe();
  uint32_t host_uid = pod_host_uid(build.out);
  EXPECT_GE(host_uid, 1u << 30) << build.describe();
  EXPECT_EQ(cleanup.exit_code, 0) << cleanup.describe();
  EXPECT_EQ(leftovers(), "");
  if (host_uid >= 1u << 30) {
    EXPECT_EQ(inner_daemon_leftovers(host_uid), "");
  }
}

}  // namespace
}  // namespace integration::shim
