#include "base/error.hpp"

#include <cstring>

namespace burrow {

Error Error::from_errno(const std::string& what, int err) {
  return Error{err, what + ": " + std::strerror(err)};
}

Error Error::msg(std::string text, int code) { return Error{code, std::move(text)}; }

Error Error::wrap(const std::string& context) const& {
  return Error{code, context + ": " + message};
}

Error Error::wrap(const std::string& context) && {
  message = context + ": " + message;
  return std::move(*this);
}

}  // namespace burrow
