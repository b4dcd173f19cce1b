#include "image/import.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>

#include "base/file.hpp"
#include "base/syscalls.hpp"
#include "image/archive_reader.hpp"
#include "image/extract.hpp"
#include "image/import_source.hpp"
#include "image/reference.hpp"
#include "image/remove_tree.hpp"
#include "image/sha256.hpp"

namespace burrow::shim::image {
namespace {

// A directory made under the store's tmp/ and removed with all it holds when this goes.
class TempDir {
 public:
  static Result<TempDir> create(const std::string& parent, const std::string& prefix) {
    std::string path = parent + "/" + prefix + "-XXXXXX";
    if (!::mkdtemp(path.data())) return Error::from_errno("create a temp directory in " + parent);
    return TempDir(std::move(path));
  }
  TempDir(TempDir&& other) noexcept : path_(std::exchange(other.path_, {})) {}
  TempDir& operator=(TempDir&&) = delete;
  ~TempDir() {
    if (!path_.empty()) (void)remove_tree(path_);
  }
  const std::string& path() const { return path_; }

 private:
  explicit TempDir(std::string path) : path_(std::move(path)) {}
  std::string path_;
};

}  // namespace

Result<Fd> ImportSource::open(const std::string& rel) const {
  auto fd = sys::open_in_root(dir.get(), rel, O_RDONLY);
  if (!fd) return Error::from_errno(path + ": " + rel, fd.error().code);
  return fd;
}

bool ImportSource::exists(const std::string& rel) const {
  return open(rel).ok();
}

Result<nlohmann::json> ImportSource::read_json(const std::string& rel, const Limits& limits) const {
  auto fd = BURROW_TRY(open(rel));
  struct stat st {};
  if (::fstat(fd.get(), &st) < 0) return Error::from_errno("stat " + rel);
  if (!S_ISREG(st.st_mode)) return Error::msg(path + ": " + rel + " is not a regular file");
  if (static_cast<uint64_t>(st.st_size) > limits.max_json_bytes)
    return Error::msg(path + ": " + rel + " is larger than " +
                      std::to_string(limits.max_json_bytes) + " bytes");
  auto text = BURROW_TRY(file::read_fd(fd.get(), rel));
  try {
    return nlohmann::json::parse(text);
  } catch (const nlohmann::json::exception& e) {
    return Error::msg(path + ": " + rel + ": " + e.what());
  }
}

Result<std::string> ImportSource::add_blob(const Store& store, const std::string& rel,
                                           std::string_view expected) const {
  auto fd = BURROW_TRY(open(rel));
  return store.add_blob_fd(fd.get(), expected, rel, private_copy);
}

Result<std::string> sniff_layer_media_type(int fd, const std::string& what) {
  unsigned char magic[4] = {};
  ssize_t n = ::pread(fd, magic, sizeof(magic), 0);
  if (n < 0) return Error::from_errno("read " + what);
  std::string type = "application/vnd.oci.image.layer.v1.tar";
  if (n >= 2 && magic[0] == 0x1f && magic[1] == 0x8b) return type + "+gzip";
  if (n == 4 && magic[0] == 0x28 && magic[1] == 0xb5 && magic[2] == 0x2f && magic[3] == 0xfd)
    return type + "+zstd";
  return type;
}

Result<std::string> diff_id_of(int fd, const std::string& what) {
  if (::lseek(fd, 0, SEEK_SET) < 0) return Error::from_errno("seek " + what);
  // libarchive's "raw" format over its decompression filters yields the uncompressed bytes.
  ArchiveReader reader(archive_read_new());
  if (!reader) return Error::msg("archive_read_new: out of memory", ENOMEM);
  archive_read_support_filter_all(reader.get());
  archive_read_support_format_raw(reader.get());
  if (archive_read_open_fd(reader.get(), fd, 1 << 16) != ARCHIVE_OK)
    return archive_error(reader.get(), what);
  struct archive_entry* entry;
  Sha256 hash;
  int r = archive_read_next_header(reader.get(), &entry);
  if (r == ARCHIVE_OK) {
    char buf[1 << 16];
    la_ssize_t n;
    while ((n = archive_read_data(reader.get(), buf, sizeof(buf))) > 0)
      hash.update(buf, static_cast<size_t>(n));
    if (n < 0) return archive_error(reader.get(), what);
  } else if (r != ARCHIVE_EOF) {
    return archive_error(reader.get(), what);
  }
  return "sha256:" + hash.hex();
}

std::string host_architecture() {
  struct utsname u {};
  ::uname(&u);
  std::string m = u.machine;
  if (m == "x86_64") return "amd64";
  if (m == "aarch64") return "arm64";
  if (m == "i386" || m == "i686") return "386";
  if (m.rfind("armv", 0) == 0) return "arm";
  return m;  // ppc64le, s390x, riscv64 are spelt the same
}

Result<std::string> canonical_archive_name(const std::string& name, const std::string& where) {
  auto ref = parse_reference(name);
  if (!ref) return ref.error().wrap(where);
  return ref->canonical();
}

Result<std::vector<std::string>> import_archive(const Store& store, const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) < 0) return Error::from_errno("import " + path);
  ImportSource src;
  src.path = path;
  std::optional<TempDir> extracted;
  if (S_ISDIR(st.st_mode)) {
    src.dir = BURROW_TRY(sys::open_path(path, O_RDONLY | O_DIRECTORY));
  } else {
    extracted.emplace(BURROW_TRY(TempDir::create(store.tmp_dir(), "import")));
    BURROW_TRY_CTX(extract_archive(path, extracted->path(), store.limits()), "import " + path);
    src.dir = BURROW_TRY(sys::open_path(extracted->path(), O_RDONLY | O_DIRECTORY));
    src.private_copy = true;
  }
  std::vector<IndexEntry> entries;
  if (src.exists("manifest.json")) {
    entries = BURROW_TRY_CTX(import_docker_archive(store, src), "import " + path);
  } else if (src.exists("oci-layout") && src.exists("index.json")) {
    entries = BURROW_TRY_CTX(import_oci_layout(store, src), "import " + path);
  } else {
    return Error::msg("import " + path +
                      ": neither `docker save` output (no manifest.json) nor an OCI image layout "
                      "(no oci-layout and index.json)");
  }
  if (entries.empty()) return Error::msg("import " + path + ": the archive holds no image");
  BURROW_TRY(store.add_index_entries(entries));
  std::vector<std::string> names;
  for (const auto& e : entries) names.push_back(e.name.empty() ? e.digest : e.name);
  return names;
}

}  // namespace burrow::shim::image
