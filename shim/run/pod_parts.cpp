#include "run/pod_parts.hpp"

#include <fcntl.h>

#include <deque>

#include "base/file.hpp"
#include "run/container_fs.hpp"

namespace burrow::shim::run {

std::vector<std::string> container_environment(const std::vector<std::string>& image_env,
                                               const job::Variables& variables,
                                               const job::Variables& more) {
  std::vector<std::string> env = image_env;
  auto set = [&env](const job::Variable& v) {
    std::string prefix = v.key + "=";
    for (auto& entry : env) {
      if (entry.rfind(prefix, 0) == 0) {
        entry = prefix + v.value;
        return;
      }
    }
    env.push_back(prefix + v.value);
  };
  for (const auto& v : variables) set(v);
  for (const auto& v : more) set(v);
  return env;
}

std::vector<std::string> service_command(const job::ServiceSpec& service,
                                         const PreparedImage& image) {
  std::vector<std::string> command =
      service.image.entrypoint ? *service.image.entrypoint : image.image.config.entrypoint;
  const auto& cmd = service.command ? *service.command : image.image.config.cmd;
  command.insert(command.end(), cmd.begin(), cmd.end());
  return command;
}

std::string tail_lines(const std::string& path, size_t count) {
  auto text = file::read(path);
  if (!text) return "";
  std::deque<std::string> lines;
  size_t start = 0;
  while (start < text->size()) {
    size_t end = text->find('\n', start);
    if (end == std::string::npos) end = text->size();
    lines.push_back(text->substr(start, end - start));
    if (lines.size() > count) lines.pop_front();
    start = end + 1;
  }
  std::string out;
  for (const auto& line : lines) out += line + "\n";
  return out;
}

Result<image::Rootfs> PodRootfs::mount(const std::string& image_name,
                                       const std::string& container_dir,
                                       const std::function<void(const std::string&)>& warn) {
  const PreparedImage& image = images_->at(image_name);
  if (ids_.size == 0) return mount_container_rootfs(image.layers, container_dir, ids_);
  if (idmapped_) {
    if (!userns_) {
      std::string path = "/proc/" + std::to_string(infra_pid_) + "/ns/user";
      userns_.reset(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
      if (!userns_) return Error::from_errno("open " + path);
    }
    auto mounted = mount_container_rootfs(image.layers, container_dir, ids_, userns_.get());
    if (mounted) return mounted;
    warn("WARNING: idmapped layers: " + mounted.error().message +
         "; unpacking the images for this job's id range instead");
    idmapped_ = false;
  }
  image::IdShift shift{ids_.host_uid, ids_.host_gid, ids_.size};
  auto layers = BURROW_TRY(images_->layers_for(image_name, shift));
  return mount_container_rootfs(layers, container_dir, ids_);
}

}  // namespace burrow::shim::run
