// Names inside the pod. Every container of a pod shares one network namespace, so a service is
// reached on 127.0.0.1 under each of its names, as GitLab's docker executor makes them.
#pragma once

#include <string>
#include <vector>

#include "job/model.hpp"

namespace burrow::shim::pod {

// The host names of a service: GitLab's two derived from the image name (tag and digest cut
// off, then '/' replaced by "__" and by "-": `registry.example.com/group/img:1` ->
// `registry.example.com__group__img`, `registry.example.com-group-img`; `docker:dind` ->
// `docker`), then its own aliases; duplicates and invalid host names left out.
std::vector<std::string> service_host_names(const job::ServiceSpec& service);

// Whether `name` may stand in /etc/hosts: RFC 1123 labels of letters, digits, '-' and '_' (GitLab
// emits "__"), separated by dots, at most 253 characters.
bool valid_host_name(const std::string& name);

// The pod's /etc/hosts: localhost, then `build` and every service name on 127.0.0.1.
std::string hosts_file_text(const std::vector<std::string>& names);

}  // namespace burrow::shim::pod
