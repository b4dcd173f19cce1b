// Small file helpers. Everything burrow writes for others to read (state.json, pid files) goes
// through write_file_atomic: a reader sees the old file or the new one, never half of one.
#pragma once

#include <sys/types.h>

#include <string>

#include "base/error.hpp"

namespace burrow::file {

Result<std::string> read(const std::string& path);
Result<std::string> read_at(int dirfd, const std::string& name);
// Everything left to read on `fd` (a pipe, a file); `what` names it in errors.
Result<std::string> read_fd(int fd, const std::string& what);
// Writes to an existing file (e.g. /proc and cgroup files): open(O_WRONLY|O_TRUNC), one write.
Status write(const std::string& path, const std::string& data);
Status write_at(int dirfd, const std::string& name, const std::string& data);
// Writes `data` to a temp file next to `path`, fsyncs, renames over `path`.
Status write_atomic(const std::string& path, const std::string& data, mode_t mode = 0644);
// mkdir -p with `mode` for the directories it creates.
Status mkdir_all(const std::string& path, mode_t mode = 0755);
// rm -rf that does not cross mount points; missing path is success.
Status remove_all(const std::string& path);

}  // namespace burrow::file
