// linux.resources and linux.seccomp of config.json.
#include "spec/parse_parts.hpp"

namespace burrow::spec::parse_parts {
namespace {

using json_reader::ObjectReader;

Result<DeviceRule> parse_device_rule(const Json& value, const std::string& path) {
  auto reader = BURROW_TRY(ObjectReader::open(value, path));
  DeviceRule rule;
  BURROW_TRY(reader.boolean("allow", rule.allow));
  BURROW_TRY(reader.string("type", rule.type));
  BURROW_TRY(reader.integer("major", rule.major));
  BURROW_TRY(reader.integer("minor", rule.minor));
  BURROW_TRY(reader.string("access", rule.access));
  reader.log_unknown_members();
  return rule;
}

// Zero means "not set" for the fields runc skips when zero: dockerd writes `"blockIO":
// {"weight": 0}` into every config and `"kernel": 0` into every `update`, and a zero weight
// would be out of range for the kernel.
template <typename T>
void zero_means_unset(std::optional<T>& value) {
  if (value && *value == 0) value.reset();
}

Result<MemoryResources> parse_memory(const Json& value, const std::string& path) {
  auto reader = BURROW_TRY(ObjectReader::open(value, path));
  MemoryResources memory;
  BURROW_TRY(reader.integer("limit", memory.limit));
  BURROW_TRY(reader.integer("reservation", memory.reservation));
  BURROW_TRY(reader.integer("swap", memory.swap));
  BURROW_TRY(reader.integer("kernel", memory.kernel));
  BURROW_TRY(reader.integer("kernelTCP", memory.kernel_tcp));
  zero_means_unset(memory.kernel);
  zero_means_unset(memory.kernel_tcp);
  BURROW_TRY(reader.integer("swappiness", memory.swappiness));
  for (auto [key, field] : {std::pair{"disableOOMKiller", &memory.disable_oom_killer},
                            std::pair{"useHierarchy", &memory.use_hierarchy},
                            std::pair{"checkBeforeUpdate", &memory.check_before_update}}) {
    if (const Json* flag = reader.get(key)) {
      *field = BURROW_TRY(json_reader::read_bool(*flag, reader.path_of(key)));
    }
  }
  reader.log_unknown_members();
  return memory;
}

Result<CpuResources> parse_cpu(const Json& value, const std::string& path) {
  auto reader = BURROW_TRY(ObjectReader::open(value, path));
  CpuResources cpu;
  BURROW_TRY(reader.integer("shares", cpu.shares));
  BURROW_TRY(reader.integer("quota", cpu.quota));
  BURROW_TRY(reader.integer("burst", cpu.burst));
  BURROW_TRY(reader.integer("period", cpu.period));
  BURROW_TRY(reader.integer("realtimeRuntime", cpu.realtime_runtime));
  BURROW_TRY(reader.integer("realtimePeriod", cpu.realtime_period));
  BURROW_TRY(reader.string("cpus", cpu.cpus));
  BURROW_TRY(reader.string("mems", cpu.mems));
  BURROW_TRY(reader.integer("idle", cpu.idle));
  reader.log_unknown_members();
  return cpu;
}

Result<WeightDevice> parse_weight_device(const Json& value, const std::string& path) {
  auto reader = BURROW_TRY(ObjectReader::open(value, path));
  WeightDevice device;
  BURROW_TRY(reader.integer("major", device.major));
  BURROW_TRY(reader.integer("minor", device.minor));
  BURROW_TRY(reader.integer("weight", device.weight));
  BURROW_TRY(reader.integer("leafWeight", device.leaf_weight));
  zero_means_unset(device.weight);
  zero_means_unset(device.leaf_weight);
  reader.log_unknown_members();
  return device;
}

Result<ThrottleDevice> parse_throttle_device(const Json& value, const std::string& path) {
  auto reader = BURROW_TRY(ObjectReader::open(value, path));
  ThrottleDevice device;
  BURROW_TRY(reader.integer("major", device.major));
  BURROW_TRY(reader.integer("minor", device.minor));
  BURROW_TRY(reader.integer("rate", device.rate));
  reader.log_unknown_members();
  return device;
}

Result<BlockIoResources> parse_block_io(const Json& value, const std::string& path) {
  auto reader = BURROW_TRY(ObjectReader::open(value, path));
  BlockIoResources io;
  BURROW_TRY(reader.integer("weight", io.weight));
  BURROW_TRY(reader.integer("leafWeight", io.leaf_weight));
  zero_means_unset(io.weight);
  zero_means_unset(io.leaf_weight);
  BURROW_TRY(reader.list("weightDevice", io.weight_device, parse_weight_device));
  BURROW_TRY(
      reader.list("throttleReadBpsDevice", io.throttle_read_bps_device, parse_throttle_device));
  BURROW_TRY(
      reader.list("throttleWriteBpsDevice", io.throttle_write_bps_device, parse_throttle_device));
  BURROW_TRY(
      reader.list("throttleReadIOPSDevice", io.throttle_read_iops_device, parse_throttle_device));
  BURROW_TRY(
      reader.list("throttleWriteIOPSDevice", io.throttle_write_iops_device, parse_throttle_device));
  reader.log_unknown_members();
  return io;
}

Result<HugepageLimit> parse_hugepage_limit(const Json& value, const std::string& path) {
  auto reader = BURROW_TRY(ObjectReader::open(value, path));
  HugepageLimit limit;
  BURROW_TRY(reader.string("pageSize", limit.page_size));
  BURROW_TRY(reader.integer("limit", limit.limit));
  reader.log_unknown_members();
  return limit;
}

Result<NetworkPriority> parse_network_priority(const Json& value, const std::string& path) {
  auto reader = BURROW_TRY(ObjectReader::open(value, path));
  NetworkPriority priority;
  BURROW_TRY(reader.string("name", priority.name));
  BURROW_TRY(reader.integer("priority", priority.priority));
  reader.log_unknown_members();
  return priority;
}

Result<NetworkResources> parse_network(const Json& value, const std::string& path) {
  auto reader = BURROW_TRY(ObjectReader::open(value, path));
  NetworkResources network;
  BURROW_TRY(reader.integer("classID", network.class_id));
  BURROW_TRY(reader.list("priorities", network.priorities, parse_network_priority));
  reader.log_unknown_members();
  return network;
}

Result<RdmaLimit> parse_rdma_limit(const Json& value, const std::string& path) {
  auto reader = BURROW_TRY(ObjectReader::open(value, path));
  RdmaLimit limit;
  BURROW_TRY(reader.integer("hcaHandles", limit.hca_handles));
  BURROW_TRY(reader.integer("hcaObjects", limit.hca_objects));
  reader.log_unknown_members();
  return limit;
}

Result<std::optional<int64_t>> parse_pids(const Json& value, const std::string& path) {
  auto reader = BURROW_TRY(ObjectReader::open(value, path));
  std::optional<int64_t> limit;
  BURROW_TRY(reader.integer("limit", limit));
  reader.log_unknown_members();
  return limit;
}

Result<SeccompArg> parse_seccomp_arg(const Json& value, const std::string& path) {
  auto reader = BURROW_TRY(ObjectReader::open(value, path));
  SeccompArg arg;
  BURROW_TRY(reader.integer("index", arg.index));
  BURROW_TRY(reader.integer("value", arg.value));
  BURROW_TRY(reader.integer("valueTwo", arg.value_two));
  BURROW_TRY(reader.string("op", arg.op));
  reader.log_unknown_members();
  return arg;
}

Result<SeccompSyscall> parse_seccomp_syscall(const Json& value, const std::string& path) {
  auto reader = BURROW_TRY(ObjectReader::open(value, path));
  SeccompSyscall syscall;
  BURROW_TRY(reader.strings("names", syscall.names));
  BURROW_TRY(reader.string("action", syscall.action));
  BURROW_TRY(reader.integer("errnoRet", syscall.errno_ret));
  BURROW_TRY(reader.list("args", syscall.args, parse_seccomp_arg));
  reader.log_unknown_members();
  return syscall;
}

}  // namespace

Result<Resources> parse_resources(const Json& value, const std::string& path) {
  auto reader = BURROW_TRY(ObjectReader::open(value, path));
  Resources resources;
  BURROW_TRY(reader.list("devices", resources.devices, parse_device_rule));
  BURROW_TRY(reader.object("memory", resources.memory, parse_memory));
  BURROW_TRY(reader.object("cpu", resources.cpu, parse_cpu));
  if (const Json* pids = reader.get("pids")) {
    resources.pids_limit = BURROW_TRY(parse_pids(*pids, reader.path_of("pids")));
  }
  BURROW_TRY(reader.object("blockIO", resources.block_io, parse_block_io));
  BURROW_TRY(reader.list("hugepageLimits", resources.hugepage_limits, parse_hugepage_limit));
  BURROW_TRY(reader.object("network", resources.network, parse_network));
  BURROW_TRY(reader.map("rdma", resources.rdma, parse_rdma_limit));
  BURROW_TRY(reader.string_map("unified", resources.unified));
  reader.log_unknown_members();
  return resources;
}

Result<Seccomp> parse_seccomp(const Json& value, const std::string& path) {
  auto reader = BURROW_TRY(ObjectReader::open(value, path));
  Seccomp seccomp;
  BURROW_TRY(reader.string("defaultAction", seccomp.default_action));
  BURROW_TRY(reader.integer("defaultErrnoRet", seccomp.default_errno_ret));
  BURROW_TRY(reader.strings("architectures", seccomp.architectures));
  seccomp.flags_given = reader.get("flags") != nullptr;
  BURROW_TRY(reader.strings("flags", seccomp.flags));
  BURROW_TRY(reader.string("listenerPath", seccomp.listener_path));
  BURROW_TRY(reader.string("listenerMetadata", seccomp.listener_metadata));
  BURROW_TRY(reader.list("syscalls", seccomp.syscalls, parse_seccomp_syscall));
  reader.log_unknown_members();
  return seccomp;
}

}  // namespace burrow::spec::parse_parts
