// runc's `update` flags -> the linux.resources they stand for (runc's parsing and wording).
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "base/error.hpp"
#include "spec/model.hpp"

namespace burrow::container {

// docker/go-units RAMInBytes, which runc uses for the memory flags: "512m", "1.5GiB", "100"
// (binary multiples; the suffix case-insensitive). "-1" means unlimited.
Result<int64_t> parse_memory_size(const std::string& flag, const std::string& text);

// (flag name, text) pairs as given -> resources. The kernel-memory and Intel RDT flags are
// refused.
Result<spec::Resources> resources_from_flags(
    const std::vector<std::pair<std::string, std::string>>& fields);

}  // namespace burrow::container
