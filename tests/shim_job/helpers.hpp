// Shared helpers for the .gitlab-ci.yml reader tests.
#pragma once

#include <gtest/gtest.h>

#include <string>

#include "job/gitlab_ci.hpp"

namespace burrow::shim::job::testing {

inline const char* kFile = ".gitlab-ci.yml";

// The job, failing the test (with the reader's message) if the file is rejected.
inline Job read_job(const std::string& yaml, const std::string& name,
                    const ReadOptions& options = {}) {
  Result<Job> job = parse_gitlab_ci(yaml, kFile, name, options);
  EXPECT_TRUE(job.ok()) << job.error().message;
  return job.ok() ? *job : Job{};
}

// The reader's error message, or "<accepted>".
inline std::string read_error(const std::string& yaml, const std::string& name = "build") {
  Result<Job> job = parse_gitlab_ci(yaml, kFile, name, ReadOptions{});
  return job.ok() ? "<accepted>" : job.error().message;
}

// A variable's value, or "<unset>".
inline std::string variable(const Job& job, const std::string& key) {
  for (const auto& v : job.variables) {
    if (v.key == key) return v.value;
  }
  return "<unset>";
}

inline std::vector<std::string> lines(std::initializer_list<const char*> items) {
  return std::vector<std::string>(items.begin(), items.end());
}

}  // namespace burrow::shim::job::testing
