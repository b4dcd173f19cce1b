// Masking of secret values in relayed output (GitLab's masked variables): every occurrence of a
// value becomes "[MASKED]", also when a read() boundary splits it. The job log, the shim's stdout
// and stderr all get their bytes through a MaskingSink, so a masked value never reaches them.
//
// Where values overlap, the leftmost occurrence wins, and of those starting at the same byte the
// longest. Between chunks a Masker holds back at most (longest value - 1) bytes: those that may
// be the start of a value; end() lets them out.
#pragma once

#include <array>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "io/sink.hpp"

namespace burrow::shim::io {

inline constexpr std::string_view kMask = "[MASKED]";

class Masker {
 public:
  // Empty values are dropped (they would match everywhere).
  explicit Masker(std::vector<std::string> values);
  // The masked text that is safe to pass on now; a possible start of a value is held back.
  std::string feed(std::string_view data);
  // Whatever was held back, masked (the stream ended).
  std::string finish();
  size_t held() const { return held_.size(); }

 private:
  std::string process(bool final);
  std::vector<std::string> values_;  // longest first
  std::array<bool, 256> first_{};    // bytes some value starts with
  std::string held_;
};

// A Sink that masks what it writes to `next`, each stream on its own.
class MaskingSink : public Sink {
 public:
  MaskingSink(Sink& next, std::vector<std::string> values);
  const std::string& name() const override { return next_.name(); }
  Status write(Stream stream, std::string_view data) override;
  Status end(Stream stream) override;
  size_t pending() const override { return next_.pending(); }
  int wait_fd() const override { return next_.wait_fd(); }
  Status flush() override { return next_.flush(); }

 private:
  Masker& masker(Stream stream);
  Sink& next_;
  std::vector<std::string> values_;
  std::map<Stream, Masker> maskers_;
};

}  // namespace burrow::shim::io
