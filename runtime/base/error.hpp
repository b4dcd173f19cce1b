// Error and Result<T>: the one way failures travel through burrow, including across the fork
// boundary (process/ serializes an Error into a sync message). GCC 12 in C++20 mode has no
// std::expected, so this is a small variant-based stand-in.
#pragma once

#include <cerrno>
#include <optional>
#include <string>
#include <utility>
#include <variant>

namespace burrow {

struct Error {
  int code = 0;         // errno value, or 0 when the failure is not a syscall's
  std::string message;  // full text; already includes strerror(code) when code != 0

  // "what: strerror(err)"; err defaults to the current errno.
  static Error from_errno(const std::string& what, int err = errno);
  // A plain message with no errno (validation, protocol errors).
  static Error msg(std::string text, int code = 0);

  // "context: message" — keeps code.
  Error wrap(const std::string& context) const&;
  Error wrap(const std::string& context) &&;
};

template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::in_place_index<0>, std::move(value)) {}  // NOLINT: implicit by design
  Result(Error error) : v_(std::in_place_index<1>, std::move(error)) {}  // NOLINT

  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }

  T& value() & { return std::get<0>(v_); }
  const T& value() const& { return std::get<0>(v_); }
  T&& value() && { return std::get<0>(std::move(v_)); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

  const Error& error() const& { return std::get<1>(v_); }
  Error&& error() && { return std::get<1>(std::move(v_)); }

 private:
  std::variant<T, Error> v_;
};

template <>
class [[nodiscard]] Result<void> {
 public:
  Result() = default;
  Result(Error error) : error_(std::move(error)) {}  // NOLINT

  bool ok() const { return !error_.has_value(); }
  explicit operator bool() const { return ok(); }
  void value() const {}

  const Error& error() const& { return *error_; }
  Error&& error() && { return std::move(*error_); }

 private:
  std::optional<Error> error_;
};

using Status = Result<void>;

}  // namespace burrow

// Evaluate a Result<T>; on error return the Error from the enclosing function (which must return
// a Result of any type), else yield the value. GNU statement expression (GCC/Clang).
#define BURROW_TRY(expr)                                         \
  ({                                                             \
    auto&& burrow_try_result_ = (expr);                          \
    if (!burrow_try_result_) return std::move(burrow_try_result_).error(); \
    std::move(burrow_try_result_).value();                       \
  })

// Like BURROW_TRY, but prefixes the error with a context string on the way out.
#define BURROW_TRY_CTX(expr, context)                                                      \
  ({                                                                                       \
    auto&& burrow_try_result_ = (expr);                                                    \
    if (!burrow_try_result_) return std::move(burrow_try_result_).error().wrap(context);  \
    std::move(burrow_try_result_).value();                                                 \
  })
