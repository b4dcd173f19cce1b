#include "cli/gitlab.hpp"

#include <unistd.h>

#include <boost/program_options.hpp>
#include <cstdio>
#include <filesystem>
#include <iostream>

#include "cli/pod_options.hpp"
#include "gitlab/commands.hpp"

namespace po = boost::program_options;

namespace burrow::shim::cli {
namespace {

const char* kGitlabUsage =
    "usage: burrow-shim gitlab <stage> [options] [operands]\n"
    "\n"
    "GitLab Runner's custom executor driver (config.toml: executor = \"custom\"):\n"
    "  config              print the driver's configuration JSON (config_exec)\n"
    "  prepare             make the job's pod and wait for its services (prepare_exec)\n"
    "  run SCRIPT STAGE    run the runner's SCRIPT for STAGE in the pod (run_exec)\n"
    "  cleanup             remove the job's pod (cleanup_exec)\n";

}  // namespace

int gitlab_command(const std::vector<std::string>& args, const std::string& version) {
  gitlab::Environment env = gitlab::current_environment();
  gitlab::ExitCodes codes = gitlab::exit_codes(env);
  // Every failure of the driver itself is a system failure for the runner, usage errors too.
  auto fail = [&](const std::string& message) {
    std::fprintf(stderr, "ERROR: burrow-shim gitlab: %s\n", message.c_str());
    return codes.system_failure;
  };
  if (args.empty()) return fail(std::string("which stage?\n") + kGitlabUsage);
  const std::string& stage = args[0];
  if (stage != "config" && stage != "prepare" && stage != "run" && stage != "cleanup")
    return fail("unknown stage '" + stage + "'\n" + kGitlabUsage);
  po::options_description options("gitlab " + stage + " options");
  std::vector<std::string> operands;
  // clang-format off
  options.add_options()
      ("builds-dir", po::value<std::string>()->default_value("/builds"),
       "the runner's builds_dir inside the pod (the job's workspace)")
      ("cache-dir", po::value<std::string>()->default_value("/cache"),
       "the runner's cache_dir inside the pod")
      ("host-cache", po::value<std::string>()->default_value(""),
       "a host dir bound at --cache-dir, kept across jobs (default: one per job)")
      ("helper-image", po::value<std::string>()->default_value(""),
       "the image of the helper container (get_sources, caches, artifacts; default: the job's)")
      ("stop-patience", po::value<unsigned>()->default_value(60),
       "cleanup: seconds the pod's teardown may take before it is killed")
      ("help,h", "this help")
      ("operand", po::value(&operands)->composing(), "");
  // clang-format on
  add_pod_options(options);
  po::positional_options_description positional;
  positional.add("operand", -1);
  po::variables_map values;
  try {
    std::vector<std::string> rest(args.begin() + 1, args.end());
    po::store(po::command_line_parser(rest).options(options).positional(positional).run(), values);
    if (values.count("help")) {
      std::cout << kGitlabUsage << "\n" << options << "\n";
      return 0;
    }
    po::notify(values);
  } catch (const po::error& error) {
    return fail(stage + ": " + error.what());
  }
  size_t want = stage == "run" ? 2 : 0;
  if (operands.size() != want)
    return fail(stage + (want ? ": takes SCRIPT STAGE" : ": takes no operands"));
  gitlab::DriverOptions driver;
  if (auto bad = read_pod_options(values, driver.pod)) return fail(*bad);
  driver.builds_dir = values["builds-dir"].as<std::string>();
  driver.cache_dir = values["cache-dir"].as<std::string>();
  driver.host_cache = values["host-cache"].as<std::string>();
  driver.helper_image = values["helper-image"].as<std::string>();
  driver.stop_patience = std::chrono::seconds(values["stop-patience"].as<unsigned>());
  for (const auto* dir : {&driver.builds_dir, &driver.cache_dir}) {
    if (dir->empty() || dir->front() != '/' || *dir == "/")
      return fail("--builds-dir/--cache-dir " + *dir + ": an absolute path below /");
  }
  if (!driver.host_cache.empty() && !std::filesystem::is_directory(driver.host_cache))
    return fail("--host-cache " + driver.host_cache + ": not a directory");
  // The pod holder runs from / (it outlives the runner's temp dir, prepare's cwd).
  for (auto* path : {&driver.pod.images_dir, &driver.pod.scratch_root, &driver.host_cache}) {
    if (!path->empty()) *path = std::filesystem::absolute(*path).lexically_normal().string();
  }
  if (stage == "config") return gitlab::config_command(env, driver, version);
  if (::geteuid() != 0)
    return fail(stage +
                ": the custom executor driver runs as root (rootless jobs: burrow-shim run)");
  if (stage == "prepare") return gitlab::prepare_command(env, driver);
  if (stage == "run") return gitlab::run_command(env, driver, operands[0], operands[1]);
  return gitlab::cleanup_command(env, driver);
}

}  // namespace burrow::shim::cli
