// Human durations as GitLab reads `timeout:` — with its chronic_duration parser: numbers and
// unit words in any mix ("1h 30m", "3 hours", "10 minutes 30 seconds", "90m", "1.5h", "2 days
// and 3 hours"), clock form ("1:30:00" is 1 h 30 min), a bare number is seconds, a unit
// without a number counts once ("hour"). Units: s sec secs second seconds, m min mins minute
// minutes, h hr hrs hour hours, d dy day days, w wk wks week weeks (7 days), mo mos month
// months (30 days), y yr yrs year years (365.25 days). "and", "with", "plus" are ignored; any
// other word is an error. Zero is not a duration.
#pragma once

#include <string>
#include <string_view>

#include "base/error.hpp"

namespace burrow::shim::job {

// Seconds (possibly fractional), or an error saying which word is wrong.
Result<double> parse_duration(std::string_view text);

}  // namespace burrow::shim::job
