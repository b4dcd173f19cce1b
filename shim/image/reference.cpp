#include "image/reference.hpp"

#include <cctype>

#include "image/sha256.hpp"

namespace burrow::shim::image {
namespace {

constexpr std::string_view kDockerHub = "docker.io";

bool is_lower_alnum(char c) {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

// One path component: [a-z0-9]+ joined by ".", "_", "__" or runs of "-" (docker's grammar).
bool valid_component(std::string_view c) {
  if (c.empty() || !is_lower_alnum(c.front()) || !is_lower_alnum(c.back())) return false;
  for (size_t i = 0; i < c.size(); ++i) {
    if (is_lower_alnum(c[i])) continue;
    if (c[i] == '.' || c[i] == '-') {
      if (c[i] == '.' && !is_lower_alnum(c[i + 1])) return false;
      continue;
    }
    if (c[i] != '_') return false;
    if (c[i + 1] == '_') ++i;
    if (!is_lower_alnum(c[i + 1])) return false;
  }
  // "-" runs may not be followed by "." or "_": the loop above only checks the separators
  // themselves, which is as strict as the store needs (the name becomes a key, not a path).
  return true;
}

bool valid_tag(std::string_view tag) {
  if (tag.empty() || tag.size() > 128) return false;
  auto word = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; };
  if (!word(tag.front())) return false;
  for (char c : tag)
    if (!word(c) && c != '.' && c != '-') return false;
  return true;
}

// host[:port]; the port is digits.
bool valid_domain(std::string_view domain) {
  if (auto colon = domain.rfind(':');
      colon != std::string_view::npos && domain.find(']', colon) == std::string_view::npos) {
    std::string_view port = domain.substr(colon + 1);
    if (port.empty()) return false;
    for (char c : port)
      if (!std::isdigit(static_cast<unsigned char>(c))) return false;
    domain = domain.substr(0, colon);
  }
  if (domain.empty()) return false;
  for (char c : domain)
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '.' && c != '-' && c != ':' &&
        c != '[' && c != ']')
      return false;
  return true;
}

Error invalid(std::string_view name, const std::string& why) {
  return Error::msg("invalid image name '" + std::string(name) + "': " + why);
}

}  // namespace

std::string Reference::canonical() const {
  std::string out = repository();
  if (!tag.empty()) out += ":" + tag;
  if (!digest.empty()) out += "@" + digest;
  return out;
}

Result<Reference> parse_reference(std::string_view name) {
  if (name.empty()) return invalid(name, "empty");
  if (name.size() > 512) return invalid(name.substr(0, 64), "longer than 512 characters");
  Reference ref;
  std::string_view rest = name;
  if (auto at = rest.find('@'); at != std::string_view::npos) {
    ref.digest = std::string(rest.substr(at + 1));
    if (!is_sha256_digest(ref.digest)) return invalid(name, "digest is not sha256:<64 hex>");
    rest = rest.substr(0, at);
  }
  // The domain is the first component when it looks like a host: it has a "." or ":", or is
  // "localhost", or has upper case (docker's rule; such a component cannot be a path).
  if (auto slash = rest.find('/'); slash != std::string_view::npos) {
    std::string_view first = rest.substr(0, slash);
    bool host = first == "localhost" || first.find_first_of(".:") != std::string_view::npos;
    for (char c : first) host = host || std::isupper(static_cast<unsigned char>(c));
    if (host) {
      ref.domain = std::string(first);
      rest = rest.substr(slash + 1);
    }
  }
  if (ref.domain.empty() || ref.domain == "index.docker.io") ref.domain = kDockerHub;
  if (!valid_domain(ref.domain)) return invalid(name, "bad registry host '" + ref.domain + "'");
  // In what is left, a ":" can only separate the tag.
  if (auto colon = rest.rfind(':'); colon != std::string_view::npos) {
    ref.tag = std::string(rest.substr(colon + 1));
    if (!valid_tag(ref.tag)) return invalid(name, "bad tag '" + ref.tag + "'");
    rest = rest.substr(0, colon);
  }
  if (rest.empty()) return invalid(name, "no repository");
  size_t start = 0;
  for (;;) {
    size_t slash = rest.find('/', start);
    std::string_view component = rest.substr(start, slash - start);
    if (!valid_component(component)) {
      for (char c : component)
        if (std::isupper(static_cast<unsigned char>(c)))
          return invalid(name, "repository name must be lowercase");
      return invalid(name, "bad path component '" + std::string(component) + "'");
    }
    if (slash == std::string_view::npos) break;
    start = slash + 1;
  }
  ref.path = std::string(rest);
  if (ref.domain == kDockerHub && ref.path.find('/') == std::string::npos)
    ref.path = "library/" + ref.path;
  if (ref.tag.empty() && ref.digest.empty()) ref.tag = "latest";
  return ref;
}

Result<std::string> normalize_name(std::string_view name) {
  return BURROW_TRY(parse_reference(name)).canonical();
}

}  // namespace burrow::shim::image
