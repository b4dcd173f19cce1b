#include "base/error.hpp"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>

#include "base/fd.hpp"

namespace burrow {
namespace {

TEST(Error, FromErrnoIsWhatColonStrerror) {
  Error e = Error::from_errno("open /x", ENOENT);
  EXPECT_EQ(e.code, ENOENT);
  EXPECT_EQ(e.message, "open /x: No such file or directory");
}

TEST(Error, FromErrnoDefaultsToCurrentErrno) {
  errno = EACCES;
  Error e = Error::from_errno("mkdir /y");
  EXPECT_EQ(e.code, EACCES);
  EXPECT_EQ(e.message, std::string("mkdir /y: ") + std::strerror(EACCES));
}

TEST(Error, MsgHasNoErrnoUnlessGiven) {
  Error plain = Error::msg("bad config");
  EXPECT_EQ(plain.code, 0);
  EXPECT_EQ(plain.message, "bad config");
  Error coded = Error::msg("sync channel closed", EPIPE);
  EXPECT_EQ(coded.code, EPIPE);
  EXPECT_EQ(coded.message, "sync channel closed");
}

TEST(Error, WrapKeepsCodeAndPrefixesContext) {
  const Error inner = Error::from_errno("open x", ENOENT);
  Error outer = inner.wrap("load state");
  EXPECT_EQ(outer.code, ENOENT);
  EXPECT_EQ(outer.message, "load state: open x: No such file or directory");
  // The lvalue overload leaves the original alone.
  EXPECT_EQ(inner.message, "open x: No such file or directory");

  Error moved = Error::msg("inner", 7).wrap("a").wrap("b");
  EXPECT_EQ(moved.code, 7);
  EXPECT_EQ(moved.message, "b: a: inner");
}

TEST(Result, ValueAccess) {
  Result<int> r = 42;
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(static_cast<bool>(r));
  EXPECT_EQ(r.value(), 42);
  EXPECT_EQ(*r, 42);
  *r = 43;
  EXPECT_EQ(r.value(), 43);

  Result<std::string> s = std::string("abc");
  EXPECT_EQ(s->size(), 3u);
  std::string taken = std::move(s).value();
  EXPECT_EQ(taken, "abc");
}

TEST(Result, ErrorAccess) {
  Result<int> r = Error::msg("nope", EINVAL);
  ASSERT_FALSE(r.ok());
  EXPECT_FALSE(static_cast<bool>(r));
  EXPECT_EQ(r.error().code, EINVAL);
  EXPECT_EQ(r.error().message, "nope");
  Error taken = std::move(r).error();
  EXPECT_EQ(taken.message, "nope");
}

TEST(Result, StatusOkAndError) {
  Status ok;
  EXPECT_TRUE(ok.ok());
  Status bad = Error::from_errno("x", EPERM);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code, EPERM);
  EXPECT_EQ(bad.error().message, "x: Operation not permitted");
}

Result<int> number(bool good) {
  if (good) return 5;
  return Error::msg("no number", ERANGE);
}

int after_try_calls = 0;

Result<int> doubled(bool good) {
  int n = BURROW_TRY(number(good));
  ++after_try_calls;
  return n * 2;
}

Result<std::string> as_text(bool good) {
  int n = BURROW_TRY_CTX(number(good), "parse count");
  return std::to_string(n);
}

Status status_of(bool good) {
  BURROW_TRY(number(good));
  return {};
}

TEST(BurrowTry, YieldsValueOrReturnsError) {
  after_try_calls = 0;
  auto good = doubled(true);
  ASSERT_TRUE(good.ok());
  EXPECT_EQ(*good, 10);
  EXPECT_EQ(after_try_calls, 1);

  auto bad = doubled(false);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code, ERANGE);
  EXPECT_EQ(bad.error().message, "no number");
  EXPECT_EQ(after_try_calls, 1);  // returned before the rest of the function
}

TEST(BurrowTry, ReturnsIntoResultOfAnotherType) {
  EXPECT_TRUE(status_of(true).ok());
  Status st = status_of(false);
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().message, "no number");
}

Result<Fd> open_null(bool good) {
  if (!good) return Error::msg("no fd", EBADF);
  return Fd(::open("/dev/null", O_RDONLY | O_CLOEXEC));
}

Result<int> fd_number(bool good, Fd* keep) {
  Fd fd = BURROW_TRY(open_null(good));
  int n = fd.get();
  *keep = std::move(fd);
  return n;
}

TEST(BurrowTry, WorksWithMoveOnlyType) {
  Fd keep;
  auto good = fd_number(true, &keep);
  ASSERT_TRUE(good.ok()) << good.error().message;
  EXPECT_GE(*good, 0);
  EXPECT_EQ(keep.get(), *good);
  EXPECT_GE(::fcntl(keep.get(), F_GETFD), 0);

  Fd none;
  auto bad = fd_number(false, &none);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code, EBADF);
  EXPECT_FALSE(none.valid());
}

TEST(BurrowTryCtx, PrefixesContextOnError) {
  auto good = as_text(true);
  ASSERT_TRUE(good.ok());
  EXPECT_EQ(*good, "5");
  auto bad = as_text(false);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code, ERANGE);
  EXPECT_EQ(bad.error().message, "parse count: no number");
}

TEST(Fd, ClosesOnDestructionAndMoves) {
  int raw = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
  ASSERT_GE(raw, 0);
  {
    Fd a(raw);
    Fd b(std::move(a));
    EXPECT_FALSE(a.valid());
    EXPECT_EQ(b.get(), raw);
  }
  errno = 0;
  EXPECT_EQ(::fcntl(raw, F_GETFD), -1);
  EXPECT_EQ(errno, EBADF);
}

}  // namespace
}  // namespace burrow
