// Pure rendering: quoting, notices, the outer shape.
#include "script/render.hpp"

#include <gtest/gtest.h>

namespace burrow::shim::script {
namespace {

TEST(Quote, PlainTextIsWrappedInSingleQuotes) {
  EXPECT_EQ(quote("echo hi"), "'echo hi'");
}

TEST(Quote, SingleQuoteIsClosedEscapedReopened) {
  EXPECT_EQ(quote("it's"), R"('it'\''s')");
  EXPECT_EQ(quote("'"), R"(''\''')");
}

TEST(Quote, EverythingElseIsLiteral) {
  EXPECT_EQ(quote("$HOME \\ \" `x` \n"), "'$HOME \\ \" `x` \n'");
  EXPECT_EQ(quote(""), "''");
}

TEST(NoticeText, OneLineCommand) {
  EXPECT_EQ(notice_text("make test"), "$ make test");
}

TEST(NoticeText, MultiLineCommandShowsFirstLineAndMarker) {
  EXPECT_EQ(notice_text("if true; then\n  echo yes\nfi"),
            "$ if true; then # collapsed multi-line command");
}

TEST(Render, PosixShellProbesPipefail) {
  const auto text = render_job_script({}, {"true"}, {});
  EXPECT_EQ(text.rfind("(set -o pipefail) 2>/dev/null && set -o pipefail\nset -o errexit\n", 0), 0u)
      << text;
  EXPECT_NE(text.find(": | { eval '"), std::string::npos);
  EXPECT_NE(text.find("'; }\nexit 0\n"), std::string::npos);
  EXPECT_EQ(text.substr(text.size() - 7), "exit 0\n");
}

TEST(Render, BashSetsPipefailOutright) {
  const auto text = render_job_script({}, {"true"}, {.shell = Shell::kBash});
  EXPECT_EQ(text.rfind("set -o pipefail\nset -o errexit\n", 0), 0u) << text;
}

TEST(Render, CommandsAreTrimmed) {
  const auto text = render_job_script({}, {"  echo hi \n"}, {});
  EXPECT_NE(text.find("\necho hi\n"), std::string::npos) << text;
  EXPECT_EQ(text.find("  echo hi"), std::string::npos) << text;
}

TEST(Render, TraceTurnsOnXtraceInsideTheEval) {
  const auto text = render_job_script({}, {"true"}, {.trace = true});
  EXPECT_NE(text.find("eval 'set -o xtrace\n"), std::string::npos) << text;
  EXPECT_EQ(render_job_script({}, {"true"}, {}).find("xtrace"), std::string::npos);
}

TEST(Render, BeforeScriptComesFirst) {
  const auto text = render_job_script({"echo one"}, {"echo two"}, {});
  EXPECT_LT(text.find("\necho one\n"), text.find("\necho two\n"));
}

}  // namespace
}  // namespace burrow::shim::script
