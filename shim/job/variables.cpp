#include "job/variables.hpp"

#include <algorithm>
#include <cctype>
#include <functional>
#include <map>
#include <optional>

namespace burrow::shim::job {
namespace {

bool is_name_start(char c) {
  return std::isalpha(static_cast<unsigned char>(c)) || c == '_';
}
bool is_name_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
}

size_t name_length(std::string_view text, size_t at) {
  if (at >= text.size() || !is_name_start(text[at])) return 0;
  size_t i = at + 1;
  while (i < text.size() && is_name_char(text[i])) ++i;
  return i - at;
}

// One match of GitLab's server-side pattern: $$ | %% | $NAME | ${NAME} | ${} | %NAME%.
struct ServerMatch {
  size_t length = 0;                // 0: no match at this position
  std::optional<std::string> name;  // unset for the escapes and ${}
};

ServerMatch match_server_reference(std::string_view text, size_t at) {
  if (text.compare(at, 2, "$$") == 0 || text.compare(at, 2, "%%") == 0) return {2, std::nullopt};
  if (text[at] == '$') {
    if (size_t n = name_length(text, at + 1)) return {1 + n, std::string(text.substr(at + 1, n))};
    if (at + 1 < text.size() && text[at + 1] == '{') {
      size_t n = name_length(text, at + 2);
      if (at + 2 + n < text.size() && text[at + 2 + n] == '}') {
        if (n == 0) return {3, std::nullopt};
        return {3 + n, std::string(text.substr(at + 2, n))};
      }
    }
    return {};
  }
  if (text[at] == '%') {
    size_t n = name_length(text, at + 1);
    if (n && at + 1 + n < text.size() && text[at + 1 + n] == '%') {
      return {2 + n, std::string(text.substr(at + 1, n))};
    }
  }
  return {};
}

// Calls `replace(match, text_of_match)` for every match; its result replaces the match.
std::string rewrite_server_references(
    std::string_view text,
    const std::function<std::string(const ServerMatch&, std::string_view)>& replace) {
  std::string out;
  for (size_t i = 0; i < text.size();) {
    ServerMatch match = match_server_reference(text, i);
    if (match.length == 0) {
      out += text[i++];
      continue;
    }
    out += replace(match, text.substr(i, match.length));
    i += match.length;
  }
  return out;
}

std::vector<std::string> references(const PendingVariable& variable) {
  std::vector<std::string> names;
  if (variable.raw) return names;
  rewrite_server_references(variable.value, [&](const ServerMatch& match, std::string_view) {
    if (match.name) names.push_back(*match.name);
    return std::string();
  });
  return names;
}

// Tarjan's strongly connected components, visiting nodes in list order and children in
// reference order, which yields GitLab's (Ruby TSort's) order: dependencies first.
class DependencySort {
 public:
  explicit DependencySort(const PendingVariables& variables) : variables_(variables) {
    for (size_t i = 0; i < variables.size(); ++i) by_key_[variables[i].key].push_back(i);
    state_.resize(variables.size());
  }

  // Components in dependency order.
  std::vector<std::vector<size_t>> components() {
    for (size_t i = 0; i < variables_.size(); ++i) {
      if (!state_[i].index) visit(i);
    }
    return components_;
  }

 private:
  struct State {
    std::optional<size_t> index;
    size_t low = 0;
    bool on_stack = false;
  };

  void visit(size_t node) {
    state_[node].index = state_[node].low = next_index_++;
    stack_.push_back(node);
    state_[node].on_stack = true;
    for (const auto& name : references(variables_[node])) {
      auto it = by_key_.find(name);
      if (it == by_key_.end()) continue;
      for (size_t child : it->second) {
        if (!state_[child].index) {
          visit(child);
          state_[node].low = std::min(state_[node].low, state_[child].low);
        } else if (state_[child].on_stack) {
          state_[node].low = std::min(state_[node].low, *state_[child].index);
        }
      }
    }
    if (state_[node].low == *state_[node].index) {
      std::vector<size_t> component;
      size_t member;
      do {
        member = stack_.back();
        stack_.pop_back();
        state_[member].on_stack = false;
        component.push_back(member);
      } while (member != node);
      components_.push_back(component);
    }
  }

  const PendingVariables& variables_;
  std::map<std::string, std::vector<size_t>> by_key_;
  std::vector<State> state_;
  std::vector<size_t> stack_;
  size_t next_index_ = 0;
  std::vector<std::vector<size_t>> components_;
};

bool is_shell_special(char c) {
  return c == '*' || c == '#' || c == '$' || c == '@' || c == '!' || c == '?' || c == '-' ||
         std::isdigit(static_cast<unsigned char>(c));
}

std::string runner_lookup(const std::string& name, const PendingVariables& variables) {
  if (name == "$") return "$";
  if (name.size() == 1 && is_shell_special(name[0]) && name != "-") return "";
  for (auto it = variables.rbegin(); it != variables.rend(); ++it) {
    if (it->key == name) return it->value;
  }
  return "";
}

}  // namespace

Result<PendingVariables> expand_by_dependency(const PendingVariables& variables) {
  std::vector<std::vector<size_t>> components = DependencySort(variables).components();
  std::vector<std::string> cyclic;
  for (const auto& component : components) {
    if (component.size() < 2) continue;
    for (size_t member : component) cyclic.push_back(variables[member].key);
  }
  if (!cyclic.empty()) {
    std::sort(cyclic.begin(), cyclic.end());
    cyclic.erase(std::unique(cyclic.begin(), cyclic.end()), cyclic.end());
    std::string names;
    for (const auto& name : cyclic) names += (names.empty() ? "" : ", ") + name;
    return Error::msg("circular variable reference detected: " + names);
  }

  PendingVariables expanded;
  std::map<std::string, size_t> latest;  // key -> its last entry in `expanded`
  for (const auto& component : components) {
    const PendingVariable& variable = variables[component.front()];
    PendingVariable out = variable;
    if (!variable.raw) {
      out.value = rewrite_server_references(
          variable.value, [&](const ServerMatch& match, std::string_view original) {
            if (!match.name) return std::string(original);
            auto it = latest.find(*match.name);
            if (it == latest.end()) return std::string(original);  // left for the runner
            const PendingVariable& referenced = expanded[it->second];
            // A raw variable's value must not be expanded again by the runner's pass, so the
            // reference stays and the runner puts the raw value in.
            if (referenced.raw) return std::string(original);
            return referenced.value;
          });
    }
    latest[out.key] = expanded.size();
    expanded.push_back(std::move(out));
  }
  return expanded;
}

std::string expand_once(std::string_view value, const PendingVariables& variables) {
  // Go's os.Expand with GitLab Runner's lookup.
  std::string out;
  for (size_t i = 0; i < value.size(); ++i) {
    if (value[i] != '$' || i + 1 == value.size()) {
      out += value[i];
      continue;
    }
    std::string_view rest = value.substr(i + 1);
    std::string name;
    size_t width = 0;
    if (rest[0] == '{') {
      if (rest.size() > 2 && is_shell_special(rest[1]) && rest[2] == '}') {
        name = std::string(rest.substr(1, 1));
        width = 3;
      } else {
        size_t close = rest.find('}');
        if (close == std::string_view::npos) {
          width = 1;  // bad syntax: "${" is dropped
        } else if (close == 1) {
          width = 2;  // bad syntax: "${}" is dropped
        } else {
          name = std::string(rest.substr(1, close - 1));
          width = close + 1;
        }
      }
    } else if (is_shell_special(rest[0])) {
      name = std::string(rest.substr(0, 1));
      width = 1;
    } else {
      while (width < rest.size() && is_name_char(rest[width])) ++width;
      name = std::string(rest.substr(0, width));
    }
    if (!name.empty()) {
      out += runner_lookup(name, variables);
    } else if (width == 0) {
      out += '$';  // "$" not followed by a name stays
    }
    i += width;
  }
  return out;
}

PendingVariables expand_all_once(const PendingVariables& variables) {
  PendingVariables expanded = variables;
  for (auto& variable : expanded) {
    if (!variable.raw) variable.value = expand_once(variable.value, variables);
  }
  return expanded;
}

}  // namespace burrow::shim::job
