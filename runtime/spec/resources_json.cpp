#include "spec/resources_json.hpp"

#include <optional>
#include <string>

namespace burrow::spec {
namespace {

using nlohmann::json;

template <typename T>
void put(json& out, const char* key, const std::optional<T>& value) {
  if (value) out[key] = *value;
}

void put(json& out, const char* key, const std::string& value) {
  if (!value.empty()) out[key] = value;
}

json memory_json(const MemoryResources& m) {
  json out = json::object();
  put(out, "limit", m.limit);
  put(out, "reservation", m.reservation);
  put(out, "swap", m.swap);
  put(out, "kernel", m.kernel);
  put(out, "kernelTCP", m.kernel_tcp);
  put(out, "swappiness", m.swappiness);
  put(out, "disableOOMKiller", m.disable_oom_killer);
  put(out, "useHierarchy", m.use_hierarchy);
  put(out, "checkBeforeUpdate", m.check_before_update);
  return out;
}

json cpu_json(const CpuResources& c) {
  json out = json::object();
  put(out, "shares", c.shares);
  put(out, "quota", c.quota);
  put(out, "burst", c.burst);
  put(out, "period", c.period);
  put(out, "realtimeRuntime", c.realtime_runtime);
  put(out, "realtimePeriod", c.realtime_period);
  put(out, "cpus", c.cpus);
  put(out, "mems", c.mems);
  put(out, "idle", c.idle);
  return out;
}

json throttles_json(const std::vector<ThrottleDevice>& devices) {
  json out = json::array();
  for (const auto& d : devices)
    out.push_back({{"major", d.major}, {"minor", d.minor}, {"rate", d.rate}});
  return out;
}

json block_io_json(const BlockIoResources& io) {
  json out = json::object();
  put(out, "weight", io.weight);
  put(out, "leafWeight", io.leaf_weight);
  if (!io.weight_device.empty()) {
    json devices = json::array();
    for (const auto& d : io.weight_device) {
      json device = {{"major", d.major}, {"minor", d.minor}};
      put(device, "weight", d.weight);
      put(device, "leafWeight", d.leaf_weight);
      devices.push_back(std::move(device));
    }
    out["weightDevice"] = std::move(devices);
  }
  const std::pair<const char*, const std::vector<ThrottleDevice>*> throttles[] = {
      {"throttleReadBpsDevice", &io.throttle_read_bps_device},
      {"throttleWriteBpsDevice", &io.throttle_write_bps_device},
      {"throttleReadIOPSDevice", &io.throttle_read_iops_device},
      {"throttleWriteIOPSDevice", &io.throttle_write_iops_device}};
  for (const auto& [key, devices] : throttles) {
    if (!devices->empty()) out[key] = throttles_json(*devices);
  }
  return out;
}

json network_json(const NetworkResources& n) {
  json out = json::object();
  put(out, "classID", n.class_id);
  if (!n.priorities.empty()) {
    out["priorities"] = json::array();
    for (const auto& p : n.priorities)
      out["priorities"].push_back({{"name", p.name}, {"priority", p.priority}});
  }
  return out;
}

// What identifies a list entry across updates: the device, the page size, the name.
std::optional<json> entry_key(const json& entry) {
  if (!entry.is_object()) return std::nullopt;
  if (entry.contains("major") && entry.contains("minor"))
    return json{entry["major"], entry["minor"]};
  if (entry.contains("pageSize")) return entry["pageSize"];
  if (entry.contains("name")) return entry["name"];
  return std::nullopt;
}

void merge_list(json& saved, const json& update) {
  if (!saved.is_array()) {
    saved = update;
    return;
  }
  for (const auto& entry : update) {
    auto key = entry_key(entry);
    if (!key) {
      saved = update;  // entries without identity: the update's list is the list
      return;
    }
    bool replaced = false;
    for (auto& old : saved) {
      if (entry_key(old) == key) {
        old = entry;
        replaced = true;
      }
    }
    if (!replaced) saved.push_back(entry);
  }
}

}  // namespace

json resources_to_json(const Resources& r) {
  json out = json::object();
  if (!r.devices.empty()) {
    out["devices"] = json::array();
    for (const auto& d : r.devices) {
      json rule = {{"allow", d.allow}};
      put(rule, "type", d.type);
      put(rule, "major", d.major);
      put(rule, "minor", d.minor);
      put(rule, "access", d.access);
      out["devices"].push_back(std::move(rule));
    }
  }
  if (r.memory) out["memory"] = memory_json(*r.memory);
  if (r.cpu) out["cpu"] = cpu_json(*r.cpu);
  if (r.pids_limit) out["pids"] = {{"limit", *r.pids_limit}};
  if (r.block_io) out["blockIO"] = block_io_json(*r.block_io);
  if (!r.hugepage_limits.empty()) {
    out["hugepageLimits"] = json::array();
    for (const auto& h : r.hugepage_limits)
      out["hugepageLimits"].push_back({{"pageSize", h.page_size}, {"limit", h.limit}});
  }
  if (r.network) out["network"] = network_json(*r.network);
  for (const auto& [device, limit] : r.rdma) {
    json entry = json::object();
    put(entry, "hcaHandles", limit.hca_handles);
    put(entry, "hcaObjects", limit.hca_objects);
    out["rdma"][device] = std::move(entry);
  }
  for (const auto& [key, value] : r.unified) out["unified"][key] = value;
  return out;
}

void merge_resources_json(json& saved, const json& update) {
  if (!update.is_object() || !saved.is_object()) {
    saved = update;
    return;
  }
  for (const auto& [key, value] : update.items()) {
    if (key == "devices")  // an ordered rule list, not per-device entries
      saved[key] = value;
    else if (value.is_object() && saved.contains(key) && saved[key].is_object())
      merge_resources_json(saved[key], value);
    else if (value.is_array())
      merge_list(saved[key], value);
    else
      saved[key] = value;
  }
}

}  // namespace burrow::spec
