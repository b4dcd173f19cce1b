#include "linux/hostname.hpp"

#include <unistd.h>

namespace burrow::linux {

Status set_hostname(const std::string& hostname) {
  if (::sethostname(hostname.data(), hostname.size()) < 0)
    return Error::from_errno("sethostname " + hostname);
  return {};
}

Status set_domainname(const std::string& domainname) {
  if (::setdomainname(domainname.data(), domainname.size()) < 0)
    return Error::from_errno("setdomainname " + domainname);
  return {};
}

}  // namespace burrow::linux
