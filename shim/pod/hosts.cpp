#include "pod/hosts.hpp"

#include <algorithm>
#include <cctype>

namespace burrow::shim::pod {
namespace {

std::string replace_all(std::string text, const std::string& from, const std::string& to) {
  for (size_t at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size()))
    text.replace(at, from.size(), to);
  return text;
}

// The image name without tag or digest: a ':' after the last '/' starts the tag.
std::string repository_of(const std::string& image) {
  std::string name = image.substr(0, image.find('@'));
  size_t slash = name.rfind('/');
  size_t colon = name.rfind(':');
  if (colon != std::string::npos && (slash == std::string::npos || colon > slash))
    name.resize(colon);
  return name;
}

void add_unique(std::vector<std::string>& names, const std::string& name) {
  if (valid_host_name(name) && std::find(names.begin(), names.end(), name) == names.end())
    names.push_back(name);
}

}  // namespace

bool valid_host_name(const std::string& name) {
  if (name.empty() || name.size() > 253) return false;
  size_t label = 0;
  for (char c : name) {
    if (c == '.') {
      if (label == 0) return false;
      label = 0;
      continue;
    }
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_') return false;
    if (++label > 63) return false;
  }
  return label > 0 && name.front() != '-' && name.back() != '-';
}

std::vector<std::string> service_host_names(const job::ServiceSpec& service) {
  std::vector<std::string> names;
  std::string repository = repository_of(service.image.name);
  add_unique(names, replace_all(repository, "/", "__"));
  add_unique(names, replace_all(repository, "/", "-"));
  for (const auto& alias : service.aliases) add_unique(names, alias);
  return names;
}

std::string hosts_file_text(const std::vector<std::string>& names) {
  std::string text =
      "127.0.0.1\tlocalhost\n"
      "::1\tlocalhost ip6-localhost ip6-loopback\n"
      "127.0.0.1\tbuild";
  for (const auto& name : names) text += " " + name;
  return text + "\n";
}

}  // namespace burrow::shim::pod
