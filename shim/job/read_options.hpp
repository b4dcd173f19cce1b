// What the .gitlab-ci.yml reader needs from outside the file: the values of the predefined
// CI_* variables that GitLab and GitLab Runner would set. The CLI fills them.
#pragma once

#include <string>

namespace burrow::shim::job {

struct ReadOptions {
  std::string builds_dir = "/builds";        // CI_BUILDS_DIR
  std::string project_namespace = "burrow";  // CI_PROJECT_NAMESPACE; CI_PROJECT_PATH = ns/name
  std::string project_name = "project";      // CI_PROJECT_NAME; CI_PROJECT_DIR = builds_dir/name
  std::string job_id;                        // CI_JOB_ID (the CLI makes one up); unset when empty
  std::string pipeline_id;                   // CI_PIPELINE_ID; unset when empty
  std::string pipeline_source = "push";      // CI_PIPELINE_SOURCE
  // From a git checkout, when there is one (each unset when empty): CI_COMMIT_SHA and
  // CI_COMMIT_SHORT_SHA; CI_COMMIT_BRANCH or CI_COMMIT_TAG, and CI_COMMIT_REF_NAME/_SLUG.
  std::string commit_sha;
  std::string commit_branch;
  std::string commit_tag;
};

}  // namespace burrow::shim::job
