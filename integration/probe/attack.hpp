// probe attack: what a process in a container can do to another process in it (the runtime's
// created-state init, an exec helper before its execve, the runtime binary run through a
// `#!/proc/self/exe` script). Each attack that succeeds is undone (tracees are detached, the
// binary's first byte is written back unchanged), so a test that finds a hole leaves no harm.
#pragma once

namespace probe {

// argv: probe attack TARGET ACTION...
//   TARGET  a pid; `new`: prints "hunting", then waits for a process that was not there;
//           `cmdline=TEXT`: waits for a process whose arguments, joined by spaces, are TEXT
//   ACTION  exe        open /proc/PID/exe for writing, directly and through an O_PATH fd
//           exe-later  as exe, then again once the target is gone: prints "holding" and waits
//                      for its end (the CVE-2019-5736 exploit's order: no ETXTBSY then)
//           ptrace     PTRACE_SEIZE, PTRACE_ATTACH, open /proc/PID/mem read-write
//           fds        readlink of every /proc/PID/fd entry, with what each one opens
//           fds-watch  fds, sampled from now (it prints "holding") until the target execs or
//                      ends: every distinct entry seen
// Prints one JSON object: {"pid":N,"cmdline":[...],"exe":{...},"ptrace":{...},"fds":{...},
// "cmdline_after":[...]}.
int attack_command(int argc, char** argv);

}  // namespace probe
