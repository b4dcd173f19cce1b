#include <iostream>

#include "base/file.hpp"
#include "cli/run.hpp"
#include "report/compare.hpp"

namespace burrow::bench {

namespace {

Result<nlohmann::json> read_results(const std::string& path) {
  std::string text = BURROW_TRY(file::read(path));
  auto results = nlohmann::json::parse(text, nullptr, false);
  if (results.is_discarded()) return Error::msg(path + ": not JSON");
  return results;
}

}  // namespace

int compare_files(const std::string& old_path, const std::string& new_path) {
  auto old_results = read_results(old_path);
  auto new_results = old_results ? read_results(new_path) : Result<nlohmann::json>(Error::msg(""));
  auto comparison = new_results ? compare_results(*old_results, *new_results)
                                : Result<Comparison>(Error::msg(""));
  if (!comparison) {
    const Error& error = !old_results   ? old_results.error()
                         : !new_results ? new_results.error()
                                        : comparison.error();
    std::cerr << "burrow-bench: compare: " << error.message << "\n";
    return 1;
  }
  std::cout << render_comparison(*comparison);
  return comparison->regressions() > 0 ? 3 : 0;
}

}  // namespace burrow::bench
