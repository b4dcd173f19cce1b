// GitLab's keyword sets: which keys a job, `default:` and the top level may have (GitLab
// rejects any other), and which of them burrow-shim acts on.
#pragma once

#include <set>
#include <string>

namespace burrow::shim::job {

// Every key GitLab accepts in a job (Free and Premium/Ultimate).
const std::set<std::string>& job_keywords();
// The job keys burrow-shim acts on; the rest are reported as ignored.
const std::set<std::string>& job_keywords_acted_on();
// The keys `default:` may have; a job inherits each unless it sets it or `inherit:` says not.
const std::set<std::string>& default_keywords();
// The top-level keys that are not jobs.
const std::set<std::string>& top_level_keywords();
// The top-level keys that also count as defaults (the deprecated global form of `default:`).
const std::set<std::string>& global_default_keywords();
// The keys of an `image:` map (GitLab's) and of a `services:` entry (GitLab's plus burrow's
// `profile`).
const std::set<std::string>& image_keywords();
const std::set<std::string>& service_keywords();

}  // namespace burrow::shim::job
