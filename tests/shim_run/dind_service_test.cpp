#include "run/dind_service.hpp"

#include <sys/stat.h>

#include <gtest/gtest.h>

#include <filesystem>

namespace burrow::shim::run {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

class DindServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = fs::temp_directory_path() / ("dind-service-test-" + std::to_string(::getpid()));
    fs::create_directories(root_);
    auto made = pod::JobDir::create(root_.string(), "7-1");
    ASSERT_TRUE(made) << made.error().message;
    dir_.emplace(std::move(made).value());
  }
  void TearDown() override { fs::remove_all(root_); }

  fs::path root_;
  std::optional<pod::JobDir> dir_;
};

TEST_F(DindServiceTest, BindsADataDirAndTheClientCertsUnderTheJobDir) {
  pod::ContainerPlan plan;
  plan.env = {"PATH=/bin", "DOCKER_TLS_CERTDIR=/certs"};
  auto made = prepare_dind_service(*dir_, pod::IdRange{0, 0, 0}, "svc0", plan, int64_t{1} << 29);
  ASSERT_TRUE(made) << made.error().message;
  const DindService& service = *made;
  EXPECT_EQ(plan.profile, "dind");
  EXPECT_EQ(plan.memory_limit, int64_t{1} << 29);
  EXPECT_EQ(service.docker_dir, dir_->path() + "/svc0.docker");
  EXPECT_EQ(service.certs_dir, dir_->path() + "/svc0.certs");
  EXPECT_EQ(service.certs_path, "/certs/client");
  struct stat st {};
  ASSERT_EQ(::stat(service.docker_dir.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 07777, 0710u);
  ASSERT_EQ(::stat(service.certs_dir.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 07777, 0755u);
  ASSERT_EQ(plan.extra_mounts.size(), 2u);
  EXPECT_EQ(plan.extra_mounts[0]["destination"], "/var/lib/docker");
  EXPECT_EQ(plan.extra_mounts[1], pod::bind_mount(service.certs_dir, "/certs/client", false));
  EXPECT_EQ(service.cert_files(), (std::vector<std::string>{service.certs_dir + "/ca.pem",
                                                            service.certs_dir + "/cert.pem",
                                                            service.certs_dir + "/key.pem"}));
  EXPECT_EQ(job_certs_mounts({service}),
            std::vector<nlohmann::json>{pod::bind_mount(service.certs_dir, "/certs/client", true)});
  // A second service whose client set goes to the same path: the first one's is the job's.
  DindService second = service;
  second.certs_dir = service.certs_dir + "-second";
  EXPECT_EQ(job_certs_mounts({service, second}),
            std::vector<nlohmann::json>{pod::bind_mount(service.certs_dir, "/certs/client", true)});
}

TEST_F(DindServiceTest, WithoutTlsHasNoCerts) {
  pod::ContainerPlan plan;
  plan.env = {"DOCKER_TLS_CERTDIR="};
  auto made = prepare_dind_service(*dir_, pod::IdRange{0, 0, 0}, "svc1", plan, std::nullopt);
  ASSERT_TRUE(made) << made.error().message;
  EXPECT_EQ(made->certs_dir, "");
  EXPECT_TRUE(made->cert_files().empty());
  EXPECT_TRUE(job_certs_mounts({*made}).empty());
  EXPECT_EQ(plan.extra_mounts.size(), 1u);
  EXPECT_FALSE(fs::exists(dir_->path() + "/svc1.certs"));
}

}  // namespace
}  // namespace burrow::shim::run
