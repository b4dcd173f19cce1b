#include "io/masker.hpp"

#include <algorithm>

namespace burrow::shim::io {

Masker::Masker(std::vector<std::string> values) {
  for (auto& value : values) {
    if (!value.empty()) values_.push_back(std::move(value));
  }
  std::stable_sort(values_.begin(), values_.end(),
                   [](const std::string& a, const std::string& b) { return a.size() > b.size(); });
  for (const auto& value : values_) first_[static_cast<unsigned char>(value[0])] = true;
}

std::string Masker::feed(std::string_view data) {
  if (values_.empty()) return std::string(data);
  held_.append(data);
  return process(false);
}

std::string Masker::finish() {
  return process(true);
}

std::string Masker::process(bool final) {
  std::string out;
  const std::string_view text = held_;
  size_t i = 0;
  size_t copied = 0;  // text[copied, i) is plain text not yet appended
  while (i < text.size()) {
    if (!first_[static_cast<unsigned char>(text[i])]) {
      ++i;
      continue;
    }
    const std::string_view rest = text.substr(i);
    // A value that may continue in the next chunk: hold from here (a longer value wins over a
    // shorter one that already matches, so this comes first).
    bool partial = !final && std::any_of(values_.begin(), values_.end(), [&](const auto& v) {
      return rest.size() < v.size() && std::string_view(v).starts_with(rest);
    });
    if (partial) break;
    auto match = std::find_if(values_.begin(), values_.end(),
                              [&](const auto& v) { return rest.starts_with(v); });
    if (match == values_.end()) {
      ++i;
      continue;
    }
    out.append(text.substr(copied, i - copied));
    out.append(kMask);
    i += match->size();
    copied = i;
  }
  out.append(text.substr(copied, i - copied));
  held_.erase(0, i);
  return out;
}

MaskingSink::MaskingSink(Sink& next, std::vector<std::string> values)
    : next_(next), values_(std::move(values)) {}

Masker& MaskingSink::masker(Stream stream) {
  auto it = maskers_.find(stream);
  if (it == maskers_.end()) it = maskers_.emplace(stream, Masker(values_)).first;
  return it->second;
}

Status MaskingSink::write(Stream stream, std::string_view data) {
  std::string masked = masker(stream).feed(data);
  if (masked.empty()) return {};
  return next_.write(stream, masked);
}

Status MaskingSink::end(Stream stream) {
  std::string rest = masker(stream).finish();
  if (!rest.empty()) BURROW_TRY(next_.write(stream, rest));
  return next_.end(stream);
}

}  // namespace burrow::shim::io
