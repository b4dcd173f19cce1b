// The parser's sections, shared between parse.cpp (top level, process, mounts, hooks) and
// parse_linux.cpp (the linux object). Internal to spec/.
#pragma once

#include <string>
#include <vector>

#include "spec/json_reader.hpp"
#include "spec/model.hpp"

namespace burrow::spec::parse_parts {

using json_reader::Json;

Result<IdMapping> parse_id_mapping(const Json& value, const std::string& path);
// `unsupported` collects paths of known, unimplemented members of the linux object.
Result<Linux> parse_linux(const Json& value, const std::string& path,
                          std::vector<std::string>& unsupported);
Result<Resources> parse_resources(const Json& value, const std::string& path);
Result<Seccomp> parse_seccomp(const Json& value, const std::string& path);

}  // namespace burrow::spec::parse_parts
