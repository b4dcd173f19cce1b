// burrow-shim: runs one GitLab CI job as a pod on the burrow runtime (README: burrow-shim).
//
//   burrow-shim run --gitlab-ci FILE JOB [options]
//   burrow-shim run --job-payload FILE [options]
//   burrow-shim jobs --gitlab-ci FILE
//   burrow-shim image import FILE... | image list [--format table|json] | image add-rootfs NAME DIR
//   burrow-shim cleanup
//
// The only place that knows about argv; exit 2 for a usage error or bad input (no summary is
// written then), otherwise what the job's outcome says (outcome/exit_codes.hpp).
#include <signal.h>
#include <unistd.h>

#include <boost/program_options.hpp>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <iostream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "base/file.hpp"
#include "cli/gitlab.hpp"
#include "cli/paths.hpp"
#include "cli/pod_options.hpp"
#include "image/image.hpp"
#include "image/import.hpp"
#include "image/store.hpp"
#include "job/duration.hpp"
#include "job/gitlab_ci.hpp"
#include "job/payload.hpp"
#include "outcome/exit_codes.hpp"
#include "run/cleanup.hpp"
#include "run/job_runner.hpp"
#include "run/user_namespace.hpp"

namespace po = boost::program_options;

namespace burrow::shim::cli {
namespace {

constexpr int kUsage = static_cast<int>(outcome::ExitCode::kUsage);

const char* kUsageText =
    "usage: burrow-shim <command> [options]\n"
    "\n"
    "commands:\n"
    "  run --gitlab-ci FILE JOB   run one job of a .gitlab-ci.yml as a pod\n"
    "  run --job-payload FILE     run the job of a GitLab Runner job payload (JSON) as a pod\n"
    "  jobs --gitlab-ci FILE      list the jobs of a .gitlab-ci.yml\n"
    "  image import FILE...       import `docker save` or OCI layout archives into the store\n"
    "  image list                 list the store's images (--format json: with their config)\n"
    "  image add-rootfs NAME DIR  register a root filesystem directory as image NAME\n"
    "  cleanup                    remove what killed shims left behind\n"
    "  gitlab config|prepare|run SCRIPT STAGE|cleanup\n"
    "                             GitLab Runner's custom executor driver\n"
    "\n"
    "`burrow-shim <command> --help` lists a command's options.\n";

int usage_error(const std::string& message) {
  std::fprintf(stderr, "burrow-shim: %s\n", message.c_str());
  return kUsage;
}

int failure(const Error& error, int code) {
  std::fprintf(stderr, "burrow-shim: %s\n", error.message.c_str());
  return code;
}

// Parses `args` with `options` (and `positional`); prints help and returns 0 for --help.
std::optional<int> parse(const std::vector<std::string>& args, const std::string& command,
                         po::options_description& options,
                         const po::positional_options_description& positional,
                         po::variables_map& values) {
  options.add_options()("help,h", "this help");
  try {
    po::store(po::command_line_parser(args).options(options).positional(positional).run(), values);
    if (values.count("help")) {
      std::cout << "usage: burrow-shim " << command << "\n\n" << options << "\n";
      return 0;
    }
    po::notify(values);
  } catch (const po::error& error) {
    return usage_error(command.substr(0, command.find(' ')) + ": " + error.what());
  }
  return std::nullopt;
}

std::chrono::seconds seconds_option(const po::variables_map& values, const char* name) {
  return std::chrono::seconds(values[name].as<unsigned>());
}

int run_command(const std::vector<std::string>& args) {
  po::options_description options("run options");
  std::string file, job_name, payload_file;
  // clang-format off
  options.add_options()
      ("gitlab-ci", po::value(&file), "the .gitlab-ci.yml to read")
      ("job", po::value(&job_name), "the job to run (also the first argument)")
      ("job-payload", po::value(&payload_file),
       "run the job of this GitLab Runner job payload (JSON) instead of --gitlab-ci FILE JOB")
      ("workspace", po::value<std::string>()->default_value(""),
       "a host dir bound at CI_PROJECT_DIR (default: an empty one, removed after the job)")
      ("log", po::value<std::string>()->default_value(""),
       "append the job's output as JSON lines to FILE")
      ("summary", po::value<std::string>()->default_value(""),
       "write the outcome to FILE (atomically) when the job ends")
      ("timeout", po::value<std::string>(), "the job's timeout (overrides `timeout:`; e.g. 90, 10m)")
      ("after-script-timeout", po::value<unsigned>()->default_value(300), "seconds")
      ("job-id", po::value<std::string>()->default_value(""), "CI_JOB_ID (default: made up)")
      ("pipeline-id", po::value<std::string>()->default_value(""), "CI_PIPELINE_ID")
      ("project-name", po::value<std::string>()->default_value(""),
       "CI_PROJECT_NAME (default: the workspace's dir name, else `project`)");
  // clang-format on
  add_pod_options(options);
  po::positional_options_description positional;
  positional.add("job", 1);
  po::variables_map values;
  if (auto done = parse(args, "run (--gitlab-ci FILE JOB | --job-payload FILE) [options]", options,
                        positional, values))
    return *done;
  if (!payload_file.empty()) {
    if (!file.empty() || !job_name.empty())
      return usage_error("run: --job-payload FILE takes neither --gitlab-ci nor a job name");
  } else if (file.empty()) {
    return usage_error("run: the option '--gitlab-ci' is required (or --job-payload FILE)");
  } else if (job_name.empty()) {
    return usage_error("run: the option '--job' is required but missing");
  }

  run::RunOptions run_options;
  if (auto bad = read_pod_options(values, run_options)) return usage_error(*bad);
  run_options.workspace = values["workspace"].as<std::string>();
  run_options.log_file = values["log"].as<std::string>();
  run_options.summary_file = values["summary"].as<std::string>();
  if (!run_options.workspace.empty()) {
    std::error_code ec;
    auto absolute = std::filesystem::canonical(run_options.workspace, ec);
    if (ec || !std::filesystem::is_directory(absolute))
      return usage_error("--workspace " + run_options.workspace + ": not a directory");
    run_options.workspace = absolute.string();
  }
  if (values.count("timeout")) {
    auto timeout = job::parse_duration(values["timeout"].as<std::string>());
    if (!timeout) return usage_error("--timeout: " + timeout.error().message);
    run_options.timeout = std::chrono::seconds(static_cast<long>(*timeout));
  }
  run_options.after_script_timeout = seconds_option(values, "after-script-timeout");

  job::ReadOptions read_options;
  read_options.job_id = values["job-id"].as<std::string>();
  if (read_options.job_id.empty())
    read_options.job_id =
        std::to_string(::time(nullptr) % 100000000) + std::to_string(::getpid() % 100);
  read_options.pipeline_id = values["pipeline-id"].as<std::string>();
  read_options.project_name = values["project-name"].as<std::string>();
  if (read_options.project_name.empty()) {
    read_options.project_name =
        run_options.workspace.empty()
            ? "project"
            : std::filesystem::path(run_options.workspace).filename().string();
  }
  auto job = payload_file.empty() ? job::read_gitlab_ci(file, job_name, read_options)
                                  : job::read_job_payload(payload_file, read_options);
  if (!job) return failure(job.error(), kUsage);
  if (::geteuid() != 0) {
    // Rootless: the job runs from a user namespace of the caller's own (run/user_namespace.hpp).
    if (run_options.memory_limit)
      return usage_error(
          "--memory: a rootless job has no cgroup of its own to limit (run as root)");
    auto subordinate = run::caller_subordinate_ids();
    if (!subordinate)
      return failure(subordinate.error().wrap("rootless jobs need subordinate ids"),
                     static_cast<int>(outcome::ExitCode::kSystemFailure));
    auto outer = run::run_in_user_namespace(*subordinate);
    if (!outer) return failure(outer.error(), static_cast<int>(outcome::ExitCode::kSystemFailure));
    if (*outer) return **outer;  // the outer shim: the job's code
    run_options.rootless = true;
  }
  return run::run_job(*job, run_options);
}

int jobs_command(const std::vector<std::string>& args) {
  po::options_description options("jobs options");
  std::string file;
  options.add_options()("gitlab-ci", po::value(&file)->required(), "the .gitlab-ci.yml to read");
  po::variables_map values;
  if (auto done = parse(args, "jobs --gitlab-ci FILE", options, {}, values)) return *done;
  auto text = file::read(file);
  if (!text) return failure(text.error(), kUsage);
  auto names = job::list_jobs(*text, file);
  if (!names) return failure(names.error(), kUsage);
  for (const auto& name : *names) std::cout << name << "\n";
  return 0;
}

// `image list --format json`: every image with the config fields a container is made from.
int list_images_json(const image::Store& store, const std::vector<image::IndexEntry>& entries) {
  auto listed = nlohmann::json::array();
  for (const auto& entry : entries) {
    auto resolved = image::resolve(store, entry.digest);
    if (!resolved)
      return failure(resolved.error(), static_cast<int>(outcome::ExitCode::kImageFailure));
    const image::ImageConfig& config = resolved->config;
    listed.push_back({{"name", entry.name},
                      {"digest", entry.digest},
                      {"entrypoint", config.entrypoint},
                      {"cmd", config.cmd},
                      {"env", config.env},
                      {"exposed_ports", config.exposed_ports},
                      {"working_dir", config.working_dir},
                      {"user", config.user}});
  }
  std::cout << listed.dump(2) << "\n";
  return 0;
}

int image_command(const std::vector<std::string>& args) {
  if (args.empty()) return usage_error("image: import, list or add-rootfs?");
  std::string verb = args[0];
  std::vector<std::string> rest(args.begin() + 1, args.end());
  po::options_description options("image options");
  std::vector<std::string> operands;
  std::string format;
  options.add_options()("images",
                        po::value<std::string>()->default_value(default_data_dir("images")),
                        "the image store")(
      "format", po::value(&format)->default_value("table"),
      "list: table (name, digest) or json (with entrypoint, cmd, env, exposed ports, ...)")(
      "operand", po::value(&operands)->composing(), "");
  po::positional_options_description positional;
  positional.add("operand", -1);
  po::variables_map values;
  if (auto done = parse(rest, "image " + verb + " [--images DIR]", options, positional, values))
    return *done;
  if (format != "table" && format != "json")
    return usage_error("image " + verb + ": --format " + format + ": use table or json");
  auto store = image::Store::open(values["images"].as<std::string>());
  if (!store) return failure(store.error(), static_cast<int>(outcome::ExitCode::kImageFailure));
  if (verb == "import") {
    if (operands.empty()) return usage_error("image import: which archive?");
    for (const auto& path : operands) {
      auto names = image::import_archive(*store, path);
      if (!names) return failure(names.error(), static_cast<int>(outcome::ExitCode::kImageFailure));
      for (const auto& name : *names) std::cout << "imported " << name << "\n";
    }
    return 0;
  }
  if (verb == "list") {
    auto entries = store->list();
    if (!entries)
      return failure(entries.error(), static_cast<int>(outcome::ExitCode::kImageFailure));
    if (format == "json") return list_images_json(*store, *entries);
    for (const auto& entry : *entries)
      std::cout << (entry.name.empty() ? "<none>" : entry.name) << "\t" << entry.digest << "\n";
    return 0;
  }
  if (verb == "add-rootfs") {
    if (operands.size() != 2) return usage_error("image add-rootfs NAME DIR");
    auto added = image::add_rootfs_dir(*store, operands[0], operands[1]);
    if (!added) return failure(added.error(), static_cast<int>(outcome::ExitCode::kImageFailure));
    std::cout << "added " << operands[0] << "\n";
    return 0;
  }
  return usage_error("image " + verb + ": unknown (import, list or add-rootfs)");
}

int cleanup_command(const std::vector<std::string>& args) {
  po::options_description options("cleanup options");
  options.add_options()("scratch",
                        po::value<std::string>()->default_value(default_data_dir("jobs")),
                        "where job dirs live")(
      "runtime", po::value<std::string>()->default_value(""), "the burrow binary");
  po::variables_map values;
  if (auto done = parse(args, "cleanup [options]", options, {}, values)) return *done;
  std::string runtime = values["runtime"].as<std::string>();
  if (runtime.empty()) runtime = companion("burrow", "runtime");
  if (runtime.empty()) return usage_error("no burrow binary found (--runtime)");
  if (::geteuid() != 0) {
    // A rootless job's files belong to the caller's subordinate ids: remove them from inside.
    auto subordinate = run::caller_subordinate_ids();
    if (!subordinate)
      return failure(subordinate.error(), static_cast<int>(outcome::ExitCode::kSystemFailure));
    auto outer = run::run_in_user_namespace(*subordinate);
    if (!outer) return failure(outer.error(), static_cast<int>(outcome::ExitCode::kSystemFailure));
    if (*outer) return **outer;
  }
  auto report = run::cleanup_abandoned(values["scratch"].as<std::string>(), runtime);
  for (const auto& dir : report.removed) std::cout << "removed " << dir << "\n";
  for (const auto& error : report.errors)
    std::fprintf(stderr, "burrow-shim: cleanup: %s\n", error.c_str());
  return report.errors.empty() ? 0 : static_cast<int>(outcome::ExitCode::kSystemFailure);
}

}  // namespace
}  // namespace burrow::shim::cli

int main(int argc, char** argv) {
  using namespace burrow::shim::cli;
  // A reader of our stdout that goes away must not kill the shim mid-job: writes fail with EPIPE
  // and the relay drops that sink.
  ::signal(SIGPIPE, SIG_IGN);
  std::vector<std::string> args(argv + 1, argv + argc);
  if (args.empty() || args[0] == "--help" || args[0] == "-h" || args[0] == "help") {
    std::fputs(kUsageText, args.empty() ? stderr : stdout);
    return args.empty() ? kUsage : 0;
  }
  if (args[0] == "--version" || args[0] == "-v") {
    std::printf("burrow-shim version %s\n", BURROW_VERSION);
    return 0;
  }
  std::string command = args[0];
  std::vector<std::string> rest(args.begin() + 1, args.end());
  if (command == "run") return run_command(rest);
  if (command == "jobs") return jobs_command(rest);
  if (command == "image") return image_command(rest);
  if (command == "cleanup") return cleanup_command(rest);
  if (command == "gitlab") return gitlab_command(rest, BURROW_VERSION);
  return usage_error("unknown command '" + command + "'\n" + kUsageText);
}
