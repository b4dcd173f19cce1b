#include "cli/flags.hpp"

#include <map>
#include <optional>
#include <string_view>

namespace burrow::cli {
namespace {

// Go's strconv.ParseBool.
std::optional<bool> parse_go_bool(std::string_view text) {
  for (const char* yes : {"1", "t", "T", "TRUE", "true", "True"}) {
    if (text == yes) return true;
  }
  for (const char* no : {"0", "f", "F", "FALSE", "false", "False"}) {
    if (text == no) return false;
  }
  return std::nullopt;
}

bool is_bool_flag(const po::option_description& option) {
  return option.semantic()->max_tokens() == 0;
}

// One flag word (and maybe its value from the next word) as Go's flag package reads it.
class FlagReader {
 public:
  FlagReader(const po::options_description& description, const std::vector<std::string>& args)
      : description_(description), args_(args) {}

  // Reads the flag at args[index]; advances `index` past it (and past a separate value).
  Status read(size_t& index) {
    const std::string& word = args_[index++];
    std::string_view name = std::string_view(word).substr(word[1] == '-' ? 2 : 1);
    if (name.empty() || name.front() == '-' || name.front() == '=') {
      return Error::msg("bad flag syntax: " + word);
    }
    std::optional<std::string> value;
    if (const size_t equals = name.find('='); equals != std::string_view::npos) {
      value = std::string(name.substr(equals + 1));
      name = name.substr(0, equals);
    }
    const std::string shown = "-" + std::string(name);
    const std::string key = name.size() == 1 ? "-" + std::string(name) : std::string(name);
    const po::option_description* option = description_.find_nothrow(key, false, false, false);
    if (option == nullptr) return Error::msg("flag provided but not defined: " + shown);
    if (is_bool_flag(*option)) {
      const std::optional<bool> on = value ? parse_go_bool(*value) : true;
      if (!on)
        return Error::msg("invalid boolean value \"" + *value + "\" for " + shown +
                          ": parse error");
      value = *on ? "true" : "false";
    } else if (!value) {
      if (index >= args_.size()) return Error::msg("flag needs an argument: " + shown);
      value = args_[index++];
    }
    // Go keeps the last of repeated flags (boost would refuse a second occurrence); a slice
    // flag (declared composing) collects every occurrence, as urfave/cli's StringSlice does.
    std::vector<std::string>& values = found_[option->long_name()];
    if (!option->semantic()->is_composing()) values.clear();
    values.push_back(*value);
    return {};
  }

  Result<po::variables_map> store() const {
    po::parsed_options parsed(&description_);
    for (const auto& [name, values] : found_) {
      for (const std::string& value : values) {
        po::option option(name, {value});
        option.original_tokens = {"--" + name, value};
        parsed.options.push_back(std::move(option));
      }
    }
    po::variables_map values;
    try {
      po::store(parsed, values);
      po::notify(values);
    } catch (const po::error& e) {
      return Error::msg(e.what());
    }
    return values;
  }

 private:
  const po::options_description& description_;
  const std::vector<std::string>& args_;
  std::map<std::string, std::vector<std::string>> found_;
};

}  // namespace

Result<ScannedFlags> scan_flags(const po::options_description& description,
                                const std::vector<std::string>& args, FlagsAfterArgs mode) {
  FlagReader reader(description, args);
  ScannedFlags scanned;
  size_t index = 0;
  while (index < args.size()) {
    const std::string& word = args[index];
    if (word == "--") {
      scanned.arguments.insert(scanned.arguments.end(), args.begin() + index + 1, args.end());
      break;
    }
    const bool is_flag = word.size() > 1 && word.front() == '-';
    if (is_flag) {
      BURROW_TRY(reader.read(index));
      continue;
    }
    if (mode == FlagsAfterArgs::stop) {
      scanned.arguments.insert(scanned.arguments.end(), args.begin() + index, args.end());
      break;
    }
    scanned.arguments.push_back(word);
    ++index;
  }
  scanned.values = BURROW_TRY(reader.store());
  return scanned;
}

}  // namespace burrow::cli
