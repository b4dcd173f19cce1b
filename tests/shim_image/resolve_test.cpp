#include <gtest/gtest.h>

#include "image/image.hpp"
#include "image/import.hpp"
#include "store_fixture.hpp"

namespace burrow::shim::image {
namespace {

using namespace test;

class Resolve : public StoreTest {};

TEST(ImageConfig, DockerFieldsAreRead) {
  auto config = parse_image_config(R"({
    "architecture": "amd64", "os": "linux",
    "config": {
      "Entrypoint": ["/docker-entrypoint.sh"], "Cmd": ["nginx", "-g", "daemon off;"],
      "Env": ["PATH=/usr/local/bin:/usr/bin", "NGINX_VERSION=1.25"],
      "WorkingDir": "/srv", "User": "101:101",
      "ExposedPorts": {"80/tcp": {}, "53/udp": {}, "8080": {}},
      "Healthcheck": {"Test": ["CMD", "true"]}, "Labels": {"a": "b"}
    },
    "rootfs": {"type": "layers", "diff_ids": []}
  })");
  ASSERT_TRUE(config) << config.error().message;
  EXPECT_EQ(config->entrypoint, std::vector<std::string>{"/docker-entrypoint.sh"});
  EXPECT_EQ(config->cmd, (std::vector<std::string>{"nginx", "-g", "daemon off;"}));
  EXPECT_EQ(config->env,
            (std::vector<std::string>{"PATH=/usr/local/bin:/usr/bin", "NGINX_VERSION=1.25"}));
  EXPECT_EQ(config->working_dir, "/srv");
  EXPECT_EQ(config->user, "101:101");
  EXPECT_EQ(config->exposed_ports, (std::vector<std::string>{"53/udp", "80/tcp", "8080/tcp"}));
}

TEST(ImageConfig, NullsAndAbsences) {
  auto config = parse_image_config(R"({"config": {"Entrypoint": null, "Cmd": null, "Env": null}})");
  ASSERT_TRUE(config) << config.error().message;
  EXPECT_EQ(*config, ImageConfig{});
  config = parse_image_config(R"({"os": "linux"})");
  ASSERT_TRUE(config);
  EXPECT_EQ(*config, ImageConfig{});
  EXPECT_FALSE(parse_image_config("[1, 2"));
}

TEST_F(Resolve, MissingImageMessage) {
  auto image = resolve(store(), "alpine:3.19");
  ASSERT_FALSE(image);
  EXPECT_EQ(image.error().message, "image 'alpine:3.19' not found in " + store().root() +
                                       " (import it: burrow-shim image import FILE)");
  image = resolve(store(), "sha256:" + std::string(64, 'c'));
  ASSERT_FALSE(image);
  EXPECT_NE(image.error().message.find("not found in"), std::string::npos);
}

TEST_F(Resolve, InvalidNameIsAnError) {
  auto image = resolve(store(), "Alpine");
  ASSERT_FALSE(image);
  EXPECT_NE(image.error().message.find("invalid image name 'Alpine'"), std::string::npos);
}

TEST_F(Resolve, EveryFormOfTheNameAndTheDigest) {
  auto test_image = TestImage::of({{file("a", "1")}});
  test_image.config = {{"Entrypoint", {"/bin/sh", "-c"}}, {"WorkingDir", "/w"}, {"User", "nobody"}};
  auto names = import_archive(store(), put("b.tar", docker_archive(test_image, {"busybox"})));
  ASSERT_TRUE(names) << names.error().message;
  auto image = resolve(store(), "busybox");
  ASSERT_TRUE(image) << image.error().message;
  EXPECT_EQ(image->name, "docker.io/library/busybox:latest");
  EXPECT_EQ(image->config.entrypoint, (std::vector<std::string>{"/bin/sh", "-c"}));
  EXPECT_EQ(image->config.working_dir, "/w");
  EXPECT_EQ(image->config.user, "nobody");
  for (std::string name : {"busybox:latest", "docker.io/library/busybox:latest", "library/busybox",
                           "index.docker.io/library/busybox"}) {
    auto other = resolve(store(), name);
    ASSERT_TRUE(other) << name << ": " << other.error().message;
    EXPECT_EQ(other->digest, image->digest) << name;
  }
  auto by_digest = resolve(store(), image->digest);
  ASSERT_TRUE(by_digest) << by_digest.error().message;
  EXPECT_EQ(by_digest->layers, image->layers);
  auto pinned = resolve(store(), "anything@" + image->digest);
  ASSERT_TRUE(pinned) << pinned.error().message;
  EXPECT_EQ(pinned->digest, image->digest);
  EXPECT_FALSE(resolve(store(), "busybox:other"));
}

TEST_F(Resolve, DamagedStoreIsAnErrorNotAnImage) {
  auto test_image = TestImage::of({{file("a", "1")}});
  ASSERT_TRUE(import_archive(store(), put("b.tar", docker_archive(test_image, {"x"}))));
  auto image = resolve(store(), "x");
  ASSERT_TRUE(image);
  std::string manifest = store().blob_path(image->digest);
  ::chmod(manifest.c_str(), 0644);
  write_file(manifest, read_file(manifest) + " ");
  auto damaged = resolve(store(), "x");
  ASSERT_FALSE(damaged);
  EXPECT_NE(damaged.error().message.find("is damaged"), std::string::npos)
      << damaged.error().message;
}

}  // namespace
}  // namespace burrow::shim::image
