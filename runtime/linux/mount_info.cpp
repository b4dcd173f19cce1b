#include "linux/mount_info.hpp"

#include <sstream>

#include "base/file.hpp"

namespace burrow::linux {
namespace {

// mountinfo escapes ' ', '\t', '\n' and '\\' as a backslash and three octal digits.
std::string unescape(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  auto octal = [](char c) { return c >= '0' && c <= '7'; };
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\\' && i + 3 < s.size() && octal(s[i + 1]) && octal(s[i + 2]) && octal(s[i + 3])) {
      out += static_cast<char>((s[i + 1] - '0') * 64 + (s[i + 2] - '0') * 8 + (s[i + 3] - '0'));
      i += 3;
      continue;
    }
    out += s[i];
  }
  return out;
}

bool parse_line(const std::string& line, MountInfo& out) {
  std::istringstream in(line);
  std::string dev, root, mount_point;
  if (!(in >> out.id >> out.parent_id >> dev >> root >> mount_point >> out.mount_options))
    return false;
  out.root = unescape(root);
  out.mount_point = unescape(mount_point);
  std::string field;
  out.optional.clear();
  while (in >> field && field != "-") {
    if (!out.optional.empty()) out.optional += ' ';
    out.optional += field;
  }
  if (field != "-") return false;
  std::string source;
  if (!(in >> out.fs_type >> source >> out.super_options)) return false;
  out.source = unescape(source);
  return true;
}

bool is_prefix_dir(const std::string& dir, const std::string& path) {
  if (dir == "/") return true;
  if (path.compare(0, dir.size(), dir) != 0) return false;
  return path.size() == dir.size() || path[dir.size()] == '/';
}

}  // namespace

bool MountInfo::has_mount_option(std::string_view option) const {
  size_t start = 0;
  while (start <= mount_options.size()) {
    size_t end = mount_options.find(',', start);
    if (end == std::string::npos) end = mount_options.size();
    if (std::string_view(mount_options).substr(start, end - start) == option) return true;
    start = end + 1;
  }
  return false;
}

std::vector<MountInfo> parse_mount_info(std::string_view text) {
  std::vector<MountInfo> mounts;
  std::istringstream in{std::string(text)};
  std::string line;
  while (std::getline(in, line)) {
    MountInfo info;
    if (parse_line(line, info)) mounts.push_back(std::move(info));
  }
  return mounts;
}

Result<std::vector<MountInfo>> read_mount_info(const std::string& path) {
  std::string text = BURROW_TRY(file::read(path));
  return parse_mount_info(text);
}

const MountInfo* mount_containing(const std::vector<MountInfo>& mounts, const std::string& path) {
  const MountInfo* best = nullptr;
  for (const auto& m : mounts) {
    if (!is_prefix_dir(m.mount_point, path)) continue;
    if (!best || m.mount_point.size() >= best->mount_point.size()) best = &m;
  }
  return best;
}

}  // namespace burrow::linux
