#include "shim/shim_fixture.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "harness/environment.hpp"
#include "harness/leftovers.hpp"

namespace integration::shim {

std::string ShimTest::images_;

namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

// Where the test images and the shared store live: build/integration/shim-test as root; for the
// rootless tier (run as the test user, who cannot write the build dir) the dir as-test-user
// gives it beside the binary.
std::string test_dir() {
  if (running_as_root()) return SHIM_TEST_DIR;
  return fs::read_symlink("/proc/self/exe").parent_path().string() + "/rootless-work/shim-test";
}

struct ImageRecipe {
  std::string name;
  std::string file;
  std::vector<std::string> options;
};

// Builds the test image archives once per build dir (a stamp names the rootfs they came from)
// and imports them into the shared store (importing what is there already changes nothing).
std::string prepare_images(std::string* why_not) {
  const std::string kBuildDir = test_dir();
  std::string rootfs = shared_rootfs(why_not);
  if (rootfs.empty()) return "";
  fs::create_directories(kBuildDir);
  int lock = ::open((kBuildDir + "/lock").c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (lock < 0 || ::flock(lock, LOCK_EX) < 0) {
    *why_not = "cannot lock " + kBuildDir + "/lock";
    return "";
  }
  std::vector<ImageRecipe> recipes = {
      {kBusybox, "busybox.tar", {}},
      {kWeb,
       "web.tar",
       {"--cmd",
        R"(["sh","-c","mkdir -p /www && echo hello-from-web >/www/index.html && exec httpd -f -p 80 -h /www"])",
        "--expose", "80/tcp"}},
      {kSilent,
       "silent.tar",
       {"--cmd", R"(["sh","-c","echo silent-started; exec sleep 1000"])", "--expose", "81/tcp"}},
  };
  std::string stamp = kBuildDir + "/images.stamp";
  std::string want = rootfs + "\n";
  std::string images = kBuildDir + "/store";
  std::string scratch = kBuildDir + "/tmp";
  fs::create_directories(scratch);
  std::ifstream stamp_in(stamp);
  std::string have((std::istreambuf_iterator<char>(stamp_in)), std::istreambuf_iterator<char>());
  if (have != want) {
    for (const auto& recipe : recipes) {
      std::vector<std::string> argv = {BURROW_SOURCE_DIR "/scripts/make-image-archive", rootfs,
                                       recipe.name, kBuildDir + "/" + recipe.file};
      argv.insert(argv.end(), recipe.options.begin(), recipe.options.end());
      CommandResult made = run_command(argv, scratch, 120s);
      if (made.exit_code != 0) {
        *why_not = "make-image-archive " + recipe.name + ": " + made.describe();
        ::close(lock);
        return "";
      }
    }
    std::ofstream(stamp) << want;
  }
  for (const auto& recipe : recipes) {
    CommandResult imported = run_command(
        {SHIM_BINARY, "image", "import", "--images", images, kBuildDir + "/" + recipe.file},
        scratch, 120s);
    if (imported.exit_code != 0) {
      *why_not = "burrow-shim image import " + recipe.file + ": " + imported.describe();
      ::close(lock);
      return "";
    }
  }
  ::close(lock);
  return images;
}

}  // namespace

std::string ShimTest::shim_binary() const {
  return SHIM_BINARY;
}

std::vector<std::string> ShimTest::as_job_owner(std::vector<std::string> argv) const {
  if (!rootless_) return argv;
  argv.insert(argv.begin(), {"unshare", "--map-root-user", "--map-auto"});
  return argv;
}

void ShimTest::SetUp() {
  if (const char* skip = std::getenv("BURROW_ROOTLESS_SKIP")) GTEST_SKIP() << skip;
  rootless_ = !running_as_root();
  if (rootless_ && ::access("/usr/bin/newuidmap", X_OK) != 0)
    GTEST_SKIP() << "rootless jobs need newuidmap (apt-get install uidmap)";
  if (!runtime_is_burrow()) GTEST_SKIP() << "burrow-shim drives burrow";
  if (::access("/usr/bin/tini-static", X_OK) != 0)
    GTEST_SKIP() << "no /usr/bin/tini-static (apt-get install tini)";
  std::string why_not;
  if (images_.empty()) images_ = prepare_images(&why_not);
  ASSERT_FALSE(images_.empty()) << why_not;
  work_ = make_temp_dir("burrow-shim-it");
  ::chmod(work_.c_str(), 0755);
  scratch_ = work_ + "/scratch";
  marker_ = "shim-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name();
  // <pid><3 digits>: a job of this test has CI_JOB_ID job_id_ (+ a 3-digit suffix replacing
  // the last three, see run_argv), so its cgroups are told from other test processes' jobs.
  job_id_ = std::to_string(::getpid());
}

void ShimTest::TearDown() {
  if (work_.empty()) return;
  std::string left = leftovers();
  EXPECT_EQ(left, "") << "the job left this behind";
  if (!left.empty()) {
    // Leave the host clean for the next test anyway.
    run_command({shim_binary(), "cleanup", "--scratch", scratch_}, work_, 60s);
  }
  detach_mounts_under({work_});
  fs::remove_all(work_);
}

void ShimTest::write_ci(const std::string& yaml) {
  write_text(work_ + "/.gitlab-ci.yml", yaml);
}

std::vector<std::string> ShimTest::run_argv(const std::string& job,
                                            const std::vector<std::string>& extra,
                                            const std::string& job_suffix) const {
  std::vector<std::string> argv = {shim_binary(),
                                   "run",
                                   "--gitlab-ci",
                                   work_ + "/.gitlab-ci.yml",
                                   job,
                                   "--images",
                                   images_,
                                   "--scratch",
                                   scratch_,
                                   "--log",
                                   work_ + "/job.log",
                                   "--summary",
                                   work_ + "/summary.json",
                                   "--job-id",
                                   job_id_ + (job_suffix.empty() ? "000" : job_suffix)};
  // No network helper unless a test asks for one: the tests talk inside the pod.
  if (std::find(extra.begin(), extra.end(), "--network") == extra.end())
    argv.insert(argv.end(), {"--network", "none"});
  argv.insert(argv.end(), extra.begin(), extra.end());
  return argv;
}

CommandResult ShimTest::run_job(const std::string& job, const std::vector<std::string>& extra,
                                std::chrono::milliseconds timeout) {
  return run_command(run_argv(job, extra), work_, timeout);
}

std::unique_ptr<Command> ShimTest::start_job(const std::string& job,
                                             const std::vector<std::string>& extra,
                                             const std::string& name) {
  return std::make_unique<Command>(run_argv(job, extra), work_ + "/" + name + ".out",
                                   work_ + "/" + name + ".err");
}

nlohmann::json ShimTest::summary() const {
  return nlohmann::json::parse(read_text(work_ + "/summary.json"), nullptr, false);
}

std::string ShimTest::log_stream(const std::string& stream) const {
  std::ifstream log(work_ + "/job.log");
  std::string out;
  for (std::string line; std::getline(log, line);) {
    auto record = nlohmann::json::parse(line, nullptr, false);
    if (!record.is_object() || record.value("stream", "") != stream) continue;
    if (record.contains("bytes")) {
      ADD_FAILURE() << "binary record in a text test";
      continue;
    }
    out += record.value("text", "");
  }
  return out;
}

std::string ShimTest::leftovers() const {
  std::ostringstream left;
  for (int attempt = 0; attempt < 50; ++attempt) {
    left.str("");
    std::error_code ec;
    if (fs::exists(scratch_, ec)) {
      for (const auto& entry : fs::directory_iterator(scratch_, ec)) {
        if (entry.path().filename() != ".id-slots") left << "job dir " << entry.path() << "\n";
      }
    }
    for (const auto& mount : mounts_under({work_})) left << "mount " << mount << "\n";
    for (int pid : processes_with_marker(marker_)) left << "process " << pid << "\n";
    // The parent dir stays (as docker's /docker does); no cgroup of this test's containers.
    for (const auto& cgroup : cgroups_named("burrow-shim")) {
      for (const auto& child : fs::directory_iterator(cgroup, ec)) {
        std::string name = child.path().filename().string();
        std::string prefix = "burrow-shim-" + job_id_;
        bool ours = name.rfind(prefix, 0) == 0 && name.size() > prefix.size() + 4 &&
                    std::isdigit(static_cast<unsigned char>(name[prefix.size()])) &&
                    name[prefix.size() + 3] == '-';
        if (child.is_directory() && ours) left << "cgroup " << child.path() << "\n";
      }
    }
    if (left.str().empty()) return "";
    std::this_thread::sleep_for(100ms);
  }
  return left.str();
}

}  // namespace integration::shim
