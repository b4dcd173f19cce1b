#include "run/images.hpp"

namespace burrow::shim::run {

Result<PreparedImages> PreparedImages::prepare(const std::string& images_dir,
                                               const std::vector<std::string>& names,
                                               const image::IdShift& shift) {
  image::Store store = BURROW_TRY(image::Store::open(images_dir));
  PreparedImages prepared;
  for (const auto& name : names) {
    if (prepared.images_.count(name)) continue;
    PreparedImage entry;
    entry.image = BURROW_TRY(image::resolve(store, name));
    entry.layers =
        BURROW_TRY_CTX(image::unpack_layers(store, entry.image, shift), "image '" + name + "'");
    prepared.images_.emplace(name, std::move(entry));
  }
  return prepared;
}

}  // namespace burrow::shim::run
