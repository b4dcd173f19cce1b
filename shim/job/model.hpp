// The job model: everything burrow-shim needs to run one CI job, whatever it was read from. The
// .gitlab-ci.yml reader (job/gitlab_ci) fills it today; GitLab Runner's job payload (the custom
// executor driver, job/payload) fills the same struct. The pod code reads only this.
#pragma once

#include <chrono>
#include <cstddef>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace burrow::shim::job {

// One variable; order matters (later ones may refer to earlier ones, and a job's own override
// the global ones), so variables are an ordered list, never a map.
struct Variable {
  std::string key;
  std::string value;
  bool operator==(const Variable&) const = default;
};
using Variables = std::vector<Variable>;

// `image:` — a string, or a map with `name` and `entrypoint`.
struct ImageSpec {
  std::string name;  // NAME[:TAG], as written (after variable expansion)
  // `entrypoint:` overrides the image's ENTRYPOINT; an empty list means "no entrypoint" (GitLab's
  // `entrypoint: [""]` too). Unset: the image's own applies.
  std::optional<std::vector<std::string>> entrypoint;
  bool operator==(const ImageSpec&) const = default;
};

// One `services:` entry — a string (the image name) or a map.
struct ServiceSpec {
  ImageSpec image;
  // Host names the service is reachable by inside the pod. `alias:` may list several (comma or
  // space separated, as GitLab takes them); GitLab's derived names from the image name are
  // added by the pod code, not here.
  std::vector<std::string> aliases;
  std::optional<std::vector<std::string>> command;  // overrides the image's CMD
  Variables variables;  // the service's own (after the job's, which services also see)
  std::string profile;  // burrow's: "" (default) or "dind"
  bool operator==(const ServiceSpec&) const = default;
};

// A file variable (`file: true` in the runner's payload): the job sees `path` in the variable
// and finds `content` in that file, bound read-only into the job container.
struct FileVariable {
  std::string key;
  std::string path;  // in the job container: <CI_PROJECT_DIR>.tmp/<KEY>, as GitLab Runner puts it
  std::string content;
  bool operator==(const FileVariable&) const = default;
};

// GitLab accepts masked variables of at least 8 characters only; shorter values are not masked.
inline constexpr size_t kMinMaskedLength = 8;

// When after_script runs (the runner payload's `when` of its after_script step).
enum class When { kAlways, kOnSuccess, kOnFailure };

struct Job {
  std::string name;   // the job's key in .gitlab-ci.yml
  std::string stage;  // `stage:` (default "test"); CI_JOB_STAGE
  ImageSpec image;    // empty name: no image given (the caller's default image applies)
  std::vector<ServiceSpec> services;
  // Every variable the job's processes see, in order: predefined CI_* first, then global
  // `variables:`, then the job's own. Values are expanded as GitLab expands them.
  Variables variables;
  std::vector<std::string> before_script;  // one entry per command (a multi-line string is one)
  std::vector<std::string> script;
  std::vector<std::string> after_script;
  std::chrono::seconds timeout{3600};      // `timeout:`; GitLab's default is one hour
  When after_script_when = When::kAlways;  // GitLab always sends `always`
  bool allow_failure = false;              // reported only; the exit code stays the job's
  std::vector<FileVariable> files;         // see FileVariable; also listed in `variables`
  // Values the job log and the shim's output show as [MASKED] (each >= kMinMaskedLength).
  std::vector<std::string> masked_values;
  // Keywords the file used that burrow-shim does not act on (rules, artifacts, cache, needs...),
  // each named once, so the CLI can list them on stderr.
  std::vector<std::string> ignored_keywords;
  bool operator==(const Job&) const = default;
};

}  // namespace burrow::shim::job
