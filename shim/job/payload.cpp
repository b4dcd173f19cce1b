#include "job/payload.hpp"

#include <algorithm>
#include <cctype>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>

#include "base/file.hpp"
#include "job/image.hpp"
#include "job/predefined.hpp"
#include "job/yaml_tree.hpp"

namespace burrow::shim::job {
namespace {

using Json = nlohmann::json;

std::string index_path(const std::string& path, size_t i) {
  return path + "[" + std::to_string(i) + "]";
}

// Typed reads of the payload; each failure names the file, the JSON path and what was expected.
class Reader {
 public:
  explicit Reader(std::string file_name) : file_name_(std::move(file_name)) {}
  Error error(const std::string& path, const std::string& reason) const {
    return config_error(file_name_, path, reason);
  }

  // The member `key` of object `object`, unless missing or null.
  static const Json* member(const Json& object, const std::string& key) {
    auto it = object.find(key);
    return it == object.end() || it->is_null() ? nullptr : &*it;
  }
  Result<const Json*> object(const Json& value, const std::string& path) const {
    if (!value.is_object()) return error(path, "expected an object");
    return &value;
  }
  Result<std::string> string(const Json& value, const std::string& path) const {
    if (!value.is_string()) return error(path, "expected a string");
    return value.get<std::string>();
  }
  Result<bool> boolean(const Json& value, const std::string& path) const {
    if (!value.is_boolean()) return error(path, "expected true or false");
    return value.get<bool>();
  }
  // A whole number of seconds, not negative.
  Result<long> seconds(const Json& value, const std::string& path) const {
    if (!value.is_number_integer() || value.get<long long>() < 0)
      return error(path, "expected a number of seconds (a whole number, not negative)");
    return static_cast<long>(value.get<long long>());
  }
  Result<std::vector<std::string>> strings(const Json& value, const std::string& path) const {
    if (!value.is_array()) return error(path, "expected an array of strings");
    std::vector<std::string> list;
    for (const auto& item : value) {
      if (!item.is_string()) return error(path, "expected an array of strings");
      list.push_back(item.get<std::string>());
    }
    return list;
  }
  Result<const Json*> array(const Json& value, const std::string& path) const {
    if (!value.is_array()) return error(path, "expected an array");
    return &value;
  }

 private:
  std::string file_name_;
};

struct PayloadVariable {
  std::string key;
  std::string value;
  bool file = false;
  bool masked = false;
  bool raw = false;
};

Result<std::vector<PayloadVariable>> read_variables(const Reader& reader, const Json& value,
                                                    const std::string& path) {
  std::vector<PayloadVariable> variables;
  BURROW_TRY(reader.array(value, path));
  for (size_t i = 0; i < value.size(); ++i) {
    const std::string at = index_path(path, i);
    const Json& item = value[i];
    BURROW_TRY(reader.object(item, at));
    PayloadVariable variable;
    const Json* key = Reader::member(item, "key");
    if (!key) return reader.error(at + ".key", "missing");
    variable.key = BURROW_TRY(reader.string(*key, at + ".key"));
    if (variable.key.empty()) return reader.error(at + ".key", "empty");
    if (const Json* v = Reader::member(item, "value"))
      variable.value = BURROW_TRY(reader.string(*v, at + ".value"));
    for (auto [name, flag] : {std::pair<const char*, bool*>{"file", &variable.file},
                              {"masked", &variable.masked},
                              {"raw", &variable.raw}}) {
      if (const Json* v = Reader::member(item, name))
        *flag = BURROW_TRY(reader.boolean(*v, at + "." + name));
    }
    for (const char* name : {"public", "internal"}) {
      if (const Json* v = Reader::member(item, name))
        BURROW_TRY(reader.boolean(*v, at + "." + name));
    }
    variables.push_back(std::move(variable));
  }
  return variables;
}

// `image` and each `services` entry (GitLab Runner's Image).
struct PayloadImage {
  ImageSpec spec;
  std::string alias;
  std::optional<std::vector<std::string>> command;
  std::vector<PayloadVariable> variables;
  std::string profile;  // burrow's extension, for services: "" or "dind"
};

Result<PayloadImage> read_image(const Reader& reader, const Json& value, const std::string& path,
                                std::vector<std::string>& ignored) {
  BURROW_TRY(reader.object(value, path));
  PayloadImage image;
  if (const Json* name = Reader::member(value, "name"))
    image.spec.name = BURROW_TRY(reader.string(*name, path + ".name"));
  if (const Json* alias = Reader::member(value, "alias"))
    image.alias = BURROW_TRY(reader.string(*alias, path + ".alias"));
  if (const Json* entrypoint = Reader::member(value, "entrypoint")) {
    auto list = BURROW_TRY(reader.strings(*entrypoint, path + ".entrypoint"));
    // GitLab's `entrypoint: [""]` means no entrypoint, as in the .gitlab-ci.yml reader.
    if (list.size() == 1 && list[0].empty()) list.clear();
    image.spec.entrypoint = list;
  }
  if (const Json* command = Reader::member(value, "command"))
    image.command = BURROW_TRY(reader.strings(*command, path + ".command"));
  if (const Json* variables = Reader::member(value, "variables"))
    image.variables = BURROW_TRY(read_variables(reader, *variables, path + ".variables"));
  if (const Json* profile = Reader::member(value, "profile")) {
    image.profile = BURROW_TRY(reader.string(*profile, path + ".profile"));
    if (image.profile != "" && image.profile != "dind")
      return reader.error(path + ".profile",
                          "expected \"\" or \"dind\", got \"" + image.profile + "\"");
  }
  for (const char* name : {"ports", "pull_policy"}) {
    const Json* field = Reader::member(value, name);
    if (!field) continue;
    BURROW_TRY(reader.array(*field, path + "." + name));
    if (!field->empty()) add_once(ignored, path + "." + name);
  }
  return image;
}

struct Steps {
  std::optional<std::vector<std::string>> script;
  long script_timeout = 0;
  bool allow_failure = false;
  std::vector<std::string> after_script;
  When after_script_when = When::kAlways;
};

Result<When> read_when(const Reader& reader, const Json& value, const std::string& path) {
  std::string text = BURROW_TRY(reader.string(value, path));
  if (text == "" || text == "on_success") return When::kOnSuccess;
  if (text == "on_failure") return When::kOnFailure;
  if (text == "always") return When::kAlways;
  return reader.error(path, "expected on_success, on_failure or always, got \"" + text + "\"");
}

Result<Steps> read_steps(const Reader& reader, const Json& value,
                         std::vector<std::string>& ignored) {
  BURROW_TRY(reader.array(value, "steps"));
  Steps steps;
  for (size_t i = 0; i < value.size(); ++i) {
    const std::string at = index_path("steps", i);
    const Json& step = value[i];
    BURROW_TRY(reader.object(step, at));
    const Json* name_field = Reader::member(step, "name");
    if (!name_field) return reader.error(at + ".name", "missing");
    std::string name = BURROW_TRY(reader.string(*name_field, at + ".name"));
    std::vector<std::string> script;
    if (const Json* s = Reader::member(step, "script"))
      script = BURROW_TRY(reader.strings(*s, at + ".script"));
    long timeout = 0;
    if (const Json* t = Reader::member(step, "timeout"))
      timeout = BURROW_TRY(reader.seconds(*t, at + ".timeout"));
    When when = When::kOnSuccess;
    if (const Json* w = Reader::member(step, "when"))
      when = BURROW_TRY(read_when(reader, *w, at + ".when"));
    bool allow_failure = false;
    if (const Json* a = Reader::member(step, "allow_failure"))
      allow_failure = BURROW_TRY(reader.boolean(*a, at + ".allow_failure"));
    if (name == "script") {
      if (steps.script) return reader.error(at, "a second step named script");
      if (script.empty()) return reader.error(at + ".script", "empty");
      steps.script = script;
      steps.script_timeout = timeout;
      steps.allow_failure = allow_failure;
    } else if (name == "after_script") {
      steps.after_script = script;
      steps.after_script_when = when;
    } else {
      add_once(ignored, at + " (" + name + ")");
    }
  }
  if (!steps.script) return reader.error("steps", "no step named script");
  return steps;
}

// GitLab Runner's pass over a list: every non-raw value expanded once against the whole list.
PendingVariables pending(const std::vector<PayloadVariable>& variables) {
  PendingVariables list;
  for (const auto& v : variables) list.push_back({v.key, v.value, v.raw});
  return list;
}

std::vector<std::string> split_aliases(const std::string& alias) {
  std::vector<std::string> names;
  std::string name;
  for (char c : alias + " ") {
    if (c == ',' || std::isspace(static_cast<unsigned char>(c))) {
      if (!name.empty()) names.push_back(name);
      name.clear();
    } else {
      name += c;
    }
  }
  return names;
}

void add_masked(Job& job, const std::string& value) {
  if (value.size() < kMinMaskedLength) return;
  if (std::find(job.masked_values.begin(), job.masked_values.end(), value) ==
      job.masked_values.end())
    job.masked_values.push_back(value);
}

}  // namespace

Result<Job> parse_job_payload(const std::string& json_text, const std::string& file_name,
                              const ReadOptions& read_options) {
  Reader reader(file_name);
  Json root;
  try {
    root = Json::parse(json_text);
  } catch (const Json::exception& e) {  // parse_error, or out_of_range: a number like 1e999
    std::string what = e.what();
    // nlohmann's "[json.exception.parse_error.101] parse error at line 1, column 2: ..."
    auto pos = what.find("] ");
    return reader.error(
        "", "not valid JSON: " + (pos == std::string::npos ? what : what.substr(pos + 2)));
  }
  if (!root.is_object()) return reader.error("", "expected a JSON object (GitLab's job payload)");

  Job job;
  ReadOptions options = read_options;
  if (const Json* id = Reader::member(root, "id")) {
    if (!id->is_number_integer() || id->get<long long>() < 0)
      return reader.error("id", "expected a job id (a whole number)");
    options.job_id = std::to_string(id->get<long long>());
  }
  if (const Json* token = Reader::member(root, "token")) BURROW_TRY(reader.string(*token, "token"));
  job.stage = "test";
  if (const Json* info = Reader::member(root, "job_info")) {
    BURROW_TRY(reader.object(*info, "job_info"));
    if (const Json* v = Reader::member(*info, "name"))
      job.name = BURROW_TRY(reader.string(*v, "job_info.name"));
    if (const Json* v = Reader::member(*info, "stage"))
      job.stage = BURROW_TRY(reader.string(*v, "job_info.stage"));
    if (const Json* v = Reader::member(*info, "project_name")) {
      std::string name = BURROW_TRY(reader.string(*v, "job_info.project_name"));
      if (!name.empty()) options.project_name = name;
    }
    if (const Json* v = Reader::member(*info, "project_id")) {
      if (!v->is_number_integer()) return reader.error("job_info.project_id", "expected a number");
    }
  }
  if (job.name.empty()) return reader.error("job_info.name", "missing");
  if (const Json* git = Reader::member(root, "git_info")) {
    BURROW_TRY(reader.object(*git, "git_info"));
    if (const Json* sha = Reader::member(*git, "sha"))
      options.commit_sha = BURROW_TRY(reader.string(*sha, "git_info.sha"));
    std::string ref, ref_type;
    if (const Json* v = Reader::member(*git, "ref"))
      ref = BURROW_TRY(reader.string(*v, "git_info.ref"));
    if (const Json* v = Reader::member(*git, "ref_type"))
      ref_type = BURROW_TRY(reader.string(*v, "git_info.ref_type"));
    if (ref_type == "tag")
      options.commit_tag = ref;
    else if (!ref.empty())
      options.commit_branch = ref;
  }
  long runner_timeout = 0;
  if (const Json* info = Reader::member(root, "runner_info")) {
    BURROW_TRY(reader.object(*info, "runner_info"));
    if (const Json* t = Reader::member(*info, "timeout"))
      runner_timeout = BURROW_TRY(reader.seconds(*t, "runner_info.timeout"));
  }
  std::vector<PayloadVariable> variables;
  if (const Json* v = Reader::member(root, "variables"))
    variables = BURROW_TRY(read_variables(reader, *v, "variables"));
  const Json* steps_field = Reader::member(root, "steps");
  if (!steps_field) return reader.error("steps", "missing");
  Steps steps = BURROW_TRY(read_steps(reader, *steps_field, job.ignored_keywords));
  job.script = *steps.script;
  job.after_script = steps.after_script;
  job.after_script_when = steps.after_script_when;
  job.allow_failure = steps.allow_failure;
  long timeout = 0;
  for (long t : {steps.script_timeout, runner_timeout}) {
    if (t > 0 && (timeout == 0 || t < timeout)) timeout = t;
  }
  if (timeout > 0) job.timeout = std::chrono::seconds(timeout);

  PayloadImage image;
  if (const Json* v = Reader::member(root, "image"))
    image = BURROW_TRY(read_image(reader, *v, "image", job.ignored_keywords));
  std::vector<PayloadImage> services;
  if (const Json* v = Reader::member(root, "services")) {
    BURROW_TRY(reader.array(*v, "services"));
    for (size_t i = 0; i < v->size(); ++i) {
      std::string at = index_path("services", i);
      services.push_back(BURROW_TRY(read_image(reader, (*v)[i], at, job.ignored_keywords)));
      if (services.back().spec.name.empty()) return reader.error(at + ".name", "missing");
    }
  }
  for (const char* name :
       {"artifacts", "cache", "dependencies", "credentials", "secrets", "hooks"}) {
    const Json* field = Reader::member(root, name);
    if (field && !field->empty()) add_once(job.ignored_keywords, name);
  }

  // Predefined variables: GitLab's (only those the payload lacks), the runner's around the
  // payload's, as job/gitlab_ci orders them.
  PredefinedContext context{options,   ".gitlab-ci.yml", job.name,
                            job.stage, image.spec.name,  job.timeout};
  auto in_payload = [&](const std::string& key) {
    return std::any_of(variables.begin(), variables.end(),
                       [&](const PayloadVariable& v) { return v.key == key; });
  };
  std::vector<PayloadVariable> ordered;
  for (const auto& v : server_predefined_variables(context))
    if (!in_payload(v.key)) ordered.push_back({v.key, v.value});
  for (const auto& v : runner_variables_before_job(context)) ordered.push_back({v.key, v.value});
  ordered.insert(ordered.end(), variables.begin(), variables.end());
  for (const auto& v : runner_variables_after_job()) ordered.push_back({v.key, v.value});
  PendingVariables all = expand_all_once(pending(ordered));

  job.image = image.spec;
  job.image.name = expand_once(image.spec.name, all);
  std::map<std::string, std::string> final_values;  // the last of each name wins
  std::map<std::string, const PayloadVariable*> flags;
  for (size_t i = 0; i < all.size(); ++i) {
    final_values[all[i].key] = all[i].value;
    flags[all[i].key] = &ordered[i];
  }
  if (!job.image.name.empty() && !in_payload("CI_JOB_IMAGE"))
    final_values["CI_JOB_IMAGE"] = job.image.name;
  std::string project_dir = final_values["CI_PROJECT_DIR"];
  for (const auto& v : ordered) {
    bool seen = std::any_of(job.variables.begin(), job.variables.end(),
                            [&](const Variable& e) { return e.key == v.key; });
    if (seen) continue;
    const PayloadVariable& last = *flags[v.key];
    std::string value = final_values[v.key];
    if (last.masked) {
      add_masked(job, value);
      if (last.value != value) add_masked(job, last.value);
    }
    if (last.file) {
      // GitLab Runner writes file variables to <project dir>.tmp/<KEY>.
      std::string path = project_dir + ".tmp/" + v.key;
      job.files.push_back({v.key, path, value});
      value = path;
    }
    job.variables.push_back({v.key, value});
  }

  for (size_t i = 0; i < services.size(); ++i) {
    const PayloadImage& config = services[i];
    ServiceSpec service;
    service.image = config.spec;
    service.image.name = expand_once(config.spec.name, all);
    service.aliases = split_aliases(expand_once(config.alias, all));
    service.command = config.command;
    service.profile = config.profile;
    PendingVariables source = all;
    PendingVariables own = pending(config.variables);
    source.insert(source.end(), own.begin(), own.end());
    for (const auto& variable : config.variables) {
      service.variables.push_back(
          {variable.key, variable.raw ? variable.value : expand_once(variable.value, source)});
      if (variable.masked) add_masked(job, service.variables.back().value);
    }
    job.services.push_back(std::move(service));
  }
  return job;
}

Result<Job> read_job_payload(const std::string& path, const ReadOptions& options) {
  std::string text = BURROW_TRY(file::read(path));
  return parse_job_payload(text, path, options);
}

}  // namespace burrow::shim::job
