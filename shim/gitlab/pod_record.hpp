// <job dir>/gitlab.json: what `prepare`'s pod holder tells the later `run` calls of the same
// job about its pod, written atomically once every container is up. Its presence means the
// pod is ready; the holder's pid and start time are in the job dir's owner.json.
#pragma once

#include <string>

#include "base/error.hpp"

namespace burrow::shim::gitlab {

struct Member {
  std::string id;     // the runtime's container id
  std::string shell;  // the shell `run` feeds the script to (absolute, in the container)
  bool operator==(const Member&) const = default;
};

struct PodRecord {
  Member job;
  Member helper;
  bool operator==(const PodRecord&) const = default;
};

std::string pod_record_text(const PodRecord& record);
// `what` names the file in errors.
Result<PodRecord> parse_pod_record(const std::string& text, const std::string& what);

}  // namespace burrow::shim::gitlab
