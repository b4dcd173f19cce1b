#include "spec/parse.hpp"

#include <filesystem>
#include <string_view>

#include "base/file.hpp"
#include "spec/json_reader.hpp"
#include "spec/names.hpp"
#include "spec/parse_parts.hpp"

namespace burrow::spec {
namespace {

using json_reader::error_at;
using json_reader::Json;
using json_reader::ObjectReader;
using json_reader::read_string;

Result<User> parse_user(const Json& value, const std::string& path) {
  auto reader = BURROW_TRY(ObjectReader::open(value, path));
  User user;
  BURROW_TRY(reader.integer("uid", user.uid));
  BURROW_TRY(reader.integer("gid", user.gid));
  BURROW_TRY(reader.integer("umask", user.umask));
  if (const Json* gids = reader.get("additionalGids")) {
    user.additional_gids = BURROW_TRY(
        json_reader::read_integer_list<uint32_t>(*gids, reader.path_of("additionalGids")));
  }
  BURROW_TRY(reader.string("username", user.username));
  reader.log_unknown_members();
  return user;
}

Result<Capabilities> parse_capabilities(const Json& value, const std::string& path) {
  auto reader = BURROW_TRY(ObjectReader::open(value, path));
  Capabilities caps;
  BURROW_TRY(reader.strings("bounding", caps.bounding));
  BURROW_TRY(reader.strings("effective", caps.effective));
  BURROW_TRY(reader.strings("inheritable", caps.inheritable));
  BURROW_TRY(reader.strings("permitted", caps.permitted));
  BURROW_TRY(reader.strings("ambient", caps.ambient));
  reader.log_unknown_members();
  return caps;
}

Result<Rlimit> parse_rlimit(const Json& value, const std::string& path) {
  auto reader = BURROW_TRY(ObjectReader::open(value, path));
  Rlimit rlimit;
  const Json* type = BURROW_TRY(reader.required("type"));
  rlimit.type = BURROW_TRY(read_string(*type, reader.path_of("type")));
  std::optional<int> resource = rlimit_resource(rlimit.type);
  if (!resource) {
    return error_at(reader.path_of("type"), "unknown rlimit \"" + rlimit.type + "\"");
  }
  rlimit.resource = *resource;
  BURROW_TRY(reader.integer("hard", rlimit.hard));
  BURROW_TRY(reader.integer("soft", rlimit.soft));
  reader.log_unknown_members();
  return rlimit;
}

Result<ConsoleSize> parse_console_size(const Json& value, const std::string& path) {
  auto reader = BURROW_TRY(ObjectReader::open(value, path));
  ConsoleSize size;
  BURROW_TRY(reader.integer("height", size.height));
  BURROW_TRY(reader.integer("width", size.width));
  reader.log_unknown_members();
  return size;
}

Result<IoPriority> parse_io_priority(const Json& value, const std::string& path) {
  auto reader = BURROW_TRY(ObjectReader::open(value, path));
  IoPriority priority;
  BURROW_TRY(reader.string("class", priority.io_class));
  BURROW_TRY(reader.integer("priority", priority.priority));
  reader.log_unknown_members();
  return priority;
}

Result<Scheduler> parse_scheduler(const Json& value, const std::string& path) {
  auto reader = BURROW_TRY(ObjectReader::open(value, path));
  Scheduler scheduler;
  BURROW_TRY(reader.string("policy", scheduler.policy));
  BURROW_TRY(reader.integer("nice", scheduler.nice));
  BURROW_TRY(reader.integer("priority", scheduler.priority));
  BURROW_TRY(reader.strings("flags", scheduler.flags));
  BURROW_TRY(reader.integer("runtime", scheduler.runtime));
  BURROW_TRY(reader.integer("deadline", scheduler.deadline));
  BURROW_TRY(reader.integer("period", scheduler.period));
  reader.log_unknown_members();
  return scheduler;
}

Result<Process> parse_process(const Json& value, const std::string& path,
                              std::vector<std::string>& unsupported) {
  auto reader = BURROW_TRY(ObjectReader::open(value, path));
  Process process;
  BURROW_TRY(reader.boolean("terminal", process.terminal));
  BURROW_TRY(reader.object("consoleSize", process.console_size, parse_console_size));
  if (const Json* user = reader.get("user")) {
    process.user = BURROW_TRY(parse_user(*user, reader.path_of("user")));
  }
  BURROW_TRY(reader.strings("args", process.args));
  if (const Json* command_line = reader.get("commandLine")) {
    process.command_line = BURROW_TRY(read_string(*command_line, reader.path_of("commandLine")));
  }
  BURROW_TRY(reader.strings("env", process.env));
  BURROW_TRY(reader.string("cwd", process.cwd));
  BURROW_TRY(reader.object("capabilities", process.capabilities, parse_capabilities));
  BURROW_TRY(reader.list("rlimits", process.rlimits, parse_rlimit));
  BURROW_TRY(reader.boolean("noNewPrivileges", process.no_new_privileges));
  BURROW_TRY(reader.string("apparmorProfile", process.apparmor_profile));
  BURROW_TRY(reader.integer("oomScoreAdj", process.oom_score_adj));
  BURROW_TRY(reader.string("selinuxLabel", process.selinux_label));
  BURROW_TRY(reader.object("ioPriority", process.io_priority, parse_io_priority));
  BURROW_TRY(reader.object("scheduler", process.scheduler, parse_scheduler));
  reader.note_unsupported("execCPUAffinity", unsupported);
  reader.log_unknown_members();
  return process;
}

Result<Root> parse_root(const Json& value, const std::string& path) {
  auto reader = BURROW_TRY(ObjectReader::open(value, path));
  Root root;
  BURROW_TRY(reader.string("path", root.path));
  BURROW_TRY(reader.boolean("readonly", root.readonly));
  reader.log_unknown_members();
  return root;
}

Result<Mount> parse_mount(const Json& value, const std::string& path) {
  auto reader = BURROW_TRY(ObjectReader::open(value, path));
  Mount mount;
  BURROW_TRY(reader.string("destination", mount.destination));
  BURROW_TRY(reader.string("type", mount.type));
  BURROW_TRY(reader.string("source", mount.source));
  BURROW_TRY(reader.strings("options", mount.options));
  BURROW_TRY(reader.list("uidMappings", mount.uid_mappings, parse_parts::parse_id_mapping));
  BURROW_TRY(reader.list("gidMappings", mount.gid_mappings, parse_parts::parse_id_mapping));
  reader.log_unknown_members();
  return mount;
}

Result<Hook> parse_hook(const Json& value, const std::string& path) {
  auto reader = BURROW_TRY(ObjectReader::open(value, path));
  Hook hook;
  const Json* hook_path = BURROW_TRY(reader.required("path"));
  hook.path = BURROW_TRY(read_string(*hook_path, reader.path_of("path")));
  BURROW_TRY(reader.strings("args", hook.args));
  BURROW_TRY(reader.strings("env", hook.env));
  BURROW_TRY(reader.integer("timeout", hook.timeout));
  reader.log_unknown_members();
  return hook;
}

Result<Hooks> parse_hooks(const Json& value, const std::string& path) {
  auto reader = BURROW_TRY(ObjectReader::open(value, path));
  Hooks hooks;
  BURROW_TRY(reader.list("prestart", hooks.prestart, parse_hook));
  BURROW_TRY(reader.list("createRuntime", hooks.create_runtime, parse_hook));
  BURROW_TRY(reader.list("createContainer", hooks.create_container, parse_hook));
  BURROW_TRY(reader.list("startContainer", hooks.start_container, parse_hook));
  BURROW_TRY(reader.list("poststart", hooks.poststart, parse_hook));
  BURROW_TRY(reader.list("poststop", hooks.poststop, parse_hook));
  reader.log_unknown_members();
  return hooks;
}

// Platform sections of other operating systems: known, never implemented here.
constexpr std::string_view kOtherPlatforms[] = {"windows", "solaris", "vm", "zos", "freebsd"};

Result<Spec> parse_document(const Json& document) {
  auto reader = BURROW_TRY(ObjectReader::open(document, ""));
  Spec spec;
  BURROW_TRY(reader.string("ociVersion", spec.oci_version));
  if (const Json* process = reader.get("process")) {
    spec.process = BURROW_TRY(parse_process(*process, "process", spec.unsupported));
  }
  if (const Json* root = reader.get("root")) spec.root = BURROW_TRY(parse_root(*root, "root"));
  BURROW_TRY(reader.string("hostname", spec.hostname));
  BURROW_TRY(reader.string("domainname", spec.domainname));
  BURROW_TRY(reader.list("mounts", spec.mounts, parse_mount));
  BURROW_TRY(reader.object("hooks", spec.hooks, parse_hooks));
  BURROW_TRY(reader.string_map("annotations", spec.annotations));
  if (const Json* linux_section = reader.get("linux")) {
    spec.linux = BURROW_TRY(parse_parts::parse_linux(*linux_section, "linux", spec.unsupported));
  }
  for (std::string_view platform : kOtherPlatforms) {
    reader.note_unsupported(platform, spec.unsupported);
  }
  reader.log_unknown_members();
  return spec;
}

// nlohmann's messages start with "[json.exception.parse_error.101] "; the tag helps nobody.
std::string without_exception_tag(std::string_view what) {
  if (!what.empty() && what.front() == '[') {
    size_t end = what.find("] ");
    if (end != std::string_view::npos) what.remove_prefix(end + 2);
  }
  return std::string(what);
}

}  // namespace

Result<Spec> parse_config(const nlohmann::json& document) {
  try {
    return parse_document(document);
  } catch (const nlohmann::json::exception& e) {
    // Every access is type-checked first; this is a safety net so nothing escapes the module.
    return Error::msg(without_exception_tag(e.what()));
  }
}

namespace {

Result<nlohmann::json> read_json(const std::string& path, const std::string& name) {
  std::string text = BURROW_TRY(file::read(path));
  try {
    return nlohmann::json::parse(text);
  } catch (const nlohmann::json::exception& e) {  // parse_error, or out_of_range: 1e999
    return Error::msg(name + ": invalid JSON: " + without_exception_tag(e.what()));
  }
}

}  // namespace

Result<Spec> load_config(const std::string& path) {
  std::string name = std::filesystem::path(path).filename().string();
  nlohmann::json document = BURROW_TRY(read_json(path, name));
  return BURROW_TRY_CTX(parse_config(document), name);
}

Result<Process> parse_process_document(const nlohmann::json& document,
                                       std::vector<std::string>& unsupported) {
  try {
    return parse_process(document, "", unsupported);
  } catch (const nlohmann::json::exception& e) {
    return Error::msg(without_exception_tag(e.what()));
  }
}

Result<Process> load_process(const std::string& path, std::vector<std::string>& unsupported) {
  std::string name = std::filesystem::path(path).filename().string();
  nlohmann::json document = BURROW_TRY(read_json(path, name));
  return BURROW_TRY_CTX(parse_process_document(document, unsupported), name);
}

Result<Resources> parse_resources(const nlohmann::json& document) {
  return parse_parts::parse_resources(document, "linux.resources");
}

}  // namespace burrow::spec
