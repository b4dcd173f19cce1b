// Image names, normalised as docker does, so that `busybox`, `busybox:latest` and
// `docker.io/library/busybox:latest` name the same image in the store.
#pragma once

#include <string>
#include <string_view>

#include "base/error.hpp"

namespace burrow::shim::image {

struct Reference {
  std::string domain;  // "docker.io", "registry.example.com:5000", "localhost"
  std::string path;    // "library/busybox", "group/project/app"
  std::string tag;     // "latest" when neither tag nor digest was given
  std::string digest;  // "sha256:..." for NAME@DIGEST, else ""

  // "docker.io/library/busybox"
  std::string repository() const { return domain + "/" + path; }
  // The store's key: "docker.io/library/busybox:latest" (or "...@sha256:..." with a digest).
  std::string canonical() const;
};

// Parses NAME[:TAG][@DIGEST] with docker's defaults (domain docker.io, "library/" for its
// one-component names, tag latest). Refuses what docker refuses (upper case in the repository,
// empty components, bad tags), naming the input.
Result<Reference> parse_reference(std::string_view name);

// parse_reference(name)->canonical().
Result<std::string> normalize_name(std::string_view name);

}  // namespace burrow::shim::image
