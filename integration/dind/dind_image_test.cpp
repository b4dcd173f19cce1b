// The dind images of scripts/make-dind-image (issue 13, deliverable 1; label dind): docker:dind
// and docker:cli, built from Debian packages once per change of their inputs (the script caches
// them by content) and checked as their users take them:
//   DindImage.*       `burrow-shim image import` and `image list`, `docker load` into a private
//                     dockerd (its own data root, socket, network namespace and cgroup parent)
//                     and a run of each image there
//   DindEntrypoint.*  the docker:dind image's own rootfs (unpacked by umoci) as a burrow
//                     container of `burrow spec --profile dind` (a leased user namespace, the
//                     rootfs idmapped to it, a delegated cgroup): dockerd-entrypoint.sh with
//                     DOCKER_TLS_CERTDIR (certificates, TLS on 2376), without it (2375, no
//                     16 s wait, extra arguments to dockerd), a command run as is, and (in
//                     the VM tier's guest, cgroup v2) the move to init/ and the controllers
// A machine without mmdebstrap or the Debian archive skips them all with the script's reason.
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <sstream>
#include <thread>

#include "clients/client_sandbox.hpp"
#include "dind/dind_images.hpp"
#include "harness/environment.hpp"
#include "harness/leftovers.hpp"

namespace integration::dind {
namespace {

namespace fs = std::filesystem;
using clients::ClientSandbox;
using nlohmann::json;
using namespace std::chrono_literals;

const std::string kDindName = "docker:dind";
const std::string kCliName = "docker:cli";
const std::string kPath = "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
const std::string kDockerCli = "/usr/bin/docker";  // Debian's, for the private dockerd
const std::string kDockerd = "/usr/sbin/dockerd";

// Skips or fails the calling test when the images are not there.
#define REQUIRE_IMAGES()                                               \
  do {                                                                 \
    if (!running_as_root()) GTEST_SKIP() << "needs root (mmdebstrap)"; \
    const Images& built = dind_images(DIND_TEST_DIR);                  \
    if (!built.skip.empty()) GTEST_SKIP() << built.skip;               \
    ASSERT_TRUE(built.error.empty()) << built.error;                   \
  } while (false)

bool contains(const json& list, const std::string& value) {
  return list.is_array() && std::find(list.begin(), list.end(), value) != list.end();
}

// --- the archives as the shim and docker read them ------------------------------------------

class DindImage : public ::testing::Test {
 protected:
  void SetUp() override { REQUIRE_IMAGES(); }
};

TEST_F(DindImage, ShimImportsBothAndListsTheirConfig) {
  std::string dir = make_temp_dir("dind-store");
  std::string store = dir + "/store";
  auto imported = run_command({SHIM_BINARY, "image", "import", "--images", store,
                               dind_images(DIND_TEST_DIR).dind, dind_images(DIND_TEST_DIR).cli},
                              dir, 300s);
  ASSERT_EQ(imported.exit_code, 0) << imported.describe();
  EXPECT_EQ(imported.out,
            "imported docker.io/library/docker:dind\nimported docker.io/library/docker:cli\n");
  auto listed =
      run_command({SHIM_BINARY, "image", "list", "--images", store, "--format", "json"}, dir, 60s);
  ASSERT_EQ(listed.exit_code, 0) << listed.describe();
  json list = json::parse(listed.out, nullptr, false);
  ASSERT_TRUE(list.is_array()) << listed.out;
  std::map<std::string, json> by_name;
  for (const auto& image : list) by_name[image.value("name", "")] = image;
  ASSERT_TRUE(by_name.count("docker.io/library/docker:dind")) << listed.out;
  ASSERT_TRUE(by_name.count("docker.io/library/docker:cli")) << listed.out;

  const json& dind = by_name["docker.io/library/docker:dind"];
  EXPECT_EQ(dind["entrypoint"], json({"dockerd-entrypoint.sh"})) << dind;
  EXPECT_EQ(dind["cmd"], json::array()) << dind;
  EXPECT_EQ(dind["exposed_ports"], json({"2375/tcp", "2376/tcp"})) << dind;
  EXPECT_TRUE(contains(dind["env"], "DOCKER_TLS_CERTDIR=/certs")) << dind;
  EXPECT_TRUE(contains(dind["env"], kPath)) << dind;

  const json& cli = by_name["docker.io/library/docker:cli"];
  EXPECT_EQ(cli["entrypoint"], json({"docker-entrypoint.sh"})) << cli;
  EXPECT_EQ(cli["cmd"], json({"sh"})) << cli;
  EXPECT_TRUE(contains(cli["env"], "DOCKER_TLS_CERTDIR=/certs")) << cli;
  fs::remove_all(dir);
}

TEST_F(DindImage, DockerLoadsBothAndRunsThem) {
  std::string why_not;
  if (!clients::installed(kDockerd, "dockerd", &why_not) ||
      !clients::installed(kDockerCli, "docker CLI", &why_not)) {
    GTEST_SKIP() << why_not;
  }
  ClientSandbox sandbox("dindload");
  const std::string socket = "unix://" + sandbox.dir() + "/docker.sock";
  json config = {{"exec-opts", {"native.cgroupdriver=cgroupfs"}},
                 {"cgroup-parent", sandbox.marker()}};
  write_text(sandbox.dir() + "/daemon.json", config.dump(2));
  sandbox.start_daemon({kDockerd, "--config-file", sandbox.dir() + "/daemon.json", "--data-root",
                        sandbox.dir() + "/data", "--exec-root", sandbox.dir() + "/exec", "-H",
                        socket, "--pidfile", sandbox.dir() + "/docker.pid"});
  auto docker = [&](std::vector<std::string> args) {
    args.insert(args.begin(), {kDockerCli, "-H", socket});
    return sandbox.run(args, 300s);
  };
  why_not = sandbox.wait_ready({kDockerCli, "-H", socket, "version"}, 60s);
  if (!why_not.empty()) GTEST_SKIP() << "dockerd cannot start here: " << why_not;

  for (const auto& [archive, name] : {std::pair{dind_images(DIND_TEST_DIR).dind, kDindName},
                                      std::pair{dind_images(DIND_TEST_DIR).cli, kCliName}}) {
    auto loaded = docker({"load", "-i", archive});
    ASSERT_EQ(loaded.exit_code, 0) << loaded.describe();
    EXPECT_EQ(loaded.out, "Loaded image: " + name + "\n") << loaded.describe();
  }
  auto inspected = docker({"image", "inspect", "-f", "{{json .Config}}", kDindName});
  ASSERT_EQ(inspected.exit_code, 0) << inspected.describe();
  json dind = json::parse(inspected.out, nullptr, false);
  EXPECT_EQ(dind["Entrypoint"], json({"dockerd-entrypoint.sh"})) << inspected.out;
  EXPECT_TRUE(dind["ExposedPorts"].contains("2375/tcp")) << inspected.out;
  EXPECT_TRUE(dind["ExposedPorts"].contains("2376/tcp")) << inspected.out;
  EXPECT_TRUE(dind["Volumes"].contains("/var/lib/docker")) << inspected.out;
  EXPECT_TRUE(contains(dind["Env"], "DOCKER_TLS_CERTDIR=/certs")) << inspected.out;

  // Both run (under the daemon's runc): every library their programs load is in them, and the
  // CLI image's entrypoint hands an option to docker and runs any other command as is.
  auto daemon_version = docker(
      {"run", "--rm", "--network", "none", "--entrypoint", "dockerd", kDindName, "--version"});
  EXPECT_EQ(daemon_version.exit_code, 0) << daemon_version.describe();
  EXPECT_NE(daemon_version.out.find("Docker version 20.10"), std::string::npos)
      << daemon_version.describe();
  auto cli_option = docker({"run", "--rm", "--network", "none", kCliName, "--version"});
  EXPECT_EQ(cli_option.exit_code, 0) << cli_option.describe();
  EXPECT_NE(cli_option.out.find("Docker version 20.10"), std::string::npos)
      << cli_option.describe();
  auto cli_shell =
      docker({"run", "--rm", "--network", "none", "-e", "DOCKER_TLS_CERTDIR=", kCliName, "sh", "-c",
              "echo $DOCKER_HOST; ls /bin/ls"});
  EXPECT_EQ(cli_shell.exit_code, 0) << cli_shell.describe();
  EXPECT_EQ(cli_shell.out, "tcp://docker:2375\n/bin/ls\n") << cli_shell.describe();
  if (HasFailure()) std::cerr << "dockerd log tail:\n" << sandbox.daemon_log_tail() << "\n";
}

// --- the entrypoint, in a burrow container of the dind profile ------------------------------

// The dind image's rootfs, unpacked by umoci once per image (named by its manifest digest) and
// shared read-only by the tests.
std::string unpacked_rootfs(std::string* why_not) {
  if (::access("/usr/bin/umoci", X_OK) != 0) {
    *why_not = "no /usr/bin/umoci (scripts/setup installs it)";
    return "";
  }
  const std::string dir = DIND_TEST_DIR;
  auto index =
      run_command({"tar", "-xOf", dind_images(DIND_TEST_DIR).dind, "index.json"}, dir, 60s);
  json parsed = json::parse(index.out, nullptr, false);
  if (index.exit_code != 0 || !parsed.is_object()) {
    *why_not = "no index.json in " + dind_images(DIND_TEST_DIR).dind + ": " + index.describe();
    return "";
  }
  std::string digest = parsed["manifests"][0].value("digest", "");
  std::string bundle = dir + "/rootfs-" + digest.substr(digest.find(':') + 1, 16);
  int lock = ::open((dir + "/unpack.lock").c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (lock < 0 || ::flock(lock, LOCK_EX) < 0) {
    *why_not = "cannot lock " + dir + "/unpack.lock";
    return "";
  }
  if (!fs::exists(bundle + "/rootfs/usr/local/bin/dockerd-entrypoint.sh")) {
    // Older unpacked images go; the layout is extracted beside them and removed after.
    for (const auto& entry : fs::directory_iterator(dir)) {
      if (entry.path().filename().string().rfind("rootfs-", 0) == 0) fs::remove_all(entry.path());
    }
    std::string layout = dir + "/layout";
    fs::remove_all(layout);
    fs::create_directories(layout);
    auto extracted =
        run_command({"tar", "-xf", dind_images(DIND_TEST_DIR).dind, "-C", layout}, dir, 300s);
    auto unpacked =
        extracted.exit_code != 0
            ? extracted
            : run_command({"umoci", "unpack", "--image", layout + ":dind", bundle}, dir, 600s);
    fs::remove_all(layout);
    // umoci makes the bundle 0700; the container's root (a leased host uid) walks through it.
    ::chmod(bundle.c_str(), 0755);
    if (unpacked.exit_code != 0) {
      *why_not = "umoci unpack of " + dind_images(DIND_TEST_DIR).dind + ": " + unpacked.describe();
      fs::remove_all(bundle);
      ::close(lock);
      return "";
    }
  }
  ::close(lock);
  return bundle + "/rootfs";
}

class DindEntrypoint : public ::testing::Test {
 protected:
  void SetUp() override {
    REQUIRE_IMAGES();
    if (!runtime_is_burrow()) GTEST_SKIP() << "uses burrow's dind profile";
    std::string why_not;
    rootfs_ = unpacked_rootfs(&why_not);
    ASSERT_FALSE(rootfs_.empty()) << why_not;
    sandbox_.emplace("dindep");
    id_ = sandbox_->marker();
    fs::create_directories(certs());
    // The service alias resolves as in a job's pod (burrow-shim maps it to 127.0.0.1).
    write_text(sandbox_->dir() + "/hosts", "127.0.0.1\tlocalhost docker\n::1\tlocalhost\n");
  }

  void TearDown() override {
    if (!sandbox_) return;
    if (HasFailure()) std::cerr << "container output:\n" << read_text(log()) << "\n";
    burrow({"delete", "--force", id_});
    EXPECT_EQ(describe_leftovers(state(), id_, {sandbox_->dir()}), "");
    sandbox_.reset();
  }

  std::string state() const { return sandbox_->dir() + "/state"; }
  std::string bundle() const { return sandbox_->dir() + "/bundle"; }
  std::string log() const { return sandbox_->dir() + "/container.log"; }
  std::string certs() const { return sandbox_->dir() + "/certs"; }

  CommandResult burrow(const std::vector<std::string>& args,
                       std::chrono::milliseconds timeout = 120s) const {
    std::vector<std::string> argv = {runtime_path(), "--root", state()};
    argv.insert(argv.end(), args.begin(), args.end());
    return sandbox_->run(argv, timeout);
  }

  CommandResult inside(const std::string& script) const {
    return burrow({"exec", id_, "sh", "-c", script}, 60s);
  }

  // `burrow spec --profile dind` on the image's rootfs (read-only, idmapped to the leased
  // range), its cgroup delegated, tmpfs where dockerd writes, /certs from the host (idmapped
  // too, so the test reads what the container's root writes) and the pod's /etc/hosts.
  void write_bundle(const std::vector<std::string>& args, const std::vector<std::string>& env) {
    fs::create_directories(bundle());
    auto spec = burrow({"spec", "--profile", "dind", "--bundle", bundle()});
    ASSERT_EQ(spec.exit_code, 0) << spec.describe();
    json config = json::parse(read_text(bundle() + "/config.json"));
    config["process"]["terminal"] = false;
    config["process"]["args"] = args;
    config["process"]["env"] = env;
    config["root"] = {{"path", rootfs_}, {"readonly", true}};
    config["hostname"] = "dind";
    config["annotations"]["run.burrow.cgroup.delegate"] = "true";
    auto tmpfs = [](const std::string& to, const std::string& mode) {
      return json{{"destination", to},
                  {"type", "tmpfs"},
                  {"source", "tmpfs"},
                  {"options", {"nosuid", "nodev", "mode=" + mode}}};
    };
    auto bind = [](const std::string& from, const std::string& to, const json& options) {
      return json{{"destination", to}, {"type", "bind"}, {"source", from}, {"options", options}};
    };
    for (const json& mount :
         {tmpfs("/run", "755"), tmpfs("/tmp", "1777"), tmpfs("/var/lib/docker", "711"),
          tmpfs("/etc/docker", "700"), bind(certs(), "/certs", {"rbind", "rw", "idmap"}),
          bind(sandbox_->dir() + "/hosts", "/etc/hosts", {"bind", "ro"})}) {
      config["mounts"].push_back(mount);
    }
    write_text(bundle() + "/config.json", config.dump(2));
  }

  // Starts the container detached; its stdio (the daemon's log) go to log().
  void start(const std::vector<std::string>& args, const std::vector<std::string>& env) {
    ASSERT_NO_FATAL_FAILURE(write_bundle(args, env));
    auto started =
        sandbox_->run({"sh", "-c", "exec \"$0\" \"$@\" >'" + log() + "' 2>&1", runtime_path(),
                       "--root", state(), "run", "-d", "--bundle", bundle(), id_});
    ASSERT_EQ(started.exit_code, 0) << started.describe();
  }

  // Polls `script` inside until it succeeds; the last result either way.
  CommandResult wait_inside(const std::string& script, std::chrono::seconds timeout) const {
    auto deadline = std::chrono::steady_clock::now() + timeout;
    CommandResult last;
    while (std::chrono::steady_clock::now() < deadline) {
      last = inside(script);
      if (last.exit_code == 0) return last;
      std::this_thread::sleep_for(200ms);
    }
    return last;
  }

  std::string rootfs_;
  std::optional<ClientSandbox> sandbox_;
  std::string id_;
};

TEST_F(DindEntrypoint, WithTlsCertdirServesTlsOn2376AndHandsOutClientCerts) {
  ASSERT_NO_FATAL_FAILURE(start({"dockerd-entrypoint.sh"}, {kPath, "DOCKER_TLS_CERTDIR=/certs"}));
  // The client set appears whole: whenever the dir is there, so are all three files.
  const std::string client = certs() + "/client";
  auto deadline = std::chrono::steady_clock::now() + 60s;
  bool complete = false;
  while (!complete && std::chrono::steady_clock::now() < deadline) {
    if (fs::exists(client)) {
      for (const char* file : {"ca.pem", "cert.pem", "key.pem"}) {
        ASSERT_GT(fs::exists(client + "/" + file) ? fs::file_size(client + "/" + file) : 0, 0u)
            << client << " is there without a whole " << file;
      }
      complete = true;
    } else {
      std::this_thread::sleep_for(20ms);
    }
  }
  ASSERT_TRUE(complete) << "no " << client << " within 60 s";

  auto san = run_command(
      {"openssl", "x509", "-in", certs() + "/server/cert.pem", "-noout", "-ext", "subjectAltName"},
      sandbox_->dir());
  ASSERT_EQ(san.exit_code, 0) << san.describe();
  for (const char* name : {"DNS:docker", "DNS:localhost", "DNS:dind", "IP Address:127.0.0.1"})
    EXPECT_NE(san.out.find(name), std::string::npos) << name << " not in " << san.out;
  auto verified = run_command({"openssl", "verify", "-CAfile", client + "/ca.pem",
                               client + "/cert.pem", certs() + "/server/cert.pem"},
                              sandbox_->dir());
  EXPECT_EQ(verified.exit_code, 0) << verified.describe();

  // The job's view: the service alias, TLS verified both ways.
  auto info = wait_inside(
      "DOCKER_CERT_PATH=/certs/client docker --tlsverify -H tcp://docker:2376 info "
      "--format '{{.ServerVersion}}'",
      60s);
  ASSERT_EQ(info.exit_code, 0) << info.describe();
  EXPECT_EQ(info.out.rfind("20.10", 0), 0u) << info.describe();
  // Without a client certificate the daemon refuses, and there is no plain port.
  auto anonymous = inside(
      "docker -H tcp://docker:2376 info >/dev/null 2>&1 || echo refused; "
      "docker -H tcp://docker:2375 info >/dev/null 2>&1 || echo no-2375");
  EXPECT_EQ(anonymous.out, "refused\nno-2375\n") << anonymous.describe();
}

TEST_F(DindEntrypoint, WithoutTlsCertdirServesPlainTcpAtOnceAndPassesOptionsToDockerd) {
  auto begun = std::chrono::steady_clock::now();
  ASSERT_NO_FATAL_FAILURE(
      start({"dockerd-entrypoint.sh", "--mtu", "1400"}, {kPath, "DOCKER_TLS_CERTDIR="}));
  auto info = wait_inside("docker -H tcp://127.0.0.1:2375 info --format '{{.ServerVersion}}'", 60s);
  auto seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - begun).count();
  ASSERT_EQ(info.exit_code, 0) << info.describe();
  std::cerr << "plain tcp answered " << seconds << " s after run -d\n";
  // Debian's dockerd 20.10 sleeps 15 s more on a plain tcp socket unless told --tls=false.
  std::string output = read_text(log());
  EXPECT_EQ(output.find("Startup is intentionally being slowed down"), std::string::npos) << output;
  EXPECT_LT(seconds, 15.0);
  EXPECT_FALSE(fs::exists(certs() + "/client")) << "certificates made without DOCKER_TLS_CERTDIR";
  auto mtu = inside(
      "docker -H tcp://127.0.0.1:2375 network inspect bridge "
      "-f '{{index .Options \"com.docker.network.driver.mtu\"}}'");
  EXPECT_EQ(mtu.out, "1400\n") << mtu.describe();
  // The unix socket is served too.
  auto unix_socket = inside("docker -H unix:///var/run/docker.sock version >/dev/null && echo ok");
  EXPECT_EQ(unix_socket.out, "ok\n") << unix_socket.describe();
}

TEST_F(DindEntrypoint, RunsACommandThatIsNoOptionAsIs) {
  ASSERT_NO_FATAL_FAILURE(write_bundle(
      {"dockerd-entrypoint.sh", "sh", "-c", "echo ran-as-is: \"$0\"; ls /certs", "arg0"},
      {kPath, "DOCKER_TLS_CERTDIR=/certs"}));
  auto ran = burrow({"run", "--bundle", bundle(), id_}, 60s);
  EXPECT_EQ(ran.exit_code, 0) << ran.describe();
  // No dockerd and no certificates: the command was all that ran.
  EXPECT_EQ(ran.out, "ran-as-is: arg0\n") << ran.describe();
}

// The cgroup v2 step, which this hybrid host cannot show: the same container in the VM tier's
// qemu guest (a full cgroup v2; integration/vm/run-in-vm, one boot). A shell as the container's
// init runs the entrypoint with `dockerd --version`, so dockerd's setup is all that happens, and
// then reports what it left: every process moved out of the (namespaced) root cgroup into
// init/, every controller enabled for the children, and / shared.
TEST_F(DindEntrypoint, CgroupV2NestingInTheVm) {
  const std::string run_in_vm = BURROW_SOURCE_DIR "/integration/vm/run-in-vm";
  auto check = run_command({run_in_vm, "--check"}, sandbox_->dir(), 60s);
  if (check.exit_code != 0) GTEST_SKIP() << "no VM: " << check.out << check.err;
  // The guest sees the host's root but not its /tmp: the bundle lives in the build dir.
  const std::string work = DIND_TEST_DIR "/v2-" + std::to_string(::getpid());
  fs::remove_all(work);
  fs::create_directories(work + "/bundle");
  ::chmod(work.c_str(), 0755);
  auto spec = burrow({"spec", "--profile", "dind", "--bundle", work + "/bundle"});
  ASSERT_EQ(spec.exit_code, 0) << spec.describe();
  const std::string report =
      "echo cgroup=$(cat /proc/self/cgroup) root-procs=$(wc -l </sys/fs/cgroup/cgroup.procs) "
      "subtree=[$(cat /sys/fs/cgroup/cgroup.subtree_control)] "
      "propagation=$(findmnt -no PROPAGATION /)";
  json config = json::parse(read_text(work + "/bundle/config.json"));
  config["process"]["terminal"] = false;
  config["process"]["args"] = {"sh", "-c",
                               report + "; dockerd-entrypoint.sh dockerd --version; " + report};
  config["process"]["env"] = {kPath};
  config["root"] = {{"path", rootfs_}, {"readonly", true}};
  config["annotations"]["run.burrow.cgroup.delegate"] = "true";
  for (const char* dir : {"/run", "/tmp"}) {
    config["mounts"].push_back({{"destination", dir},
                                {"type", "tmpfs"},
                                {"source", "tmpfs"},
                                {"options", {"nosuid", "nodev", "mode=1777"}}});
  }
  write_text(work + "/bundle/config.json", config.dump(2));
  auto ran = run_command({run_in_vm, "--timeout", "600", "--", runtime_path(), "--root",
                          work + "/state", "run", "--bundle", work + "/bundle", id_},
                         DIND_TEST_DIR, 700s);
  fs::remove_all(work);
  ASSERT_EQ(ran.exit_code, 0) << ran.describe();
  std::istringstream lines(ran.out);
  std::string before, version, after;
  std::getline(lines, before);
  std::getline(lines, version);
  std::getline(lines, after);
  EXPECT_EQ(before.rfind("cgroup=0::/ root-procs=", 0), 0u) << ran.out;
  EXPECT_EQ(version.rfind("Docker version 20.10", 0), 0u) << ran.out;
  EXPECT_EQ(after.rfind("cgroup=0::/init root-procs=0 subtree=[", 0), 0u) << ran.out;
  auto subtree_of = [](const std::string& line) {
    std::set<std::string> controllers;
    size_t start = line.find("subtree=[");
    if (start == std::string::npos) return controllers;
    start += 9;
    std::istringstream words(line.substr(start, line.find(']', start) - start));
    for (std::string word; words >> word;) controllers.insert(word);
    return controllers;
  };
  EXPECT_TRUE(subtree_of(before).empty()) << ran.out;
  for (const char* controller : {"cpu", "memory", "pids"})
    EXPECT_TRUE(subtree_of(after).count(controller)) << controller << " not enabled: " << ran.out;
  EXPECT_NE(after.find("propagation=shared"), std::string::npos) << ran.out;
}

}  // namespace
}  // namespace integration::dind
