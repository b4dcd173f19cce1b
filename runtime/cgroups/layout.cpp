#include "cgroups/layout.hpp"

#include <algorithm>
#include <optional>
#include <set>
#include <sstream>

namespace burrow::cgroups {
namespace {

const std::set<std::string>& v1_controller_names() {
  static const std::set<std::string> names = {
      "cpu",   "cpuacct",    "cpuset",  "memory", "devices", "freezer", "net_cls", "net_prio",
      "blkio", "perf_event", "hugetlb", "pids",   "rdma",    "misc",    "debug"};
  return names;
}

std::vector<std::string> split(const std::string& s, char sep) {
  std::vector<std::string> out;
  std::string item;
  std::istringstream in(s);
  while (std::getline(in, item, sep)) out.push_back(item);
  return out;
}

// mountinfo escapes ' ', '\t', '\n' and '\\' as three octal digits.
std::string unescape_octal(const std::string& s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\\' && i + 3 < s.size()) {
      const std::string digits = s.substr(i + 1, 3);
      if (std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '7'; })) {
        out += static_cast<char>(std::stoi(digits, nullptr, 8));
        i += 3;
        continue;
      }
    }
    out += s[i];
  }
  return out;
}

bool is_under(const std::string& path, const std::string& dir) {
  if (path == dir) return true;
  std::string prefix = dir == "/" ? "/" : dir + "/";
  return path.compare(0, prefix.size(), prefix) == 0;
}

// One mountinfo line -> a Hierarchy, if it is a cgroup mount under `root`.
std::optional<Hierarchy> parse_mount(const std::string& line, const std::string& root) {
  std::vector<std::string> fields = split(line, ' ');
  auto dash = std::find(fields.begin(), fields.end(), "-");
  if (fields.size() < 7 || dash == fields.end() || fields.end() - dash < 4) return std::nullopt;
  const std::string& fstype = *(dash + 1);
  if (fstype != "cgroup" && fstype != "cgroup2") return std::nullopt;
  Hierarchy h;
  h.mount_root = unescape_octal(fields[3]);
  h.mount_point = unescape_octal(fields[4]);
  if (!is_under(h.mount_point, root)) return std::nullopt;
  h.unified = fstype == "cgroup2";
  if (!h.unified) {
    for (const auto& opt : split(*(dash + 3), ',')) {
      if (v1_controller_names().count(opt) || opt.rfind("name=", 0) == 0) {
        h.controllers.push_back(opt);
      }
    }
  }
  return h;
}

// /proc/<pid>/cgroup: "7:cpu,cpuacct:/path"; "0::/path" for cgroup2.
std::optional<std::string> cgroup_in(const Hierarchy& h, const std::string& proc_cgroup) {
  for (const auto& line : split(proc_cgroup, '\n')) {
    size_t first = line.find(':');
    size_t second = first == std::string::npos ? first : line.find(':', first + 1);
    if (second == std::string::npos) continue;
    std::string controllers = line.substr(first + 1, second - first - 1);
    bool match = h.unified ? controllers.empty()
                           : !controllers.empty() && split(controllers, ',') == h.controllers;
    if (match) return line.substr(second + 1);
  }
  return std::nullopt;
}

std::string own_cgroup_of(const Hierarchy& h, const std::string& self_cgroup) {
  return cgroup_in(h, self_cgroup).value_or("/");
}

// The dir under h's mount point of `cgroup` (a path from the hierarchy's root, as
// /proc/<pid>/cgroup gives it); nullopt when the mount does not show that cgroup.
std::optional<std::string> dir_of(const Hierarchy& h, const std::string& cgroup) {
  if (!is_under(cgroup, h.mount_root)) return std::nullopt;
  std::string below = cgroup.substr(h.mount_root == "/" ? 0 : h.mount_root.size());
  return clean_path(h.mount_point + "/" + below);
}

}  // namespace

bool Hierarchy::has(const std::string& controller) const {
  return std::find(controllers.begin(), controllers.end(), controller) != controllers.end();
}

std::string Hierarchy::name() const {
  if (unified) return "unified";
  std::string out;
  for (const auto& c : controllers) out += (out.empty() ? "" : ",") + c;
  return out;
}

const Hierarchy* Layout::unified() const {
  for (const auto& h : hierarchies) {
    if (h.unified) return &h;
  }
  return nullptr;
}

const Hierarchy* Layout::find(const std::string& controller) const {
  for (const auto& h : hierarchies) {
    if (h.has(controller)) return &h;
  }
  return nullptr;
}

const Hierarchy* Layout::find_mount(const std::string& mount_point) const {
  for (const auto& h : hierarchies) {
    if (h.mount_point == mount_point) return &h;
  }
  return nullptr;
}

Result<Layout> detect_layout(const CgroupsContext& ctx) {
  Layout layout;
  bool has_v1 = false;
  for (const auto& line : split(ctx.mountinfo, '\n')) {
    auto h = parse_mount(line, ctx.root);
    if (!h) continue;
    // The same hierarchy mounted twice (bind mounts) is placed once.
    bool seen = std::any_of(
        layout.hierarchies.begin(), layout.hierarchies.end(), [&](const Hierarchy& other) {
          return other.unified == h->unified && other.controllers == h->controllers;
        });
    if (seen || (!h->unified && h->controllers.empty())) continue;
    h->own_cgroup = own_cgroup_of(*h, ctx.self_cgroup);
    has_v1 = has_v1 || !h->unified;
    layout.hierarchies.push_back(std::move(*h));
  }
  if (layout.hierarchies.empty()) {
    return Error::msg("no cgroup hierarchy mounted under " + ctx.root);
  }
  if (!has_v1) {
    layout.mode = Mode::unified;
  } else {
    layout.mode = layout.unified() ? Mode::hybrid : Mode::legacy;
  }
  return layout;
}

std::string clean_path(const std::string& path) {
  if (path.empty()) return "";
  bool absolute = path[0] == '/';
  std::vector<std::string> parts;
  for (const auto& part : split(path, '/')) {
    if (part.empty() || part == ".") continue;
    if (part == "..") {
      if (!parts.empty()) parts.pop_back();  // at the top, ".." stays there (as from "/")
      continue;
    }
    parts.push_back(part);
  }
  std::string out;
  for (const auto& part : parts) out += (out.empty() && !absolute ? "" : "/") + part;
  if (out.empty()) return absolute ? "/" : ".";
  return out;
}

Result<std::string> container_inner_path(const std::string& cgroups_path, const std::string& id) {
  std::string inner = cgroups_path.empty() ? clean_path(id) : clean_path(cgroups_path);
  if (inner == "/" || inner == "." || inner.empty()) {
    return Error::msg("cgroupsPath \"" + cgroups_path + "\" names no cgroup of its own");
  }
  return inner;
}

Result<std::string> cgroup_dir(const Hierarchy& h, const std::string& inner) {
  if (!inner.empty() && inner[0] == '/') return clean_path(h.mount_point + inner);
  auto own = dir_of(h, h.own_cgroup);
  if (!own) {
    return Error::msg("own cgroup " + h.own_cgroup + " is outside the " + h.name() +
                      " hierarchy mounted at " + h.mount_point);
  }
  return clean_path(*own + "/" + inner);
}

Result<std::string> process_cgroup_dir(const Hierarchy& h, const std::string& proc_cgroup) {
  auto cgroup = cgroup_in(h, proc_cgroup);
  if (!cgroup) return Error::msg("no " + h.name() + " cgroup listed", ENOENT);
  auto dir = dir_of(h, *cgroup);
  if (!dir) {
    return Error::msg("cgroup " + *cgroup + " is outside the " + h.name() +
                          " hierarchy mounted at " + h.mount_point,
                      ENOENT);
  }
  return *dir;
}

bool is_same_or_below(const std::string& dir, const std::string& ancestor) {
  return is_under(dir, ancestor);
}

}  // namespace burrow::cgroups
