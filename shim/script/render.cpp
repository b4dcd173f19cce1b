// The rendered text has two levels:
//
//   (set -o pipefail) 2>/dev/null && set -o pipefail     # or plain `set -o pipefail` for bash
//   set -o errexit
//   set +o noclobber
//   : | { eval '<body>'; }
//   exit 0
//
// The whole job is one `eval` statement, so the outer shell reads it to its closing quote before
// running any of it, and eval's STDIN is the empty pipe from `:` — a command that reads STDIN
// (cat, read, ssh...) gets EOF instead of the rest of the script. This is the shape GitLab Runner
// generates for its bash shell (`: | eval $'...'`); we quote with '...' instead of $'...' because
// dash and busybox ash must read it too. The braces are ours: bash 5.2 with errexit reports 1,
// not the failing command's status, when a bare `eval` is a pipeline's last element
// (`set -e; : | eval 'sh -c "exit 3"'` exits 1); inside a group the status is kept. (We guess
// this is why GitLab grew FF_ENABLE_BASH_EXIT_CODE_CHECK.)
//
// The eval runs in a subshell (the last element of a pipeline, no lastpipe), with errexit
// inherited: the first failing command ends the subshell with its status, the pipeline's status
// is that status, and errexit in the outer shell turns it into the shell's exit code. `exit N` in
// a command ends the subshell with N the same way. `exit 0` at the end stops the outer shell even
// if whoever feeds STDIN keeps it open.
//
// Where we guessed: GitLab trims each command (strings.TrimSpace) and prints an empty line for an
// empty one; we do the same with ASCII whitespace. GitLab's optional per-command exit code check
// (FF_ENABLE_BASH_EXIT_CODE_CHECK) is not rendered: errexit semantics apply, so a status that
// errexit ignores (`false && true`, `! cmd`) fails the job only when it is the last command's.
#include "script/render.hpp"

namespace burrow::shim::script {

namespace {

constexpr std::string_view kWhitespace = " \t\n\r\v\f";

std::string_view trim(std::string_view text) {
  const auto first = text.find_first_not_of(kWhitespace);
  if (first == std::string_view::npos) return {};
  const auto last = text.find_last_not_of(kWhitespace);
  return text.substr(first, last - first + 1);
}

// One body line per notice: printf's format carries the colour codes as octal escapes (POSIX
// printf has \ddd; echo -e is not portable), the command is an argument so a % in it stays text.
void append_notice(std::string& body, std::string_view command) {
  body += "printf '\\033[32;1m%s\\033[0;m\\n' ";
  body += quote(notice_text(command));
  body += '\n';
}

void append_commands(std::string& body, const std::vector<std::string>& commands) {
  for (const auto& raw : commands) {
    const auto command = trim(raw);
    if (command.empty()) {
      body += "echo\n";
      continue;
    }
    append_notice(body, command);
    body += command;
    body += '\n';
  }
}

std::string render(const std::vector<const std::vector<std::string>*>& parts,
                   const ScriptOptions& options) {
  std::string body;
  if (options.trace) body += "set -o xtrace\n";
  for (const auto* part : parts) append_commands(body, *part);

  std::string out;
  if (options.shell == Shell::kBash) {
    out += "set -o pipefail\n";
  } else {
    // dash has no pipefail and its `set` fails on the unknown option: probe in a subshell.
    out += "(set -o pipefail) 2>/dev/null && set -o pipefail\n";
  }
  out += "set -o errexit\n";
  out += "set +o noclobber\n";
  out += ": | { eval " + quote(body) + "; }\n";
  out += "exit 0\n";
  return out;
}

}  // namespace

std::string quote(std::string_view text) {
  std::string out = "'";
  for (char c : text) {
    if (c == '\'') {
      out += "'\\''";
    } else {
      out += c;
    }
  }
  out += '\'';
  return out;
}

std::string notice_text(std::string_view command) {
  const auto newline = command.find('\n');
  if (newline == std::string_view::npos) return "$ " + std::string(command);
  return "$ " + std::string(command.substr(0, newline)) + " # collapsed multi-line command";
}

std::string render_job_script(const std::vector<std::string>& before_script,
                              const std::vector<std::string>& script,
                              const ScriptOptions& options) {
  return render({&before_script, &script}, options);
}

std::string render_after_script(const std::vector<std::string>& after_script,
                                const ScriptOptions& options) {
  return render({&after_script}, options);
}

}  // namespace burrow::shim::script
