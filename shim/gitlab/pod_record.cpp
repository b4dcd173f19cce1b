#include "gitlab/pod_record.hpp"

#include <nlohmann/json.hpp>

namespace burrow::shim::gitlab {
namespace {

nlohmann::json member_json(const Member& member) {
  return {{"id", member.id}, {"shell", member.shell}};
}

Result<Member> member_from(const nlohmann::json& json, const std::string& where) {
  if (!json.is_object()) return Error::msg(where + ": expected an object");
  Member member;
  for (auto [field, target] : {std::pair{"id", &member.id}, std::pair{"shell", &member.shell}}) {
    if (!json.contains(field) || !json[field].is_string() || json[field].get<std::string>().empty())
      return Error::msg(where + "." + field + ": expected a non-empty string");
    *target = json[field].get<std::string>();
  }
  return member;
}

}  // namespace

std::string pod_record_text(const PodRecord& record) {
  nlohmann::json json = {{"job", member_json(record.job)}, {"helper", member_json(record.helper)}};
  return json.dump(1) + "\n";
}

Result<PodRecord> parse_pod_record(const std::string& text, const std::string& what) {
  auto json = nlohmann::json::parse(text, nullptr, false);
  if (json.is_discarded() || !json.is_object()) return Error::msg(what + ": not a JSON object");
  PodRecord record;
  record.job = BURROW_TRY(member_from(json.value("job", nlohmann::json()), what + ": job"));
  record.helper =
      BURROW_TRY(member_from(json.value("helper", nlohmann::json()), what + ": helper"));
  return record;
}

}  // namespace burrow::shim::gitlab
