// The .gitlab-ci.yml reader: one job of a GitLab CI file, resolved the way GitLab resolves it
// (anchors and `<<` merge keys, `extends`, `!reference`, `default:`/`inherit:`, variables with
// GitLab's precedence and expansion, predefined CI_* variables) into the job model.
//
// Keywords that decide how the job runs are acted on: image, services, variables, default,
// inherit, extends, before_script, script, after_script, timeout, stage. Every other GitLab
// keyword (rules, artifacts, cache, needs, include, workflow...) is accepted and listed in
// Job::ignored_keywords. A key GitLab does not know is an error, as GitLab rejects the file.
// As GitLab does, the whole file must be valid, not just the job asked for.
//
// burrow's extension: a `services:` entry may have `profile: dind` (or ""), which GitLab does
// not accept; it asks the pod code for a Docker-in-Docker service setup.
#pragma once

#include <string>
#include <vector>

#include "base/error.hpp"
#include "job/model.hpp"
#include "job/read_options.hpp"

namespace burrow::shim::job {

// Reads the file at `path` (its name as given is the file name in errors and CI_CONFIG_PATH).
Result<Job> read_gitlab_ci(const std::string& path, const std::string& job_name,
                           const ReadOptions& options);

Result<Job> parse_gitlab_ci(const std::string& yaml_text, const std::string& file_name,
                            const std::string& job_name, const ReadOptions& options);

// The jobs in the file, in file order: top-level keys that are neither keywords nor hidden
// (`.name`) templates. Includes jobs burrow-shim cannot run (trigger:, run:).
Result<std::vector<std::string>> list_jobs(const std::string& yaml_text,
                                           const std::string& file_name);

}  // namespace burrow::shim::job
