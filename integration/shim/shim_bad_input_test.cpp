// Bad input to burrow-shim run: a clear error naming the file, key or option and the reason, a
// non-zero exit (2 for input, 241 for a missing image), and nothing left behind (TearDown).
#include "shim/shim_fixture.hpp"

namespace integration::shim {
namespace {

struct BadInput {
  std::string name;
  std::string yaml;  // written as <work>/.gitlab-ci.yml
  std::string job;
  std::vector<std::string> options;
  int exit_code;
  std::string message;  // in stderr; "{file}" is the .gitlab-ci.yml path
};

void PrintTo(const BadInput& bad, std::ostream* out) {
  *out << bad.name;
}

class ShimBadInput : public ShimTest, public ::testing::WithParamInterface<BadInput> {};

TEST_P(ShimBadInput, NamesTheProblemAndLeavesNothing) {
  const BadInput& bad = GetParam();
  write_ci(bad.yaml);
  CommandResult result = run_job(bad.job, bad.options);
  EXPECT_EQ(result.exit_code, bad.exit_code) << result.describe();
  std::string message = bad.message;
  if (auto at = message.find("{file}"); at != std::string::npos)
    message.replace(at, 6, work_ + "/.gitlab-ci.yml");
  if (auto at = message.find("{images}"); at != std::string::npos) message.replace(at, 8, images_);
  EXPECT_NE(result.err.find(message), std::string::npos) << "expected: " << message << "\n"
                                                         << result.describe();
}

const std::string kGood = "test:\n  image: burrow-test/busybox:1\n  script: [\"true\"]\n";

INSTANTIATE_TEST_SUITE_P(
    Shim, ShimBadInput,
    ::testing::Values(
        BadInput{"NoSuchJob",
                 kGood,
                 "deploy",
                 {},
                 2,
                 "burrow-shim: {file}: no job named 'deploy' (jobs: test)"},
        BadInput{"AliasNotAString",
                 "test:\n  image: burrow-test/busybox:1\n  services:\n    - name: x\n"
                 "      alias: [a]\n  script: [\"true\"]\n",
                 "test",
                 {},
                 2,
                 "burrow-shim: {file}: test.services[0].alias: expected a string, got a sequence"},
        BadInput{"ScriptMissing",
                 "test:\n  image: burrow-test/busybox:1\n",
                 "test",
                 {},
                 2,
                 "burrow-shim: {file}: test"},
        BadInput{"YamlSyntax", "test:\n  script: [\"a\"\n", "test", {}, 2, "burrow-shim: {file}:"},
        BadInput{"ImageMissing",
                 "test:\n  image: nope:1\n  script: [\"true\"]\n",
                 "test",
                 {},
                 241,
                 "image 'nope:1' not found in {images} (import it: burrow-shim image import FILE)"},
        BadInput{"ServiceImageMissing",
                 "test:\n  image: burrow-test/busybox:1\n  services: [\"gone:2\"]\n"
                 "  script: [\"true\"]\n",
                 "test",
                 {},
                 241,
                 "image 'gone:2' not found in {images} (import it: burrow-shim image import FILE)"},
        BadInput{"VolumeWithoutContainerPath",
                 kGood,
                 "test",
                 {"--volume", "/srv"},
                 2,
                 "burrow-shim: --volume /srv: no container path (HOST:CONTAINER[:ro|:rw])"},
        BadInput{"VolumeRelative",
                 kGood,
                 "test",
                 {"--volume", "srv:/srv"},
                 2,
                 "burrow-shim: --volume srv:/srv: the host path must be absolute"},
        BadInput{"WorkspaceMissing",
                 kGood,
                 "test",
                 {"--workspace", "/nonexistent/dir"},
                 2,
                 "burrow-shim: --workspace /nonexistent/dir: not a directory"},
        BadInput{"NetworkUnknown",
                 kGood,
                 "test",
                 {"--network", "bridge"},
                 2,
                 "burrow-shim: --network bridge: not one of pasta, slirp4netns, none"},
        BadInput{"TimeoutUnreadable",
                 kGood,
                 "test",
                 {"--timeout", "soon"},
                 2,
                 "burrow-shim: --timeout: "}),
    [](const auto& info) { return info.param.name; });

}  // namespace
}  // namespace integration::shim
