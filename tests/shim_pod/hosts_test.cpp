#include "pod/hosts.hpp"

#include <gtest/gtest.h>

namespace burrow::shim::pod {
namespace {

job::ServiceSpec service(const std::string& image, std::vector<std::string> aliases = {}) {
  job::ServiceSpec spec;
  spec.image.name = image;
  spec.aliases = std::move(aliases);
  return spec;
}

// GitLab's derived names: tag cut off, '/' as "__" and as "-".
TEST(ServiceHostNames, DerivedFromTheImageAsGitLabDoes) {
  EXPECT_EQ(service_host_names(service("docker:dind")), std::vector<std::string>{"docker"});
  EXPECT_EQ(service_host_names(service("postgres")), std::vector<std::string>{"postgres"});
  EXPECT_EQ(service_host_names(service("tutum/wordpress:latest")),
            (std::vector<std::string>{"tutum__wordpress", "tutum-wordpress"}));
  // A registry port makes no valid host name (':'): only aliases can name such a service.
  EXPECT_TRUE(service_host_names(service("registry.example.com:5000/group/img:1.2")).empty());
  EXPECT_EQ(service_host_names(service("registry.example.com/group/img:1.2")),
            (std::vector<std::string>{"registry.example.com__group__img",
                                      "registry.example.com-group-img"}));
}

TEST(ServiceHostNames, AliasesFollowWithoutDuplicates) {
  EXPECT_EQ(service_host_names(service("docker:dind", {"docker", "dockerd"})),
            (std::vector<std::string>{"docker", "dockerd"}));
  EXPECT_EQ(service_host_names(service("nginx@sha256:abcd", {"web"})),
            (std::vector<std::string>{"nginx", "web"}));
}

TEST(ServiceHostNames, InvalidNamesAreLeftOut) {
  EXPECT_FALSE(valid_host_name(""));
  EXPECT_FALSE(valid_host_name("a b"));
  EXPECT_FALSE(valid_host_name("-a"));
  EXPECT_FALSE(valid_host_name("a..b"));
  EXPECT_FALSE(valid_host_name("host:5000"));
  EXPECT_TRUE(valid_host_name("registry.example.com__group__img"));
  EXPECT_EQ(service_host_names(service("svc", {"bad name", "good"})),
            (std::vector<std::string>{"svc", "good"}));
}

TEST(HostsFile, BuildAndEveryNameOnLoopback) {
  EXPECT_EQ(hosts_file_text({"docker", "web"}),
            "127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n"
            "127.0.0.1\tbuild docker web\n");
}

}  // namespace
}  // namespace burrow::shim::pod
