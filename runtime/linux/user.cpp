#include "linux/user.hpp"

#include <grp.h>
#include <sys/prctl.h>
#include <unistd.h>

#include <charconv>
#include <sstream>

#include "base/file.hpp"

namespace burrow::linux {
namespace {

std::string join_ids(const std::vector<uint32_t>& ids) {
  std::string out;
  for (uint32_t id : ids) out += (out.empty() ? "" : ",") + std::to_string(id);
  return out;
}

Status set_groups(const std::vector<uint32_t>& gids, bool allowed) {
  if (!allowed) {
    if (gids.empty()) return {};
    return Error::msg("cannot set additional groups " + join_ids(gids) +
                          ": setgroups is denied in this user namespace",
                      EPERM);
  }
  std::vector<gid_t> list(gids.begin(), gids.end());
  // Exactly the spec's additional gids, like runc: an empty list clears inherited groups.
  if (::setgroups(list.size(), list.data()) < 0)
    return Error::from_errno("setgroups [" + join_ids(gids) + "]");
  return {};
}

// Splits one passwd line into its colon-separated fields.
std::vector<std::string> split_fields(const std::string& line) {
  std::vector<std::string> fields;
  std::string field;
  std::istringstream in(line);
  while (std::getline(in, field, ':')) fields.push_back(field);
  if (!line.empty() && line.back() == ':') fields.emplace_back();
  return fields;
}

bool parse_uid(const std::string& text, uint32_t& uid) {
  auto parsed = std::from_chars(text.data(), text.data() + text.size(), uid);
  return parsed.ec == std::errc() && parsed.ptr == text.data() + text.size() && !text.empty();
}

}  // namespace

Status switch_user(const spec::User& user, bool setgroups_allowed) {
  // Without KEEPCAPS the kernel clears the permitted set when all uids leave 0.
  if (::prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0) < 0) return Error::from_errno("prctl(PR_SET_KEEPCAPS)");
  auto status = set_groups(user.additional_gids, setgroups_allowed);
  if (status && ::setresgid(user.gid, user.gid, user.gid) < 0)
    status = Error::from_errno("setresgid " + std::to_string(user.gid));
  if (status && ::setresuid(user.uid, user.uid, user.uid) < 0)
    status = Error::from_errno("setresuid " + std::to_string(user.uid));
  if (::prctl(PR_SET_KEEPCAPS, 0, 0, 0, 0) < 0 && status)
    status = Error::from_errno("prctl(PR_SET_KEEPCAPS, 0)");
  return status;
}

Result<bool> setgroups_allowed() {
  auto text = file::read("/proc/self/setgroups");
  if (!text) {
    if (text.error().code == ENOENT) return true;
    return std::move(text).error();
  }
  return text->rfind("deny", 0) != 0;
}

std::optional<std::string> home_from_passwd(const std::string& passwd_text, uint32_t uid) {
  std::istringstream in(passwd_text);
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    auto fields = split_fields(line);
    uint32_t line_uid = 0;
    if (fields.size() < 6 || !parse_uid(fields[2], line_uid)) continue;
    if (line_uid == uid) return fields[5];
  }
  return std::nullopt;
}

std::vector<std::string> environment_with_home(std::vector<std::string> env, uint32_t uid,
                                               const std::string& passwd_path) {
  for (const auto& entry : env) {
    if (entry.rfind("HOME=", 0) == 0) return env;
  }
  std::string home = "/";
  if (auto text = file::read(passwd_path)) {
    auto found = home_from_passwd(*text, uid);
    if (found && !found->empty()) home = *found;
  }
  env.push_back("HOME=" + home);
  return env;
}

}  // namespace burrow::linux
