#include "harness/network.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include <gtest/gtest.h>

#include "harness/command.hpp"

namespace integration {

namespace fs = std::filesystem;
using nlohmann::json;
using namespace std::chrono_literals;

namespace {

// The LISTEN lines of /proc/<pid>/net/tcp or tcp6: the "local_address" column of each.
std::vector<std::string> listening_addresses(const std::string& table) {
  std::vector<std::string> found;
  std::ifstream in(table);
  std::string line;
  std::getline(in, line);  // header
  while (std::getline(in, line)) {
    std::istringstream fields(line);
    std::string slot, local, remote, state;
    fields >> slot >> local >> remote >> state;
    if (state == "0A") found.push_back(local);  // TCP_LISTEN
  }
  return found;
}

}  // namespace

std::string forward_to_port_80() {
  return "tcp:127.0.0.1:" + std::to_string(kForwardedPort) + ":80";
}

std::string helper_path(const std::string& name) {
  for (const char* dir : {"/usr/bin/", "/usr/sbin/", "/bin/"}) {
    if (::access((dir + name).c_str(), X_OK) == 0) return dir + name;
  }
  return "";
}

Tweak with_network(const std::string& mode, const std::map<std::string, std::string>& annotations,
                   const std::vector<std::string>& args) {
  return [=](json& config) {
    config["annotations"]["run.burrow.network"] = mode;
    for (const auto& [key, value] : annotations) config["annotations"][key] = value;
    config["process"]["args"] = args;
  };
}

Tweak container_server(const std::string& work, const std::string& page, const std::string& mode,
                       const std::map<std::string, std::string>& annotations) {
  std::string www = work + "/www";
  fs::create_directories(www);
  write_text(www + "/index.html", page);
  Tweak network = with_network(mode, annotations, {"httpd", "-f", "-p", "80", "-h", "/srv"});
  return [=](json& config) {
    network(config);
    config["mounts"].push_back(
        {{"destination", "/srv"}, {"type", "bind"}, {"source", www}, {"options", {"rbind", "ro"}}});
  };
}

std::vector<std::string> host_server_command(const std::string& dir, const std::string& page) {
  fs::create_directories(dir);
  write_text(dir + "/index.html", page);
  return {"busybox", "httpd", "-f", "-p", "127.0.0.1:" + std::to_string(kHostServerPort),
          "-h",      dir};
}

namespace {

struct ProcessStat {
  std::string state;        // field 3
  uint64_t start_time = 0;  // field 22
};

std::optional<ProcessStat> read_process_stat(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string text((std::istreambuf_iterator<char>(in)), {});
  size_t close = text.rfind(')');
  if (close == std::string::npos) return std::nullopt;
  std::istringstream fields(text.substr(close + 2));
  ProcessStat stat;
  std::string field;
  fields >> stat.state;
  for (int i = 4; i <= 22; ++i) fields >> field;
  stat.start_time = std::stoull(field);
  return stat;
}

}  // namespace

std::optional<uint64_t> process_start_time(pid_t pid) {
  auto stat = read_process_stat(pid);
  if (!stat) return std::nullopt;
  return stat->start_time;
}

bool process_alive(pid_t pid, uint64_t start_time) {
  auto stat = read_process_stat(pid);
  return stat && stat->state != "Z" && stat->state != "X" && stat->start_time == start_time;
}

std::vector<std::string> tcp_listeners(const std::string& proc_net) {
  std::vector<std::string> found;
  for (const std::string& local : listening_addresses(proc_net + "/tcp")) {
    unsigned address = std::stoul(local.substr(0, 8), nullptr, 16);
    unsigned port = std::stoul(local.substr(9), nullptr, 16);
    char text[INET_ADDRSTRLEN];
    in_addr raw{address};
    ::inet_ntop(AF_INET, &raw, text, sizeof(text));
    found.push_back(std::string(text) + ":" + std::to_string(port));
  }
  for (const std::string& local : listening_addresses(proc_net + "/tcp6"))
    found.push_back("[v6]" + local);
  return found;
}

std::string http_get(int port) {
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<uint16_t>(port));
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  std::string reply;
  if (::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) == 0) {
    std::string request = "GET / HTTP/1.0\r\n\r\n";
    (void)!::write(fd, request.data(), request.size());
    struct pollfd readable = {fd, POLLIN, 0};
    char buffer[4096];
    while (::poll(&readable, 1, 3000) > 0) {
      ssize_t got = ::read(fd, buffer, sizeof(buffer));
      if (got <= 0) break;
      reply.append(buffer, static_cast<size_t>(got));
    }
  }
  ::close(fd);
  return reply;
}

std::string retry_until(const std::function<std::string()>& attempt, const std::string& wanted,
                        std::chrono::seconds limit) {
  auto deadline = std::chrono::steady_clock::now() + limit;
  std::string reply;
  while (std::chrono::steady_clock::now() < deadline) {
    reply = attempt();
    if (reply.find(wanted) != std::string::npos) break;
    std::this_thread::sleep_for(100ms);
  }
  return reply;
}

std::string http_get_until(int port, const std::string& wanted, std::chrono::seconds limit) {
  return retry_until([port] { return http_get(port); }, wanted, limit);
}

std::vector<pid_t> processes_mentioning(const std::string& text) {
  std::vector<pid_t> found;
  for (const auto& entry : fs::directory_iterator("/proc")) {
    std::string name = entry.path().filename();
    if (name.find_first_not_of("0123456789") != std::string::npos) continue;
    std::ifstream in(entry.path() / "cmdline");
    std::string cmdline((std::istreambuf_iterator<char>(in)), {});
    if (cmdline.find(text) != std::string::npos) found.push_back(std::stoi(name));
  }
  return found;
}

std::string squeeze_blanks(const std::string& text) {
  std::string out;
  for (char c : text) {
    bool blank = c == ' ' || c == '\t';
    if (blank && !out.empty() && out.back() == ' ') continue;
    out += blank ? ' ' : c;
  }
  return out;
}

json network_record(const std::string& state_root, const std::string& id) {
  std::ifstream in(state_root + "/" + id + "/network.json");
  json record = json::parse(in, nullptr, false);
  EXPECT_TRUE(record.is_object()) << "no network.json for " << id;
  return record.is_object() ? record : json::object();
}

void expect_helpers_gone(const json& record, std::chrono::seconds limit) {
  for (const char* which : {"watcher", "helper_process"}) {
    ASSERT_TRUE(record.contains(which)) << record.dump();
    pid_t pid = record[which]["pid"];
    uint64_t start = record[which]["start_time"];
    auto deadline = std::chrono::steady_clock::now() + limit;
    while (process_alive(pid, start) && std::chrono::steady_clock::now() < deadline)
      std::this_thread::sleep_for(50ms);
    EXPECT_FALSE(process_alive(pid, start)) << which << " " << pid << " is still running";
  }
}

void expect_helpers_alive(const json& record) {
  for (const char* which : {"watcher", "helper_process"}) {
    ASSERT_TRUE(record.contains(which)) << record.dump();
    EXPECT_TRUE(process_alive(record[which]["pid"], record[which]["start_time"]))
        << which << " is not running";
  }
}

std::vector<std::vector<std::string>> outer_network_setup() {
  return {{"ip", "link", "set", "lo", "up"},
          {"ip", "link", "add", "outer0", "type", "veth", "peer", "name", "outer1"},
          {"ip", "addr", "add", "10.99.0.1/24", "dev", "outer0"},
          {"ip", "link", "set", "outer0", "up"},
          {"ip", "link", "set", "outer1", "up"},
          {"ip", "route", "add", "default", "via", "10.99.0.254"}};
}

}  // namespace integration
