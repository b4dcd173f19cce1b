// burrow spec: write a starting config.json into the bundle, never over an existing one.
#include <fcntl.h>
#include <unistd.h>

#include "base/file.hpp"
#include "container/operations.hpp"
#include "spec/default_spec.hpp"

namespace burrow::container {

Status write_spec(const SpecOptions& options) {
  std::string bundle = options.bundle.empty() ? "." : options.bundle;
  std::string path = bundle + "/config.json";
  if (::access(path.c_str(), F_OK) == 0)
    return Error::msg("File " + path + " exists. Remove it first");
  nlohmann::json config = spec::default_config(options.rootless, ::getuid(), ::getgid());
  return file::write_atomic(path, config.dump(1, '\t') + "\n", 0644);
}

}  // namespace burrow::container
