#include "cgroups/sub_cgroups.hpp"

#include <sstream>

namespace burrow::cgroups {
namespace {

Error invalid_argument(const std::string& arg, const std::string& why = "") {
  return Error::msg("invalid --cgroup argument: " + arg + why, EINVAL);
}

// `path` below the container's cgroup, as relative components joined with '/' ("" for the
// container's cgroup itself); nullopt when ".." climbs out of it.
std::optional<std::string> relative_below(const std::string& path) {
  std::vector<std::string> parts;
  std::istringstream in(path);
  for (std::string part; std::getline(in, part, '/');) {
    if (part.empty() || part == ".") continue;
    if (part == "..") {
      if (parts.empty()) return std::nullopt;
      parts.pop_back();
      continue;
    }
    parts.push_back(part);
  }
  std::string out;
  for (const auto& part : parts) out += (out.empty() ? "" : "/") + part;
  return out;
}

Result<std::string> join_below(const std::string& dir, const SubCgroupArg& sub) {
  auto relative = relative_below(sub.path);
  if (!relative)
    return Error::msg("--cgroup " + sub.arg + ": " + sub.path +
                          " is not a sub cgroup path (it leads out of the container's cgroup)",
                      EINVAL);
  return relative->empty() ? dir : dir + "/" + *relative;
}

}  // namespace

Result<SubCgroups> parse_sub_cgroups(const std::vector<std::string>& args) {
  SubCgroups out;
  for (const auto& arg : args) {
    size_t colon = arg.find(':');
    if (colon != std::string::npos && arg.find(':', colon + 1) != std::string::npos)
      return invalid_argument(arg);
    if (colon == std::string::npos) {
      if (args.size() != 1) return invalid_argument(arg, " (missing <controller>: prefix)");
      out.everywhere = SubCgroupArg{arg, arg};
      continue;
    }
    std::string path = arg.substr(colon + 1);
    std::istringstream controllers(arg.substr(0, colon));
    for (std::string controller; std::getline(controllers, controller, ',');)
      out.by_controller[controller] = SubCgroupArg{arg, path};
  }
  return out;
}

Result<std::map<std::string, std::string>> resolve_sub_cgroups(
    const SubCgroups& request, const Layout& layout,
    const std::map<std::string, std::string>& container_dirs,
    const std::function<bool(const std::string&)>& is_dir) {
  std::map<std::string, std::string> out = container_dirs;
  auto first_arg = [&] {
    return request.everywhere ? request.everywhere->arg : request.by_controller.begin()->second.arg;
  };
  if (container_dirs.empty() && (request.everywhere || !request.by_controller.empty()))
    return Error::msg("--cgroup " + first_arg() + ": the container has no cgroup of its own",
                      ENOENT);
  std::map<std::string, const SubCgroupArg*> chosen;  // mount point -> its argument
  if (request.everywhere) {
    for (const auto& [mount_point, dir] : container_dirs)
      chosen[mount_point] = &*request.everywhere;
  }
  for (const auto& [controller, sub] : request.by_controller) {
    bool found = false;
    for (const auto& [mount_point, dir] : container_dirs) {
      const Hierarchy* h = layout.find_mount(mount_point);
      if (h == nullptr || h->unified || !h->has(controller)) continue;
      chosen[mount_point] = &sub;
      found = true;
    }
    if (!found)
      return Error::msg("--cgroup " + sub.arg +
                            ": the container has no cgroup in a hierarchy with the " + controller +
                            " controller",
                        ENOENT);
  }
  for (const auto& [mount_point, sub] : chosen) {
    std::string dir = BURROW_TRY(join_below(container_dirs.at(mount_point), *sub));
    if (!is_dir(dir))
      return Error::msg(
          "--cgroup " + sub->arg + ": " + dir + ": no such sub-cgroup of the container's cgroup",
          ENOENT);
    out[mount_point] = dir;
  }
  return out;
}

}  // namespace burrow::cgroups
