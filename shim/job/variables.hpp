// Variable expansion, in GitLab's two passes:
//  1. GitLab (the server) sorts the job's variables by their references and expands each with
//     the ones it refers to, so references chain in any order ("A: $B", "B: $C", "C: x" gives
//     A=x). $VAR, ${VAR} and %VAR% are expanded; a reference to an undefined variable, to a
//     raw (`expand: false`) one, and the escapes $$ and %% are left for the runner. A cycle
//     ("A: $B", "B: $A") is an error.
//  2. GitLab Runner expands each value once more, against the values as pass 1 left them:
//     undefined names become empty, $$ becomes $, raw variables are left alone.
// Image and service names expand with the runner's pass only.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "base/error.hpp"

namespace burrow::shim::job {

struct PendingVariable {
  std::string key;
  std::string value;
  bool raw = false;  // `expand: false`: taken literally by both passes
  bool operator==(const PendingVariable&) const = default;
};
using PendingVariables = std::vector<PendingVariable>;

// Pass 1. Returns the variables in dependency order (each after the ones it refers to); a
// cycle is an error "circular variable reference detected: A, B" (names sorted).
Result<PendingVariables> expand_by_dependency(const PendingVariables& variables);

// Pass 2 for one value: $NAME and ${NAME} are the last variable of that name (empty if none),
// $$ is $, $0-$9 $* $# $@ $! $? are empty; other text stays.
std::string expand_once(std::string_view value, const PendingVariables& variables);

// Pass 2 for every variable that is not raw, each against the list as given.
PendingVariables expand_all_once(const PendingVariables& variables);

}  // namespace burrow::shim::job
