// The images of a job (its own and its services'), resolved in the local store and unpacked
// once for the pod's id range before anything else is made: a missing image fails the job
// before any container exists.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "base/error.hpp"
#include "image/image.hpp"
#include "image/layers.hpp"

namespace burrow::shim::run {

struct PreparedImage {
  image::Image image;
  std::vector<std::string> layers;  // lowerdirs, bottom first, unpacked for the prepare() shift
};

class PreparedImages {
 public:
  // Resolves and unpacks each of `names` (duplicates once) in the store at `images_dir`.
  static Result<PreparedImages> prepare(const std::string& images_dir,
                                        const std::vector<std::string>& names,
                                        const image::IdShift& shift);
  const PreparedImage& at(const std::string& name) const { return images_.at(name); }
  // The layers of `name` unpacked for another id shift (once; cached in the store).
  Result<std::vector<std::string>> layers_for(const std::string& name,
                                              const image::IdShift& shift) const;

 private:
  explicit PreparedImages(image::Store store) : store_(std::move(store)) {}
  image::Store store_;
  std::map<std::string, PreparedImage> images_;
};

}  // namespace burrow::shim::run
