// burrow-shim's .gitlab-ci.yml reader: job::read_gitlab_ci of the file for the first jobs
// job::list_jobs finds in it (or "build" when it finds none).
#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

#include "input_file.hpp"
#include "job/gitlab_ci.hpp"

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  burrow::fuzz::quiet_logging();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static burrow::fuzz::InputFile input;
  const std::string& path = input.hold(data, size);
  std::string text(reinterpret_cast<const char*>(data), size);
  auto jobs = burrow::shim::job::list_jobs(text, ".gitlab-ci.yml");
  std::vector<std::string> names = {"build"};
  if (jobs && !jobs->empty())
    names.assign(jobs->begin(), jobs->begin() + std::min<size_t>(3, jobs->size()));
  for (const auto& name : names) (void)burrow::shim::job::read_gitlab_ci(path, name, {});
  return 0;
}
