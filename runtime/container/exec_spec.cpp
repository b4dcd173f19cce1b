#include "container/exec_spec.hpp"

#include <filesystem>

#include "spec/parse.hpp"
#include "spec/validate.hpp"

namespace burrow::container {
namespace {

// runc's `exec --cap`: effective, permitted and bounding; never inheritable (CVE-2022-29162:
// an inheritable cap would reach a program with file capabilities) and so not ambient either.
void add_capabilities(spec::Process& process, const std::vector<std::string>& caps) {
  if (caps.empty()) return;
  if (!process.capabilities) process.capabilities = spec::Capabilities{};
  for (const std::string& cap : caps) {
    process.capabilities->bounding.push_back(cap);
    process.capabilities->effective.push_back(cap);
    process.capabilities->permitted.push_back(cap);
  }
}

Result<spec::Process> from_options(const spec::Spec& container, const ExecOptions& options) {
  if (options.args.empty()) return Error::msg("process args cannot be empty");
  if (!container.process)
    return Error::msg("config.json: process: process property must not be empty");
  spec::Process process = *container.process;
  process.args = options.args;
  if (!options.cwd.empty()) process.cwd = options.cwd;
  if (!options.apparmor.empty()) process.apparmor_profile = options.apparmor;
  if (!options.process_label.empty()) process.selinux_label = options.process_label;
  add_capabilities(process, options.caps);
  process.env.insert(process.env.end(), options.env.begin(), options.env.end());
  process.terminal = options.tty;
  process.console_size.reset();  // only with a terminal
  if (options.no_new_privs) process.no_new_privileges = *options.no_new_privs;
  if (options.uid) process.user.uid = *options.uid;
  if (options.gid) process.user.gid = *options.gid;
  process.user.additional_gids.insert(process.user.additional_gids.end(),
                                      options.additional_gids.begin(),
                                      options.additional_gids.end());
  return process;
}

}  // namespace

Result<spec::Process> exec_process_spec(const spec::Spec& container, const ExecOptions& options) {
  spec::Spec checked = container;
  checked.unsupported.clear();  // the container's own were refused at create
  if (options.process_file.empty()) {
    checked.process = BURROW_TRY(from_options(container, options));
    BURROW_TRY(spec::validate_process(checked));
    return *checked.process;
  }
  checked.process = BURROW_TRY(spec::load_process(options.process_file, checked.unsupported));
  std::string name = std::filesystem::path(options.process_file).filename().string();
  BURROW_TRY_CTX(spec::validate_process(checked, true), name);
  return *checked.process;
}

}  // namespace burrow::container
