// config.json as `create` and `run` take it: spec::load_config (read, JSON syntax, types) then
// spec::validate_config, as root and rootless, against a bundle dir with an empty rootfs/.
#include <stdlib.h>
#include <sys/stat.h>

#include <cstdint>
#include <filesystem>

#include "input_file.hpp"
#include "spec/parse.hpp"
#include "spec/validate.hpp"

namespace {

struct Bundle {
  Bundle() {
    char name[] = "/tmp/burrow-fuzz-bundle.XXXXXX";
    if (::mkdtemp(name) == nullptr) std::abort();
    dir = name;
    if (::mkdir((dir + "/rootfs").c_str(), 0755) < 0) std::abort();
  }
  ~Bundle() {
    std::error_code ignored;
    std::filesystem::remove_all(dir, ignored);
  }
  std::string dir;
};

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  burrow::fuzz::quiet_logging();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static burrow::fuzz::InputFile input;
  static Bundle bundle;
  auto spec = burrow::spec::load_config(input.hold(data, size));
  if (!spec) return 0;
  (void)burrow::spec::validate_config(*spec, {bundle.dir, false});
  (void)burrow::spec::validate_config(*spec, {bundle.dir, true});
  return 0;
}
