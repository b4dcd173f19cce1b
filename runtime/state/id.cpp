#include "state/id.hpp"

namespace burrow::state {
namespace {

// runc's character class [\w+-\.]: \w plus the range '+'..'.' (which is "+,-.").
bool allowed_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
         c == '+' || c == ',' || c == '-' || c == '.';
}

}  // namespace

Status validate_id(const std::string& id) {
  if (id.empty()) return Error::msg(kInvalidIdText);
  for (char c : id) {
    if (!allowed_char(c)) return Error::msg(kInvalidIdText);
  }
  // Without '/', cleaning "/" + id changes it only for "." and "..".
  if (id == "." || id == "..") return Error::msg(kInvalidIdText);
  return {};
}

}  // namespace burrow::state
