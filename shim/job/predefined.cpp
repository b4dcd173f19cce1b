#include "job/predefined.hpp"

#include <cctype>

namespace burrow::shim::job {
namespace {

void add_if_set(PendingVariables& variables, const std::string& key, const std::string& value) {
  if (!value.empty()) variables.push_back({key, value});
}

// GOARCH names, as the runner reports its own architecture.
std::string runner_arch() {
#if defined(__x86_64__)
  return "amd64";
#elif defined(__aarch64__)
  return "arm64";
#elif defined(__i386__)
  return "386";
#elif defined(__arm__)
  return "arm";
#elif defined(__riscv) && __riscv_xlen == 64
  return "riscv64";
#elif defined(__powerpc64__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
  return "ppc64le";
#elif defined(__s390x__)
  return "s390x";
#else
  return "unknown";
#endif
}

}  // namespace

std::string slugify(const std::string& text) {
  std::string slug;
  for (char c : text) {
    unsigned char u = static_cast<unsigned char>(c);
    slug += std::isalnum(u) && u < 0x80 ? static_cast<char>(std::tolower(u)) : '-';
  }
  if (slug.size() > 63) slug.resize(63);
  size_t first = slug.find_first_not_of('-');
  if (first == std::string::npos) return "";
  size_t last = slug.find_last_not_of('-');
  return slug.substr(first, last - first + 1);
}

PendingVariables server_predefined_variables(const PredefinedContext& context) {
  const ReadOptions& options = context.options;
  PendingVariables variables = {
      {"CI", "true"},
      {"GITLAB_CI", "true"},
      {"CI_CONFIG_PATH", context.config_file},
  };
  add_if_set(variables, "CI_JOB_ID", options.job_id);
  variables.push_back({"CI_JOB_NAME", context.job_name});
  variables.push_back({"CI_JOB_NAME_SLUG", slugify(context.job_name)});
  variables.push_back({"CI_JOB_STAGE", context.stage});
  variables.push_back({"CI_NODE_TOTAL", "1"});
  add_if_set(variables, "CI_PIPELINE_ID", options.pipeline_id);
  add_if_set(variables, "CI_PIPELINE_SOURCE", options.pipeline_source);
  std::string project_path = options.project_namespace.empty()
                                 ? options.project_name
                                 : options.project_namespace + "/" + options.project_name;
  variables.push_back({"CI_PROJECT_NAME", options.project_name});
  add_if_set(variables, "CI_PROJECT_NAMESPACE", options.project_namespace);
  variables.push_back({"CI_PROJECT_PATH", project_path});
  variables.push_back({"CI_PROJECT_PATH_SLUG", slugify(project_path)});
  add_if_set(variables, "CI_COMMIT_SHA", options.commit_sha);
  add_if_set(variables, "CI_COMMIT_SHORT_SHA", options.commit_sha.substr(0, 8));
  std::string ref = options.commit_tag.empty() ? options.commit_branch : options.commit_tag;
  add_if_set(variables, "CI_COMMIT_BRANCH",
             options.commit_tag.empty() ? options.commit_branch : "");
  add_if_set(variables, "CI_COMMIT_TAG", options.commit_tag);
  add_if_set(variables, "CI_COMMIT_REF_NAME", ref);
  add_if_set(variables, "CI_COMMIT_REF_SLUG", slugify(ref));
  return variables;
}

PendingVariables runner_variables_before_job(const PredefinedContext& context) {
  const ReadOptions& options = context.options;
  PendingVariables variables;
  add_if_set(variables, "CI_JOB_IMAGE", context.image_name);
  std::string builds_dir = options.builds_dir;
  while (builds_dir.size() > 1 && builds_dir.back() == '/') builds_dir.pop_back();
  variables.push_back({"CI_BUILDS_DIR", builds_dir});
  variables.push_back(
      {"CI_PROJECT_DIR", (builds_dir == "/" ? "" : builds_dir) + "/" + options.project_name});
  variables.push_back({"CI_CONCURRENT_ID", "0"});
  variables.push_back({"CI_CONCURRENT_PROJECT_ID", "0"});
  variables.push_back({"CI_SERVER", "yes"});
  variables.push_back({"CI_JOB_STATUS", "running"});
  variables.push_back({"CI_JOB_TIMEOUT", std::to_string(context.timeout.count())});
  return variables;
}

PendingVariables runner_variables_after_job() {
  return {
      {"CI_DISPOSABLE_ENVIRONMENT", "true"},
      {"CI_RUNNER_EXECUTABLE_ARCH", "linux/" + runner_arch()},
  };
}

}  // namespace burrow::shim::job
