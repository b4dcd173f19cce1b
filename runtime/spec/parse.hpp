// config.json -> Spec. Parsing checks JSON types and resolves names the model stores as numbers
// (rlimits); it does not judge whether the values make sense together (validate.hpp does).
// Unknown members are ignored (logged at debug level), as the runtime-spec requires. Known but
// unimplemented fields are listed in Spec::unsupported for validate to refuse.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "base/error.hpp"
#include "spec/model.hpp"

namespace burrow::spec {

// Errors are "<json path>: <reason>", e.g.
// "process.user.uid: expected unsigned 32-bit integer, got string".
Result<Spec> parse_config(const nlohmann::json& document);

// Reads and parses the file. Errors are prefixed with the file's basename:
// "config.json: process.rlimits[2].type: unknown rlimit \"RLIMIT_FOO\"", and JSON syntax errors
// read "config.json: invalid JSON: parse error at line 3, column 7: <what the parser says>".
Result<Spec> load_config(const std::string& path);

// An OCI process object alone (`exec --process FILE`). Member paths are relative to it
// ("user.uid: expected unsigned 32-bit integer, got string"); known, unimplemented members are
// added to `unsupported`.
Result<Process> parse_process_document(const nlohmann::json& document,
                                       std::vector<std::string>& unsupported);
// Reads and parses the file; errors are prefixed with its basename, as load_config's.
Result<Process> load_process(const std::string& path, std::vector<std::string>& unsupported);
// A linux.resources object on its own (`burrow update --resources`); errors name
// "linux.resources.<field>".
Result<Resources> parse_resources(const nlohmann::json& document);

}  // namespace burrow::spec
