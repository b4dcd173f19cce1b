#include "cgroups/fs_ops.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <charconv>
#include <chrono>
#include <memory>
#include <sstream>
#include <thread>
#include <vector>

#include "base/fd.hpp"
#include "base/file.hpp"

namespace burrow::cgroups::fs {
namespace {

struct DirEntries {
  std::vector<std::string> dirs, files;
};

Result<DirEntries> list_dir(const std::string& dir) {
  std::unique_ptr<DIR, int (*)(DIR*)> d(::opendir(dir.c_str()), ::closedir);
  if (!d) return Error::from_errno("open " + dir);
  DirEntries out;
  for (;;) {
    errno = 0;
    struct dirent* e = ::readdir(d.get());
    if (e == nullptr) break;
    std::string name = e->d_name;
    if (name == "." || name == "..") continue;
    (e->d_type == DT_DIR ? out.dirs : out.files).push_back(std::move(name));
  }
  if (errno != 0) return Error::from_errno("read " + dir);
  return out;
}

// rmdir, after removing the control files when emulating cgroupfs (which drops them itself).
int remove_one(const CgroupsContext& ctx, const std::string& dir) {
  if (ctx.emulate_cgroupfs) {
    auto entries = list_dir(dir);
    if (entries) {
      for (const auto& f : entries->files) ::unlink((dir + "/" + f).c_str());
    }
  }
  return ::rmdir(dir.c_str());
}

// One pass over the tree below `dir`, children first. Returns the first failure's errno.
Status remove_pass(const CgroupsContext& ctx, const std::string& dir) {
  if (remove_one(ctx, dir) == 0 || errno == ENOENT) return {};
  auto entries = list_dir(dir);
  if (!entries) {
    if (entries.error().code == ENOENT) return {};
    return std::move(entries).error();
  }
  for (const auto& child : entries->dirs) BURROW_TRY(remove_pass(ctx, dir + "/" + child));
  if (remove_one(ctx, dir) == 0 || errno == ENOENT) return {};
  return Error::from_errno("remove cgroup " + dir);
}

Status copy_if_empty(const CgroupsContext& ctx, const std::string& parent, const std::string& dir,
                     const std::string& name) {
  auto current = read_control(dir, name);
  if (current && !current->empty()) return {};
  if (!current && !(ctx.emulate_cgroupfs && current.error().code == ENOENT)) {
    return std::move(current).error();
  }
  std::string value = BURROW_TRY(read_control(parent, name));
  return write_control(ctx, dir, name, value);
}

}  // namespace

Status write_control(const CgroupsContext& ctx, const std::string& dir, const std::string& name,
                     const std::string& data) {
  std::string path = dir + "/" + name;
  if (!ctx.emulate_cgroupfs) return file::write(path, data);
  Fd fd(::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644));
  if (!fd) return Error::from_errno("open " + path);
  std::string line = data + "\n";
  if (::write(fd.get(), line.data(), line.size()) != static_cast<ssize_t>(line.size())) {
    return Error::from_errno("write " + path);
  }
  return {};
}

Result<std::string> read_control(const std::string& dir, const std::string& name) {
  std::string text = BURROW_TRY(file::read(dir + "/" + name));
  while (!text.empty() && text.back() == '\n') text.pop_back();
  // Emulated files hold every write; the last line is the current value.
  size_t last = text.rfind('\n');
  return last == std::string::npos ? text : text.substr(last + 1);
}

bool has_control(const std::string& dir, const std::string& name) {
  return ::access((dir + "/" + name).c_str(), F_OK) == 0;
}

Result<uint64_t> read_u64(const std::string& dir, const std::string& name, uint64_t max_value) {
  std::string text = BURROW_TRY(read_control(dir, name));
  if (text == "max") return max_value;
  uint64_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size()) {
    return Error::msg(dir + "/" + name + ": not a number: \"" + text + "\"");
  }
  return value;
}

uint64_t read_u64_or(const std::string& dir, const std::string& name, uint64_t fallback,
                     uint64_t max_value) {
  auto value = read_u64(dir, name, max_value);
  return value ? *value : fallback;
}

Result<std::map<std::string, uint64_t>> read_key_values(const std::string& dir,
                                                        const std::string& name) {
  std::string text = BURROW_TRY(file::read(dir + "/" + name));
  std::map<std::string, uint64_t> out;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    std::istringstream fields(line);
    std::string key;
    uint64_t value = 0;
    if (fields >> key >> value) out[key] = value;  // emulated files: the last write wins
  }
  return out;
}

Status make_cgroup_dirs(const CgroupsContext& ctx, const std::string& mount_point,
                        const std::string& dir, bool copy_cpuset) {
  if (dir.compare(0, mount_point.size(), mount_point) != 0) {
    return Error::msg("cgroup " + dir + " is not under " + mount_point);
  }
  std::string parent = mount_point;
  size_t pos = mount_point.size();
  while (pos < dir.size()) {
    size_t next = dir.find('/', pos + 1);
    std::string cur = dir.substr(0, next);
    pos = next == std::string::npos ? dir.size() : next;
    if (cur.size() <= parent.size()) continue;  // "//" in the path
    if (::mkdir(cur.c_str(), 0755) < 0 && errno != EEXIST) {
      return Error::from_errno("mkdir " + cur);
    }
    if (copy_cpuset) {
      BURROW_TRY(copy_if_empty(ctx, parent, cur, "cpuset.cpus"));
      BURROW_TRY(copy_if_empty(ctx, parent, cur, "cpuset.mems"));
    }
    parent = cur;
  }
  return {};
}

Status remove_cgroup_tree(const CgroupsContext& ctx, const std::string& dir) {
  constexpr int kAttempts = 5;
  auto delay = std::chrono::milliseconds(10);
  Status last;
  for (int attempt = 0; attempt < kAttempts; ++attempt) {
    if (attempt > 0) {
      std::this_thread::sleep_for(delay);
      delay *= 2;
    }
    last = remove_pass(ctx, dir);
    if (last || last.error().code != EBUSY) return last;
  }
  return last;
}

}  // namespace burrow::cgroups::fs
