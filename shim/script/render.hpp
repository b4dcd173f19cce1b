// Script rendering: the text burrow-shim writes to the STDIN of the job container's shell, with
// GitLab Runner's semantics for the docker executor (as far as we know them; see render.cpp for
// where we guessed). The caller picks the shell (`bash` when the image has it, else `sh`) and sets
// the working directory and the environment through the container's config, not here.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace burrow::shim::script {

enum class Shell {
  kBash,   // bash: `set -o pipefail` unconditionally
  kPosix,  // sh (dash, busybox ash, bash as sh...): pipefail only when the shell knows it
};

struct ScriptOptions {
  Shell shell = Shell::kPosix;
  bool trace = false;  // CI_DEBUG_TRACE: the shell traces every command (set -o xtrace)
};

// before_script then script, one shell: a variable set by one command is seen by the next. Each
// command is echoed ("$ cmd", bold green) then run; the first failing command ends the script
// with its exit code, as does `exit N`. Commands reading STDIN see an empty one.
std::string render_job_script(const std::vector<std::string>& before_script,
                              const std::vector<std::string>& script, const ScriptOptions& options);
// after_script: the same shape, in a shell of its own (nothing from the job script carries over).
std::string render_after_script(const std::vector<std::string>& after_script,
                                const ScriptOptions& options);

// --- pure helpers (exposed for tests) ---

// POSIX single quoting: 'it'\''s' — dash has no $'...'. Any byte but NUL survives.
std::string quote(std::string_view text);
// What GitLab shows for a command (already trimmed): "$ cmd", or for a multi-line command its
// first line plus " # collapsed multi-line command". No colour codes.
std::string notice_text(std::string_view command);

}  // namespace burrow::shim::script
