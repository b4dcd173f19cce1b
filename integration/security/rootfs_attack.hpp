// The fixture of attacks that go through what the container image or another container controls:
// the rootfs (symlinks where the runtime mounts or creates things, fake /proc and /dev entries)
// and directories shared with other containers. It gives each test a private copy of the test
// rootfs to doctor, and a directory that stands for the host: the runtime must never mount over
// it, create anything in it or change its files, whatever the rootfs says.
#pragma once

#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "harness/container_test.hpp"

namespace integration {

class RootfsAttack : public ContainerTest {
 protected:
  void SetUp() override;
  void TearDown() override;

  // Where `path` of the private rootfs is on the host.
  std::string in_copy(const std::string& path) const { return copy_ + path; }
  // `sh -c command` on the host (preparing the copy or the host dir); a failure fails the test.
  void host_shell(const std::string& command);
  // Writes `content` to host_/<relative> (parents made) and expects it to stay as it is.
  void put_host_file(const std::string& relative, const std::string& content);

  // Makes host_ a shared mount point of its own. A container created with rootfsPropagation
  // "rshared" then shares it with this mount namespace, so a mount a runtime is tricked into
  // making on it (or under it) in the container shows here.
  void share_host_dir();
  // What happened to host_: entries made or removed, files changed, mounts on or under it.
  // Empty when it is as the test left it.
  std::string host_damage() const;

  // A config.json bind mount entry.
  static nlohmann::json bind(const std::string& source, const std::string& destination,
                             const std::vector<std::string>& options = {"rbind"});

  std::string copy_;  // work_/rootfs: the test's own copy of the test rootfs
  std::string host_;  // work_/host: holds `canary` and whatever put_host_file adds

 private:
  std::map<std::string, std::string> host_files_;  // relative path -> content ("/" = a dir)
  bool shared_ = false;
};

// Every line of `out` that parses as a JSON object, in order (several probe calls in one run).
std::vector<nlohmann::json> json_lines(const std::string& out);

}  // namespace integration
