// burrow-shim run --job-payload FILE: job::read_job_payload of GitLab Runner's job JSON.
#include <cstdint>

#include "input_file.hpp"
#include "job/payload.hpp"

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  burrow::fuzz::quiet_logging();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static burrow::fuzz::InputFile input;
  (void)burrow::shim::job::read_job_payload(input.hold(data, size), {});
  return 0;
}
