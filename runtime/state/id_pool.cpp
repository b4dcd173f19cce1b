#include "state/id_pool.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <charconv>
#include <map>
#include <memory>
#include <sstream>

#include <nlohmann/json.hpp>

#include "base/fd.hpp"
#include "base/file.hpp"

namespace burrow::state {
namespace {

std::optional<uint64_t> parse_number(std::string_view text) {
  uint64_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || text.empty()) return std::nullopt;
  return value;
}

struct Range {
  uint64_t start = 0;
  uint64_t count = 0;
};

// Whole ranges of kIdRangeSize within 32-bit ids (uid 2^32-1 is (uid_t)-1, never mapped).
Result<Range> checked_range(uint64_t start, uint64_t count, const std::string& where) {
  count -= count % kIdRangeSize;
  if (count == 0)
    return Error::msg(where + ": fewer than " + std::to_string(kIdRangeSize) + " ids", EINVAL);
  if (start == 0) return Error::msg(where + ": a pool may not start at id 0 (host root)", EINVAL);
  if (start + count > 0xffffffffULL)
    return Error::msg(where + ": the range ends beyond the last 32-bit id", EINVAL);
  return Range{start, count};
}

Result<Range> subordinate_range(const std::string& user, const std::string& text,
                                const std::string& file) {
  std::istringstream lines(text);
  for (std::string line; std::getline(lines, line);) {
    if (line.rfind(user + ":", 0) != 0) continue;
    std::string_view rest(line);
    rest.remove_prefix(user.size() + 1);
    size_t colon = rest.find(':');
    auto start =
        colon == std::string_view::npos ? std::nullopt : parse_number(rest.substr(0, colon));
    auto count =
        colon == std::string_view::npos ? std::nullopt : parse_number(rest.substr(colon + 1));
    if (!start || !count)
      return Error::msg(file + ": malformed entry for " + user + ": \"" + line + "\"", EINVAL);
    return checked_range(*start, *count, file + ": " + user);
  }
  return Error::msg(file + ": no entry for user " + user + " (add one, e.g. \"" + user +
                        ":1879048192:268435456\", or pass --userns-pool START:SIZE)",
                    ENOENT);
}

// The registry's flock, held while leases are read and written.
class RegistryLock {
 public:
  static Result<RegistryLock> take(const std::string& registry) {
    if (::mkdir(registry.c_str(), 0700) < 0 && errno != EEXIST)
      return Error::from_errno("id range registry " + registry);
    std::string path = registry + "/lock";
    Fd fd(::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600));
    if (!fd) return Error::from_errno("open " + path);
    while (::flock(fd.get(), LOCK_EX) < 0)
      if (errno != EINTR) return Error::from_errno("lock " + path);
    return RegistryLock(std::move(fd));
  }

 private:
  explicit RegistryLock(Fd fd) : fd_(std::move(fd)) {}
  Fd fd_;
};

struct Lease {
  std::string root;
  std::string id;
};

std::optional<Lease> read_lease(const std::string& path) {
  auto text = file::read(path);
  if (!text) return std::nullopt;
  auto j = nlohmann::json::parse(*text, nullptr, false);
  if (!j.is_object() || !j["root"].is_string() || !j["id"].is_string()) return std::nullopt;
  return Lease{j["root"].get<std::string>(), j["id"].get<std::string>()};
}

// A lease is live while its container's state directory exists. An unreadable lease file is
// taken as live: never hand out a range that may be in use.
bool lease_is_live(const std::string& path) {
  auto lease = read_lease(path);
  if (!lease) return ::access(path.c_str(), F_OK) == 0;
  return ::access((lease->root + "/" + lease->id).c_str(), F_OK) == 0;
}

// host uid -> lease file, for every lease in the registry.
Result<std::map<uint64_t, std::string>> list_leases(const std::string& registry) {
  std::unique_ptr<DIR, int (*)(DIR*)> dir(::opendir(registry.c_str()), ::closedir);
  if (!dir) return Error::from_errno("open " + registry);
  std::map<uint64_t, std::string> leases;
  while (struct dirent* entry = ::readdir(dir.get())) {
    auto start = parse_number(entry->d_name);
    if (start) leases[*start] = registry + "/" + entry->d_name;
  }
  return leases;
}

}  // namespace

Result<IdPool> parse_id_pool(const std::string& text) {
  size_t colon = text.find(':');
  auto start = colon == std::string::npos ? std::nullopt : parse_number(text.substr(0, colon));
  auto count = colon == std::string::npos ? std::nullopt : parse_number(text.substr(colon + 1));
  if (!start || !count)
    return Error::msg("--userns-pool " + text + ": want START:SIZE (e.g. 1879048192:268435456)",
                      EINVAL);
  Range range = BURROW_TRY(checked_range(*start, *count, "--userns-pool " + text));
  return IdPool{static_cast<uint32_t>(range.start), static_cast<uint32_t>(range.start),
                static_cast<uint32_t>(range.count)};
}

Result<IdPool> id_pool_from_subordinate(const std::string& user, const std::string& subuid_text,
                                        const std::string& subuid_file,
                                        const std::string& subgid_text,
                                        const std::string& subgid_file) {
  Range uids = BURROW_TRY(subordinate_range(user, subuid_text, subuid_file));
  Range gids = BURROW_TRY(subordinate_range(user, subgid_text, subgid_file));
  return IdPool{static_cast<uint32_t>(uids.start), static_cast<uint32_t>(gids.start),
                static_cast<uint32_t>(std::min(uids.count, gids.count))};
}

Result<IdLease> acquire_id_range(const std::string& registry, const IdPool& pool,
                                 const std::string& root, const std::string& id) {
  RegistryLock lock = BURROW_TRY(RegistryLock::take(registry));
  auto leases = BURROW_TRY(list_leases(registry));
  for (uint64_t offset = 0; offset + kIdRangeSize <= pool.size; offset += kIdRangeSize) {
    uint64_t start = pool.uid_start + offset;
    // Any lease overlapping [start, start + size): leases of another pool definition may sit
    // anywhere.
    bool taken = false;
    for (auto it = leases.lower_bound(start >= kIdRangeSize ? start - kIdRangeSize + 1 : 0);
         it != leases.end() && it->first < start + kIdRangeSize; ++it) {
      if (lease_is_live(it->second)) {
        taken = true;
        break;
      }
    }
    if (taken) continue;
    // Stale leases in the way belong to containers that are gone.
    for (auto it = leases.lower_bound(start >= kIdRangeSize ? start - kIdRangeSize + 1 : 0);
         it != leases.end() && it->first < start + kIdRangeSize; ++it)
      ::unlink(it->second.c_str());
    nlohmann::json lease = {{"root", root}, {"id", id}};
    BURROW_TRY(file::write_atomic(registry + "/" + std::to_string(start), lease.dump(), 0600));
    return IdLease{static_cast<uint32_t>(start), static_cast<uint32_t>(pool.gid_start + offset)};
  }
  return Error::msg("no free id range: all " + std::to_string(pool.size / kIdRangeSize) +
                        " ranges of " + std::to_string(kIdRangeSize) + " ids from " +
                        std::to_string(pool.uid_start) + " are leased to live containers (" +
                        registry + ")",
                    EAGAIN);
}

Status release_id_range(const std::string& registry, uint32_t host_uid, const std::string& root,
                        const std::string& id) {
  RegistryLock lock = BURROW_TRY(RegistryLock::take(registry));
  std::string path = registry + "/" + std::to_string(host_uid);
  auto lease = read_lease(path);
  if (!lease || lease->root != root || lease->id != id) return {};
  if (::unlink(path.c_str()) < 0 && errno != ENOENT) return Error::from_errno("remove " + path);
  return {};
}

}  // namespace burrow::state
