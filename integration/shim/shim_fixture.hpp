// The shim tier (label shim): `burrow-shim run` end to end, as a user runs it, with real pods on
// the build's burrow; as root, and (integration_shim_rootless, labels rootless and shim) as the
// unprivileged test user, whose jobs run in a user namespace of their own. Test images are built
// from the shared test rootfs (busybox + probe) by scripts/make-image-archive, once per test run,
// and imported into a store shared by the run; each test has a scratch root of its own, and
// TearDown checks that the job left nothing: no job dir, no mount under the scratch root, no
// process carrying the test's marker, no cgroup.
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "harness/command.hpp"

namespace integration::shim {

// The test images (README: Tests, the shim tier), by name.
inline const std::string kBusybox = "burrow-test/busybox:1";  // Cmd sh
inline const std::string kWeb = "burrow-test/web:1";          // httpd on 80, /www/index.html
inline const std::string kSilent = "burrow-test/silent:1";    // exposes 81, never listens

class ShimTest : public ::testing::Test {
 protected:
  void SetUp() override;
  void TearDown() override;

  // Writes <work>/.gitlab-ci.yml.
  void write_ci(const std::string& yaml);
  // `burrow-shim run --gitlab-ci <work>/.gitlab-ci.yml JOB` with the test's store, scratch root,
  // log (<work>/job.log) and summary (<work>/summary.json) and `extra` options.
  // `job_suffix` (3 digits) makes the CI_JOB_ID of one of several jobs of a test.
  std::vector<std::string> run_argv(const std::string& job,
                                    const std::vector<std::string>& extra = {},
                                    const std::string& job_suffix = "") const;
  CommandResult run_job(const std::string& job, const std::vector<std::string>& extra = {},
                        std::chrono::milliseconds timeout = std::chrono::seconds(120));
  std::unique_ptr<Command> start_job(const std::string& job,
                                     const std::vector<std::string>& extra = {},
                                     const std::string& name = "shim");
  nlohmann::json summary() const;
  // The job log's records of `stream`, their texts (or exact bytes) concatenated.
  std::string log_stream(const std::string& stream) const;
  // What is left of the job on the host ("" when nothing), waiting a few seconds for it to go.
  std::string leftovers() const;
  std::string shim_binary() const;
  // `argv` as the job's ids see the files: in the test user's own user namespace for the
  // rootless tier (unshare --map-root-user --map-auto), as is for root.
  std::vector<std::string> as_job_owner(std::vector<std::string> argv) const;

  std::string work_;       // per test
  std::string scratch_;    // the shim's --scratch
  std::string marker_;     // BURROW_TEST_ID of the job's processes (a variable of the job)
  bool rootless_ = false;  // the rootless tier: run as the test user, jobs in its user namespace
  std::string job_id_;     // the test process's pid: CI_JOB_ID is it + 3 digits
  static std::string images_;  // the shared store
};

}  // namespace integration::shim
