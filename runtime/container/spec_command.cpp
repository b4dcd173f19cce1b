// burrow spec: write a starting config.json into the bundle, never over an existing one.
#include <fcntl.h>
#include <unistd.h>

#include "base/file.hpp"
#include "container/operations.hpp"
#include "spec/default_spec.hpp"
#include "spec/profiles.hpp"

namespace burrow::container {

Status write_spec(const SpecOptions& options) {
  std::string bundle = options.bundle.empty() ? "." : options.bundle;
  std::string path = bundle + "/config.json";
  nlohmann::json config = spec::default_config(options.rootless, ::getuid(), ::getgid());
  if (!options.profile.empty()) {
    // The profiles assume root's shape (network namespace, device rules, id maps of their own).
    if (options.rootless) return Error::msg("--profile cannot be combined with --rootless yet");
    config = BURROW_TRY(spec::apply_profile(std::move(config), options.profile));
  }
  // runc's words for a bundle that is not there (not the temp file write_atomic would name).
  if (::access(bundle.c_str(), F_OK) != 0) return Error::from_errno("chdir " + bundle);
  if (::access(path.c_str(), F_OK) == 0)
    return Error::msg("File " + path + " exists. Remove it first");
  return file::write_atomic(path, config.dump(1, '\t') + "\n", 0644);
}

}  // namespace burrow::container
