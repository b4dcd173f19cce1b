// The runner's job payload reader: the JSON GitLab sends a runner for one job (GitLab Runner's
// common/spec JobResponse: id, job_info, runner_info, variables, steps, image, services...) into
// the same job model as the .gitlab-ci.yml reader, so a job runs alike from either.
//
// GitLab has already done its own variable pass: `variables` holds the predefined CI_* ones and
// the file's, in order. The runner's pass is done here (job/variables expand_all_once; `raw`
// values are left alone), around the runner's own predefined variables as job/gitlab_ci places
// them. Predefined variables the payload lacks (a hand-written one) are added from `id` and
// `job_info`, so the job sees what --gitlab-ci would give it.
//
// `file: true` variables become Job::files (their variable holds the path); `masked: true`
// values of at least kMinMaskedLength bytes go to Job::masked_values. The script step's
// `timeout` and runner_info.timeout (the smaller that is set) are the job's timeout. Fields
// that decide nothing here (artifacts, cache, dependencies, a `release` step...) are listed in
// Job::ignored_keywords when they are not empty. Unknown fields are ignored, as the runner does.
//
// Every error names the file, the JSON path and the reason: "payload.json: steps[1].script:
// expected an array of strings".
#pragma once

#include <string>

#include "base/error.hpp"
#include "job/model.hpp"
#include "job/read_options.hpp"

namespace burrow::shim::job {

// Reads the file at `path` (its name as given is the file name in errors).
Result<Job> read_job_payload(const std::string& path, const ReadOptions& options);

Result<Job> parse_job_payload(const std::string& json_text, const std::string& file_name,
                              const ReadOptions& options);

}  // namespace burrow::shim::job
