#include "image/reference.hpp"

#include <gtest/gtest.h>

namespace burrow::shim::image {
namespace {

std::string norm(const std::string& name) {
  auto r = normalize_name(name);
  return r ? *r : "ERROR: " + r.error().message;
}

TEST(Reference, DockerHubDefaults) {
  EXPECT_EQ(norm("busybox"), "docker.io/library/busybox:latest");
  EXPECT_EQ(norm("busybox:latest"), "docker.io/library/busybox:latest");
  EXPECT_EQ(norm("docker.io/library/busybox:latest"), "docker.io/library/busybox:latest");
  EXPECT_EQ(norm("docker.io/busybox"), "docker.io/library/busybox:latest");
  EXPECT_EQ(norm("index.docker.io/library/busybox:1.36"), "docker.io/library/busybox:1.36");
  EXPECT_EQ(norm("library/busybox:1.36"), "docker.io/library/busybox:1.36");
  EXPECT_EQ(norm("gitlab/gitlab-runner:alpine-v16.1"),
            "docker.io/gitlab/gitlab-runner:alpine-v16.1");
}

TEST(Reference, OtherRegistries) {
  EXPECT_EQ(norm("registry.example.com/group/app"), "registry.example.com/group/app:latest");
  EXPECT_EQ(norm("localhost:5000/app:dev"), "localhost:5000/app:dev");
  EXPECT_EQ(norm("localhost/app"), "localhost/app:latest");
  EXPECT_EQ(norm("registry.gitlab.com/a/b/c:1.0_rc-2"), "registry.gitlab.com/a/b/c:1.0_rc-2");
  // A one-component name on another registry gets no "library/".
  EXPECT_EQ(norm("quay.io/app"), "quay.io/app:latest");
}

TEST(Reference, Digests) {
  std::string digest = "sha256:" + std::string(64, 'b');
  EXPECT_EQ(norm("busybox@" + digest), "docker.io/library/busybox@" + digest);
  EXPECT_EQ(norm("busybox:1@" + digest), "docker.io/library/busybox:1@" + digest);
  auto ref = parse_reference("alpine@" + digest);
  ASSERT_TRUE(ref);
  EXPECT_EQ(ref->digest, digest);
  EXPECT_EQ(ref->repository(), "docker.io/library/alpine");
}

TEST(Reference, Refusals) {
  for (const char* bad : {"", "Busybox", "busybox:", "busybox:-x", "a//b", "/busybox",
                          "busybox@sha256:abc", "bu$ybox", "busybox:a/b", "-busybox"}) {
    auto r = normalize_name(bad);
    EXPECT_FALSE(r) << bad << " -> " << (r ? *r : "");
    if (!r) {
      EXPECT_NE(r.error().message.find("invalid image name"), std::string::npos);
    }
  }
  EXPECT_NE(norm("Busybox").find("must be lowercase"), std::string::npos);
}

}  // namespace
}  // namespace burrow::shim::image
