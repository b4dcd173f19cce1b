// The UTS namespace's names (spec hostname and domainname).
#pragma once

#include <string>

#include "base/error.hpp"

namespace burrow::linux {

// sethostname(2); needs CAP_SYS_ADMIN over the UTS namespace (i.e. a new one).
Status set_hostname(const std::string& hostname);
// setdomainname(2): the NIS domain name, spec "domainname".
Status set_domainname(const std::string& domainname);

}  // namespace burrow::linux
