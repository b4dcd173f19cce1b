#include "run/images.hpp"

namespace burrow::shim::run {

Result<PreparedImages> PreparedImages::prepare(const std::string& images_dir,
                                               const std::vector<std::string>& names,
                                               const image::IdShift& shift) {
  PreparedImages prepared(BURROW_TRY(image::Store::open(images_dir)));
  const image::Store& store = prepared.store_;
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

Result<std::vector<std::string>> PreparedImages::layers_for(const std::string& name,
                                                            const image::IdShift& shift) const {
  return BURROW_TRY_CTX(image::unpack_layers(store_, images_.at(name).image, shift),
                        "image '" + name + "'");
}

}  // namespace burrow::shim::run
