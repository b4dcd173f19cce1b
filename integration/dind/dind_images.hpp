// The docker:dind and docker:cli archives of scripts/make-dind-image, for the tests that use
// them (label dind): built (or taken from the script's content cache) once per test process.
#pragma once

#include <string>

namespace integration::dind {

struct Images {
  std::string dind, cli;  // the archives
  std::string skip;       // why they cannot be built here (the script's exit 3)
  std::string error;      // a build that failed
};

// Both archives under `dir`, made at once; the result is kept for the rest of the process.
const Images& dind_images(const std::string& dir);

}  // namespace integration::dind
