// The `linux` object of config.json, except resources and seccomp (parse_resources.cpp).
#include <string_view>

#include "spec/parse_parts.hpp"

namespace burrow::spec::parse_parts {
namespace {

using json_reader::error_at;
using json_reader::ObjectReader;
using json_reader::read_string;

Result<Namespace> parse_namespace(const Json& value, const std::string& path) {
  auto reader = BURROW_TRY(ObjectReader::open(value, path));
  Namespace ns;
  const Json* type = BURROW_TRY(reader.required("type"));
  std::string name = BURROW_TRY(read_string(*type, reader.path_of("type")));
  std::optional<NamespaceType> known = parse_namespace_type(name);
  if (!known) return error_at(reader.path_of("type"), "namespace \"" + name + "\" does not exist");
  ns.type = *known;
  BURROW_TRY(reader.string("path", ns.path));
  reader.log_unknown_members();
  return ns;
}

Result<Device> parse_device(const Json& value, const std::string& path) {
  auto reader = BURROW_TRY(ObjectReader::open(value, path));
  Device device;
  const Json* type = BURROW_TRY(reader.required("type"));
  device.type = BURROW_TRY(read_string(*type, reader.path_of("type")));
  const Json* device_path = BURROW_TRY(reader.required("path"));
  device.path = BURROW_TRY(read_string(*device_path, reader.path_of("path")));
  // A fifo has no device number; every other node needs both (validate checks the type).
  bool needs_numbers = device.type != "p";
  for (std::string_view key : {"major", "minor"}) {
    if (needs_numbers && !reader.get(key)) {
      return error_at(reader.path_of(key), "required for device type \"" + device.type + "\"");
    }
  }
  BURROW_TRY(reader.integer("major", device.major));
  BURROW_TRY(reader.integer("minor", device.minor));
  BURROW_TRY(reader.integer("fileMode", device.file_mode));
  BURROW_TRY(reader.integer("uid", device.uid));
  BURROW_TRY(reader.integer("gid", device.gid));
  reader.log_unknown_members();
  return device;
}

Result<Personality> parse_personality(const Json& value, const std::string& path) {
  auto reader = BURROW_TRY(ObjectReader::open(value, path));
  Personality personality;
  BURROW_TRY(reader.string("domain", personality.domain));
  BURROW_TRY(reader.strings("flags", personality.flags));
  reader.log_unknown_members();
  return personality;
}

Result<MemoryPolicy> parse_memory_policy(const Json& value, const std::string& path) {
  auto reader = BURROW_TRY(ObjectReader::open(value, path));
  MemoryPolicy policy;
  const Json* mode = BURROW_TRY(reader.required("mode"));
  policy.mode = BURROW_TRY(read_string(*mode, reader.path_of("mode")));
  BURROW_TRY(reader.string("nodes", policy.nodes));
  BURROW_TRY(reader.strings("flags", policy.flags));
  reader.log_unknown_members();
  return policy;
}

Result<TimeOffset> parse_time_offset(const Json& value, const std::string& path) {
  auto reader = BURROW_TRY(ObjectReader::open(value, path));
  TimeOffset offset;
  BURROW_TRY(reader.integer("secs", offset.secs));
  BURROW_TRY(reader.integer("nanosecs", offset.nanosecs));
  reader.log_unknown_members();
  return offset;
}

}  // namespace

Result<IdMapping> parse_id_mapping(const Json& value, const std::string& path) {
  auto reader = BURROW_TRY(ObjectReader::open(value, path));
  IdMapping mapping;
  BURROW_TRY(reader.integer("containerID", mapping.container_id));
  BURROW_TRY(reader.integer("hostID", mapping.host_id));
  BURROW_TRY(reader.integer("size", mapping.size));
  reader.log_unknown_members();
  return mapping;
}

Result<Linux> parse_linux(const Json& value, const std::string& path,
                          std::vector<std::string>& unsupported) {
  auto reader = BURROW_TRY(ObjectReader::open(value, path));
  Linux linux_section;
  BURROW_TRY(reader.list("uidMappings", linux_section.uid_mappings, parse_id_mapping));
  BURROW_TRY(reader.list("gidMappings", linux_section.gid_mappings, parse_id_mapping));
  BURROW_TRY(reader.string_map("sysctl", linux_section.sysctl));
  BURROW_TRY(reader.object("resources", linux_section.resources, parse_resources));
  BURROW_TRY(reader.string("cgroupsPath", linux_section.cgroups_path));
  BURROW_TRY(reader.list("namespaces", linux_section.namespaces, parse_namespace));
  BURROW_TRY(reader.list("devices", linux_section.devices, parse_device));
  BURROW_TRY(reader.object("seccomp", linux_section.seccomp, parse_seccomp));
  BURROW_TRY(reader.string("rootfsPropagation", linux_section.rootfs_propagation));
  BURROW_TRY(reader.strings("maskedPaths", linux_section.masked_paths));
  BURROW_TRY(reader.strings("readonlyPaths", linux_section.readonly_paths));
  BURROW_TRY(reader.string("mountLabel", linux_section.mount_label));
  BURROW_TRY(reader.object("personality", linux_section.personality, parse_personality));
  BURROW_TRY(reader.map("timeOffsets", linux_section.time_offsets, parse_time_offset));
  BURROW_TRY(reader.object("memoryPolicy", linux_section.memory_policy, parse_memory_policy));
  for (std::string_view key : {"intelRdt", "netDevices"}) {
    reader.note_unsupported(key, unsupported);
  }
  reader.log_unknown_members();
  return linux_section;
}

}  // namespace burrow::spec::parse_parts
