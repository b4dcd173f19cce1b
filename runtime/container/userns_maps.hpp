// A user namespace joined by path comes with its maps already written; when config.json gives
// mappings too, they must be the namespace's (runc checks the same), or every uid check made
// from the config (the process user, mount options) would be about another namespace.
#pragma once

#include <string>
#include <vector>

#include "base/error.hpp"
#include "spec/model.hpp"

namespace burrow::container {

// "0 100000 65536\n..." (the kernel's padded columns too) -> mappings.
Result<std::vector<spec::IdMapping>> parse_id_map(const std::string& text);

struct UserNamespaceMaps {
  std::vector<spec::IdMapping> uid, gid;
};

// The maps of the user namespace behind `userns_fd`, read by a short-lived child that joins it.
Result<UserNamespaceMaps> read_user_namespace_maps(int userns_fd);

// Refuses config mappings that differ from the joined namespace's; none given is fine.
Status check_joined_user_namespace(const spec::Spec& spec, int userns_fd);

}  // namespace burrow::container
