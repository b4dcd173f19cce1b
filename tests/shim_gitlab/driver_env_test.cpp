// The custom executor's environment as the runner sets it (executors/custom: CUSTOM_ENV_*,
// BUILD_FAILURE_EXIT_CODE, SYSTEM_FAILURE_EXIT_CODE, BUILD_EXIT_CODE_FILE, CI_JOB_SERVICES).
#include "gitlab/driver_env.hpp"

#include <gtest/gtest.h>

namespace burrow::shim::gitlab {
namespace {

TEST(DriverEnv, ExitCodesFromTheRunner) {
  Environment env = {{"BUILD_FAILURE_EXIT_CODE", "1"},
                     {"SYSTEM_FAILURE_EXIT_CODE", "2"},
                     {"BUILD_EXIT_CODE_FILE", "/tmp/custom-executor1/build_exit_code"}};
  ExitCodes codes = exit_codes(env);
  EXPECT_EQ(codes.build_failure, 1);
  EXPECT_EQ(codes.system_failure, 2);
  EXPECT_EQ(codes.build_exit_code_file, "/tmp/custom-executor1/build_exit_code");
}

TEST(DriverEnv, ExitCodesOtherValuesAndDefaults) {
  EXPECT_EQ(exit_codes({{"BUILD_FAILURE_EXIT_CODE", "17"}}).build_failure, 17);
  EXPECT_EQ(exit_codes({{"SYSTEM_FAILURE_EXIT_CODE", "99"}}).system_failure, 99);
  ExitCodes none = exit_codes({});
  EXPECT_EQ(none.build_failure, 1);
  EXPECT_EQ(none.system_failure, 2);
  EXPECT_EQ(none.build_exit_code_file, "");
  // Not a code a process can exit with: the runner's own values.
  EXPECT_EQ(exit_codes({{"BUILD_FAILURE_EXIT_CODE", "0"}}).build_failure, 1);
  EXPECT_EQ(exit_codes({{"BUILD_FAILURE_EXIT_CODE", "256"}}).build_failure, 1);
  EXPECT_EQ(exit_codes({{"SYSTEM_FAILURE_EXIT_CODE", "x"}}).system_failure, 2);
  EXPECT_EQ(exit_codes({{"SYSTEM_FAILURE_EXIT_CODE", "-3"}}).system_failure, 2);
}

TEST(DriverEnv, JobVariablesAreTheCustomEnvOnes) {
  Environment env = {{"CUSTOM_ENV_CI_JOB_ID", "42"},
                     {"CUSTOM_ENV_GREETING", "a=b c"},
                     {"CUSTOM_ENV_", "nameless"},
                     {"PATH", "/usr/bin"},
                     {"BUILD_FAILURE_EXIT_CODE", "1"}};
  job::Variables want = {{"CI_JOB_ID", "42"}, {"GREETING", "a=b c"}};
  EXPECT_EQ(job_variables(env), want);
  EXPECT_EQ(job_variable(env, "GREETING"), "a=b c");
  EXPECT_EQ(job_variable(env, "PATH"), "");
}

TEST(DriverEnv, JobKeyIsStableAndSeparatesInstances) {
  Environment env = {{"CUSTOM_ENV_CI_JOB_ID", "1234"},
                     {"CUSTOM_ENV_CI_SERVER_URL", "https://gitlab.example.com"}};
  auto key = job_key(env);
  ASSERT_TRUE(key) << key.error().message;
  EXPECT_EQ(key->rfind("1234-gitlab-", 0), 0u) << *key;
  EXPECT_EQ(key->size(), std::string("1234-gitlab-").size() + 8);
  EXPECT_EQ(*job_key(env), *key);  // the same in every call of the job
  Environment other = env;
  other["CUSTOM_ENV_CI_SERVER_URL"] = "https://gitlab.other.org";
  EXPECT_NE(*job_key(other), *key);
  Environment next = env;
  next["CUSTOM_ENV_CI_JOB_ID"] = "1235";
  EXPECT_NE(*job_key(next), *key);
}

TEST(DriverEnv, JobKeyNeedsAJobId) {
  auto missing = job_key({});
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().message,
            "CUSTOM_ENV_CI_JOB_ID: not set (is this GitLab Runner's custom executor?)");
  auto bad = job_key({{"CUSTOM_ENV_CI_JOB_ID", "../x"}});
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().message, "CUSTOM_ENV_CI_JOB_ID: '../x' is not a job id");
}

TEST(DriverEnv, PodHostName) {
  EXPECT_EQ(pod_hostname({{"CUSTOM_ENV_CI_JOB_ID", "77"}}), "runner-burrow-job-77");
}

TEST(DriverEnv, ServicesAsTheRunnerSerializesThem) {
  // executors/custom getCIJobServicesEnv: name, alias (the first), entrypoint, command and the
  // service's variables (expanded) as an object.
  Environment env = {
      {"CUSTOM_ENV_CI_JOB_SERVICES",
       R"([{"name":"postgres:15","alias":"db","entrypoint":null,"command":null,)"
       R"("variables":{"POSTGRES_PASSWORD":"secret"}},)"
       R"({"name":"registry.example.com/tools/web:1","alias":"","entrypoint":["/bin/sh","-c"],)"
       R"("command":["httpd -f"]}])"}};
  auto services = job_services(env);
  ASSERT_TRUE(services) << services.error().message;
  ASSERT_EQ(services->size(), 2u);
  EXPECT_EQ((*services)[0].image.name, "postgres:15");
  EXPECT_EQ((*services)[0].aliases, std::vector<std::string>{"db"});
  EXPECT_FALSE((*services)[0].image.entrypoint);
  EXPECT_FALSE((*services)[0].command);
  EXPECT_EQ((*services)[0].variables, (job::Variables{{"POSTGRES_PASSWORD", "secret"}}));
  EXPECT_EQ((*services)[1].image.name, "registry.example.com/tools/web:1");
  EXPECT_TRUE((*services)[1].aliases.empty());
  EXPECT_EQ(*(*services)[1].image.entrypoint, (std::vector<std::string>{"/bin/sh", "-c"}));
  EXPECT_EQ(*(*services)[1].command, std::vector<std::string>{"httpd -f"});
}

TEST(DriverEnv, ServicesSetButEmptyMeansNone) {
  // The runner sets CI_JOB_SERVICES with an empty value for a job without services; the
  // fallback variable is then not read.
  Environment env = {{"CUSTOM_ENV_CI_JOB_SERVICES", ""},
                     {"CUSTOM_ENV_BURROW_SERVICES", R"([{"name":"redis:7"}])"}};
  auto services = job_services(env);
  ASSERT_TRUE(services);
  EXPECT_TRUE(services->empty());
}

TEST(DriverEnv, ServicesFallbackForOlderRunners) {
  Environment env = {{"CUSTOM_ENV_BURROW_SERVICES", R"([{"name":"redis:7","alias":"cache kv"}])"}};
  auto services = job_services(env);
  ASSERT_TRUE(services) << services.error().message;
  ASSERT_EQ(services->size(), 1u);
  EXPECT_EQ((*services)[0].aliases, (std::vector<std::string>{"cache", "kv"}));
  auto none = job_services({});
  ASSERT_TRUE(none);
  EXPECT_TRUE(none->empty());
}

TEST(DriverEnv, EmptyEntrypointMeansNone) {
  auto services = parse_services_json(R"([{"name":"a","entrypoint":[""]}])", "X");
  ASSERT_TRUE(services);
  ASSERT_TRUE((*services)[0].image.entrypoint);
  EXPECT_TRUE((*services)[0].image.entrypoint->empty());
}

TEST(DriverEnv, BadServicesNameTheVariableAndPath) {
  struct Case {
    const char* json;
    const char* message;
  };
  for (const Case& c : {
           Case{"{", "CUSTOM_ENV_CI_JOB_SERVICES: not valid JSON"},
           Case{R"({"name":"a"})", "CUSTOM_ENV_CI_JOB_SERVICES: expected a JSON array of services"},
           Case{R"(["a"])", "CUSTOM_ENV_CI_JOB_SERVICES: [0]: expected an object"},
           Case{R"([{"alias":"x"}])",
                "CUSTOM_ENV_CI_JOB_SERVICES: [0].name: expected the service's image name"},
           Case{R"([{"name":"a"},{"name":"b","command":"run"}])",
                "CUSTOM_ENV_CI_JOB_SERVICES: [1].command: expected an array of strings"},
           Case{R"([{"name":"a","alias":3}])",
                "CUSTOM_ENV_CI_JOB_SERVICES: [0].alias: expected a string"},
           Case{R"([{"name":"a","variables":{"K":1}}])",
                "CUSTOM_ENV_CI_JOB_SERVICES: [0].variables.K: expected a string"},
       }) {
    auto services = job_services({{"CUSTOM_ENV_CI_JOB_SERVICES", c.json}});
    ASSERT_FALSE(services) << c.json;
    EXPECT_EQ(services.error().message, c.message);
  }
}

}  // namespace
}  // namespace burrow::shim::gitlab
