#include "pod/id_range.hpp"

#include <fcntl.h>
#include <sys/file.h>

#include <fstream>

#include "base/file.hpp"

namespace burrow::shim::pod {
namespace {

// "name:first:count" lines; the first range of `user` (or its uid) with at least `size` ids.
Result<uint32_t> first_range(const std::string& file, const std::string& user, uint32_t uid,
                             uint32_t size) {
  std::ifstream in(file);
  if (!in) return Error::from_errno("open " + file);
  for (std::string line; std::getline(in, line);) {
    size_t first_colon = line.find(':');
    size_t second_colon = line.find(':', first_colon + 1);
    if (first_colon == std::string::npos || second_colon == std::string::npos) continue;
    std::string owner = line.substr(0, first_colon);
    if (owner != user && owner != std::to_string(uid)) continue;
    try {
      unsigned long first =
          std::stoul(line.substr(first_colon + 1, second_colon - first_colon - 1));
      unsigned long count = std::stoul(line.substr(second_colon + 1));
      if (count >= size) return static_cast<uint32_t>(first);
    } catch (const std::exception&) {
      continue;
    }
  }
  return Error::msg(file + ": no range of " + std::to_string(size) + " ids for " + user +
                    " (add one, e.g. '" + user + ":100000:65536')");
}

}  // namespace

Result<IdSlot> IdSlot::acquire(const std::string& lock_dir) {
  BURROW_TRY(file::mkdir_all(lock_dir, 0700));
  for (uint32_t k = 0; k < kSlotCount; ++k) {
    std::string path = lock_dir + "/" + std::to_string(k);
    Fd fd(::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600));
    if (!fd) return Error::from_errno("open " + path);
    if (::flock(fd.get(), LOCK_EX | LOCK_NB) < 0) {
      if (errno == EWOULDBLOCK) continue;
      return Error::from_errno("flock " + path);
    }
    uint32_t first = kSlotBase + k * kSlotSize;
    return IdSlot(std::move(fd), k, IdRange{first, first, kSlotSize});
  }
  return Error::msg("all " + std::to_string(kSlotCount) + " id ranges under " + lock_dir +
                    " are in use");
}

Result<IdRange> subordinate_range(const std::string& user, uint32_t uid,
                                  const std::string& subuid_file, const std::string& subgid_file,
                                  uint32_t size) {
  IdRange range;
  range.host_uid = BURROW_TRY(first_range(subuid_file, user, uid, size));
  range.host_gid = BURROW_TRY(first_range(subgid_file, user, uid, size));
  range.size = size;
  return range;
}

}  // namespace burrow::shim::pod
