#include "job/keywords.hpp"

namespace burrow::shim::job {

const std::set<std::string>& job_keywords() {
  static const std::set<std::string> keywords = {
      // GitLab's job keywords
      "after_script", "allow_failure", "artifacts", "before_script", "cache", "coverage",
      "dependencies", "environment", "except", "extends", "hooks", "id_tokens", "image", "inherit",
      "interruptible", "manual_confirmation", "needs", "only", "pages", "parallel", "publish",
      "release", "resource_group", "retry", "rules", "run", "script", "services", "stage",
      "start_in", "tags", "timeout", "trigger", "variables", "when",
      // Premium/Ultimate
      "dast_configuration", "identity", "secrets"};
  return keywords;
}

const std::set<std::string>& job_keywords_acted_on() {
  static const std::set<std::string> keywords = {
      "after_script", "before_script", "extends", "image",   "inherit",
      "script",       "services",      "stage",   "timeout", "variables"};
  return keywords;
}

const std::set<std::string>& default_keywords() {
  static const std::set<std::string> keywords = {
      "after_script", "artifacts",     "before_script", "cache",    "hooks", "id_tokens",
      "image",        "interruptible", "retry",         "services", "tags",  "timeout"};
  return keywords;
}

const std::set<std::string>& top_level_keywords() {
  static const std::set<std::string> keywords = {
      "after_script", "before_script", "cache",  "default",   "image",
      "include",      "services",      "stages", "variables", "workflow"};
  return keywords;
}

const std::set<std::string>& global_default_keywords() {
  static const std::set<std::string> keywords = {"after_script", "before_script", "cache", "image",
                                                 "services"};
  return keywords;
}

const std::set<std::string>& image_keywords() {
  static const std::set<std::string> keywords = {"docker", "entrypoint", "kubernetes",
                                                 "name",   "ports",      "pull_policy"};
  return keywords;
}

const std::set<std::string>& service_keywords() {
  static const std::set<std::string> keywords = {"alias",       "command",  "docker", "entrypoint",
                                                 "kubernetes",  "name",     "ports",  "profile",
                                                 "pull_policy", "variables"};
  return keywords;
}

}  // namespace burrow::shim::job
