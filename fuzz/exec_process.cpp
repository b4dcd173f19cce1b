// `exec --process FILE`: spec::load_process then spec::validate_process with relative paths, in
// a container made from `burrow spec`'s default config (what container/exec_spec.cpp does).
#include <cstdint>

#include "input_file.hpp"
#include "spec/default_spec.hpp"
#include "spec/parse.hpp"
#include "spec/validate.hpp"

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  burrow::fuzz::quiet_logging();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static burrow::fuzz::InputFile input;
  static const burrow::spec::Spec container = [] {
    auto parsed = burrow::spec::parse_config(burrow::spec::default_config(false, 0, 0));
    if (!parsed) std::abort();
    return *parsed;
  }();
  burrow::spec::Spec checked = container;
  checked.unsupported.clear();
  auto process = burrow::spec::load_process(input.hold(data, size), checked.unsupported);
  if (!process) return 0;
  checked.process = *process;
  (void)burrow::spec::validate_process(checked, true);
  return 0;
}
