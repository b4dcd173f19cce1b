// The lifecycle operations behind each CLI command. Each takes parsed options (never argv) and
// returns a Result; the CLI prints/logs the error once and picks the exit code.
#pragma once

#include <sys/types.h>

#include <functional>
#include <string>
#include <vector>

#include "base/error.hpp"
#include "container/options.hpp"

namespace burrow::container {

// create: container in "created" state, init blocked on the exec fifo. Prints nothing.
Status create(const GlobalOptions& global, const CreateOptions& options);
// start: releases a created container's init into the user process.
Status start(const GlobalOptions& global, const StartOptions& options);
// run: create + start; in the foreground waits and returns the process's exit code (128+signal
// when killed), forwarding signals; with detach returns 0 once started.
Result<int> run(const GlobalOptions& global, const RunOptions& options);
// exec: a new process in the container. In the foreground waits and returns its exit code (128+
// signal when killed), forwarding signals; with detach returns 0 once it has exec'd.
Result<int> exec(const GlobalOptions& global, const ExecOptions& options);
// ps: the text to print (a JSON pid array, or the host ps's rows of the container's pids).
Result<std::string> ps(const GlobalOptions& global, const PsOptions& options);
// state: runc's state JSON (pretty-printed, as runc prints it).
Result<std::string> state(const GlobalOptions& global, const StateOptions& options);
Status kill(const GlobalOptions& global, const KillOptions& options);
// delete (a keyword in C++, hence remove).
Status remove(const GlobalOptions& global, const DeleteOptions& options);
// pause/resume: freeze or thaw every process of the container (runc's state rules).
Status pause(const GlobalOptions& global, const PauseOptions& options);
Status resume(const GlobalOptions& global, const ResumeOptions& options);
// update: new resource limits for a created, running or paused container.
Status update(const GlobalOptions& global, const UpdateOptions& options);
// events: runc's JSON event lines, each handed to `emit` as it happens (stats every interval,
// OOM kills); with --stats one stats event. Streams until the container stops.
Status events(const GlobalOptions& global, const EventsOptions& options,
              const std::function<void(const std::string&)>& emit);

// list: the table or JSON text to print.
Result<std::string> list(const GlobalOptions& global, const ListOptions& options);
// gc: removes the state dirs (and cgroups, helpers, id ranges) that killed creates left under
// --root; one line per removal.
Result<std::string> gc(const GlobalOptions& global);
// features: the runtime-spec features document as JSON (runc's shape).
Result<std::string> features();
// spec: writes <bundle>/config.json; refuses to overwrite an existing one.
Status write_spec(const SpecOptions& options);

}  // namespace burrow::container
