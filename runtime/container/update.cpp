// burrow update: new limits for a live container, from `--resources FILE|-` (a linux.resources
// JSON object) or runc's per-field flags. Only the fields given change; the kernel's cgroup
// files keep the rest. Kernel memory and Intel RDT are refused (runc ignores the former and has
// the latter only with resctrl).
#include <unistd.h>

#include <charconv>
#include <cmath>
#include <regex>

#include "base/file.hpp"
#include "cgroups/manager.hpp"
#include "container/cgroup_ops.hpp"
#include "container/loaded.hpp"
#include "container/operations.hpp"
#include "container/update_flags.hpp"
#include "spec/parse.hpp"
#include "spec/resources_json.hpp"

namespace burrow::container {
namespace {

Error invalid_value(const std::string& flag, const std::string& why) {
  return Error::msg("invalid value for " + flag + ": " + why);
}

template <typename T>
Result<T> parse_integer(const std::string& flag, const std::string& text) {
  T value{};
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size()) {
    return invalid_value(flag, "\"" + text + "\" is not " +
                                   (std::is_signed_v<T> ? "an integer" : "an unsigned integer"));
  }
  return value;
}

}  // namespace

Result<int64_t> parse_memory_size(const std::string& flag, const std::string& text) {
  if (text == "-1") return -1;
  static const std::regex pattern(R"(^(\d+(\.\d+)*) ?([kKmMgGtTpP])?[iI]?[bB]?$)");
  std::smatch m;
  if (!std::regex_match(text, m, pattern)) {
    return invalid_value(flag, "invalid size: '" + text + "'");
  }
  double size = std::strtod(m[1].str().c_str(), nullptr);
  if (m[3].matched) {
    const std::string units = "kmgtp";
    size_t power = units.find(static_cast<char>(std::tolower(m[3].str()[0]))) + 1;
    size *= std::pow(1024.0, static_cast<double>(power));
  }
  if (size >= 9.2e18) return invalid_value(flag, "invalid size: '" + text + "'");
  return static_cast<int64_t>(size);
}

namespace {

Status set_field(spec::Resources& r, const std::string& name, const std::string& value) {
  auto& cpu = r.cpu ? *r.cpu : r.cpu.emplace();
  auto& memory = r.memory ? *r.memory : r.memory.emplace();
  if (name == "blkio-weight") {
    auto weight = BURROW_TRY(parse_integer<uint16_t>(name, value));
    if (weight != 0) (r.block_io ? *r.block_io : r.block_io.emplace()).weight = weight;
  } else if (name == "cpuset-cpus") {
    cpu.cpus = value;
  } else if (name == "cpuset-mems") {
    cpu.mems = value;
  } else if (name == "cpu-idle") {
    cpu.idle = BURROW_TRY(parse_integer<int64_t>(name, value));
  } else if (name == "cpu-burst") {
    cpu.burst = BURROW_TRY(parse_integer<uint64_t>(name, value));
  } else if (name == "cpu-period") {
    cpu.period = BURROW_TRY(parse_integer<uint64_t>(name, value));
  } else if (name == "cpu-rt-period") {
    cpu.realtime_period = BURROW_TRY(parse_integer<uint64_t>(name, value));
  } else if (name == "cpu-share" || name == "cpu-shares") {
    cpu.shares = BURROW_TRY(parse_integer<uint64_t>(name, value));
  } else if (name == "cpu-quota") {
    cpu.quota = BURROW_TRY(parse_integer<int64_t>(name, value));
  } else if (name == "cpu-rt-runtime") {
    cpu.realtime_runtime = BURROW_TRY(parse_integer<int64_t>(name, value));
  } else if (name == "memory") {
    memory.limit = BURROW_TRY(parse_memory_size(name, value));
  } else if (name == "memory-swap") {
    memory.swap = BURROW_TRY(parse_memory_size(name, value));
  } else if (name == "memory-reservation") {
    memory.reservation = BURROW_TRY(parse_memory_size(name, value));
  } else if (name == "kernel-memory") {  // ignored when applied, as runc does
    memory.kernel = BURROW_TRY(parse_memory_size(name, value));
  } else if (name == "kernel-memory-tcp") {
    memory.kernel_tcp = BURROW_TRY(parse_memory_size(name, value));
  } else if (name == "pids-limit") {
    r.pids_limit = BURROW_TRY(parse_integer<int64_t>(name, value));
  } else if (name == "l3-cache-schema") {
    return Error::msg("Intel RDT/CAT: l3 cache schema is not enabled");
  } else if (name == "mem-bw-schema") {
    return Error::msg("Intel RDT/MBA: memory bandwidth schema is not enabled");
  } else {
    return Error::msg("update: unknown resource flag --" + name);
  }
  return {};
}

// The container's config.json snapshot takes the new limits too (runc keeps its saved config in
// step the same way), so what it says is what the cgroups hold.
Status save_resources(const std::string& config_path, const spec::Resources& resources) {
  std::string text = BURROW_TRY(file::read(config_path));
  auto config = nlohmann::json::parse(text, nullptr, false);
  if (config.is_discarded() || !config.is_object())
    return Error::msg("saving them in " + config_path + ": not a JSON object");
  nlohmann::json& saved = config["linux"]["resources"];
  if (saved.is_null()) saved = nlohmann::json::object();
  spec::merge_resources_json(saved, spec::resources_to_json(resources));
  BURROW_TRY_CTX(file::write_atomic(config_path, config.dump(2) + "\n", 0600),
                 "saving them in " + config_path);
  return {};
}

Result<spec::Resources> requested_resources(const UpdateOptions& options) {
  if (!options.resources_path.empty()) {
    std::string text = options.resources_path == "-"
                           ? BURROW_TRY(file::read_fd(STDIN_FILENO, "standard input"))
                           : BURROW_TRY(file::read(options.resources_path));
    auto json = nlohmann::json::parse(text, nullptr, false);
    if (json.is_discarded()) {
      return Error::msg("--resources " + options.resources_path + ": invalid JSON");
    }
    return spec::parse_resources(json);
  }
  return resources_from_flags(options.fields);
}

}  // namespace

Result<spec::Resources> resources_from_flags(
    const std::vector<std::pair<std::string, std::string>>& fields) {
  spec::Resources r;
  for (const auto& [name, value] : fields) BURROW_TRY(set_field(r, name, value));
  return r;
}

Status update(const GlobalOptions& global, const UpdateOptions& options) {
  spec::Resources resources = BURROW_TRY(requested_resources(options));
  if (!resources.devices.empty()) {
    return Error::msg("linux.resources.devices: update cannot change device rules (as runc)");
  }
  if (resources.network || !resources.rdma.empty()) {
    return Error::msg(
        std::string(resources.network ? "linux.resources.network" : "linux.resources.rdma") +
        ": not supported yet");
  }
  state::StateStore store(global.root);
  LoadedContainer container = BURROW_TRY(load_container(store, options.id));
  if (container.status == state::ContainerStatus::stopped) {
    return Error::msg("container not running");
  }
  auto manager = BURROW_TRY(load_cgroups(container.state));
  BURROW_TRY(manager->apply_resources(resources, cgroups::ApplyMode::update));
  BURROW_TRY_CTX(save_resources(store.config_path(options.id), resources),
                 "the new limits are in force, but");
  return {};
}

}  // namespace burrow::container
