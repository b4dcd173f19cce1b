#include "image/store.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <nlohmann/json.hpp>

#include "base/file.hpp"
#include "image/sha256.hpp"

namespace burrow::shim::image {
namespace {

constexpr const char* kRefName = "org.opencontainers.image.ref.name";

Status write_all(int fd, const char* data, size_t size, const std::string& what) {
  while (size > 0) {
    ssize_t n = ::write(fd, data, size);
    if (n < 0) {
      if (errno == EINTR) continue;
      return Error::from_errno("write " + what);
    }
    data += n;
    size -= static_cast<size_t>(n);
  }
  return {};
}

// A temp file under `dir` (mkstemp: unique across threads and processes), removed unless kept.
class TempFile {
 public:
  static Result<TempFile> create(const std::string& dir) {
    std::string path = dir + "/blob-XXXXXX";
    int fd = ::mkostemp(path.data(), O_CLOEXEC);
    if (fd < 0) return Error::from_errno("create a temp file in " + dir);
    return TempFile(Fd(fd), std::move(path));
  }
  TempFile(TempFile&& other) noexcept
      : fd(std::move(other.fd)), path(std::exchange(other.path, {})) {}
  TempFile& operator=(TempFile&&) = delete;
  ~TempFile() {
    if (!path.empty()) ::unlink(path.c_str());
  }
  void keep() { path.clear(); }

  Fd fd;
  std::string path;

 private:
  TempFile(Fd f, std::string p) : fd(std::move(f)), path(std::move(p)) {}
};

// Renames `from` to the blob path of `digest`, read-only. A blob already there has the same
// content (its name is its hash), so losing that race is success.
Status install_blob(const Store& store, const std::string& from, const std::string& digest) {
  std::string to = store.blob_path(digest);
  if (::chmod(from.c_str(), 0444) < 0) return Error::from_errno("chmod " + from);
  if (::rename(from.c_str(), to.c_str()) < 0) return Error::from_errno("rename to " + to);
  return {};
}

Error mismatch(const std::string& what, std::string_view expected, const std::string& actual) {
  return Error::msg("blob " + what + ": digest mismatch: expected " + std::string(expected) +
                    ", content is " + actual);
}

}  // namespace

Result<FileLock> FileLock::acquire(const std::string& path) {
  Fd fd(::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600));
  if (!fd) return Error::from_errno("open lock " + path);
  while (::flock(fd.get(), LOCK_EX) < 0)
    if (errno != EINTR) return Error::from_errno("lock " + path);
  return FileLock(std::move(fd));
}

std::string default_store_dir() {
  if (::geteuid() == 0) return "/var/lib/burrow/images";
  const char* data = std::getenv("XDG_DATA_HOME");
  if (data && *data == '/') return std::string(data) + "/burrow/images";
  const char* home = std::getenv("HOME");
  return std::string(home && *home ? home : "/") + "/.local/share/burrow/images";
}

Result<Store> Store::open(const std::string& root, Limits limits) {
  if (root.empty()) return Error::msg("image store: no directory given");
  Store store(root, limits);
  for (const char* sub : {"/blobs/sha256", "/layers", "/tmp", "/locks"})
    BURROW_TRY_CTX(file::mkdir_all(root + sub, 0700), "image store " + root);
  // Created under the lock: write_atomic's temp name is per process, not per thread.
  struct stat st {};
  auto missing = [&](const char* name) { return ::stat((root + name).c_str(), &st) < 0; };
  if (missing("/oci-layout") || missing("/index.json")) {
    auto lock = BURROW_TRY(FileLock::acquire(root + "/lock"));
    if (missing("/oci-layout"))
      BURROW_TRY_CTX(file::write_atomic(root + "/oci-layout", R"({"imageLayoutVersion":"1.0.0"})"),
                     "image store " + root);
    if (missing("/index.json")) BURROW_TRY_CTX(store.write_index({}), "image store " + root);
  }
  return store;
}

std::string Store::blob_path(std::string_view digest) const {
  return root_ + "/blobs/sha256/" + digest_hex(digest);
}

bool Store::has_blob(std::string_view digest) const {
  struct stat st {};
  return is_sha256_digest(digest) && ::stat(blob_path(digest).c_str(), &st) == 0;
}

Result<std::string> Store::read_blob(std::string_view digest) const {
  if (!is_sha256_digest(digest)) return Error::msg("bad digest '" + std::string(digest) + "'");
  std::string path = blob_path(digest);
  Fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (!fd) return Error::from_errno("blob " + std::string(digest));
  struct stat st {};
  if (::fstat(fd.get(), &st) < 0) return Error::from_errno("stat " + path);
  if (static_cast<uint64_t>(st.st_size) > limits_.max_json_bytes)
    return Error::msg("blob " + std::string(digest) + " is larger than " +
                      std::to_string(limits_.max_json_bytes) + " bytes");
  auto data = BURROW_TRY(file::read_fd(fd.get(), path));
  if (auto actual = sha256_digest(data); actual != digest)
    return Error::msg("image store " + root_ +
                      " is damaged: " + mismatch(path, digest, actual).message);
  return data;
}

Result<std::string> Store::add_blob(std::string_view data) const {
  std::string digest = sha256_digest(data);
  if (has_blob(digest)) return digest;
  auto tmp = BURROW_TRY(TempFile::create(tmp_dir()));
  BURROW_TRY(write_all(tmp.fd.get(), data.data(), data.size(), tmp.path));
  if (::fsync(tmp.fd.get()) < 0) return Error::from_errno("fsync " + tmp.path);
  BURROW_TRY(install_blob(*this, tmp.path, digest));
  tmp.keep();
  return digest;
}

Result<std::string> Store::add_blob_fd(int fd, std::string_view expected, const std::string& what,
                                       bool link_in) const {
  if (!expected.empty() && !is_sha256_digest(expected))
    return Error::msg("blob " + what + ": unsupported digest '" + std::string(expected) +
                      "' (only sha256 is)");
  struct stat st {};
  if (::fstat(fd, &st) < 0) return Error::from_errno("stat blob " + what);
  if (!S_ISREG(st.st_mode)) return Error::msg("blob " + what + ": not a regular file");
  if (link_in) {
    auto digest = BURROW_TRY(sha256_fd(fd, what));
    if (!expected.empty() && digest != expected) return mismatch(what, expected, digest);
    if (::fchmod(fd, 0444) < 0) return Error::from_errno("chmod blob " + what);
    // link(2) makes the name appear with the whole content; an existing blob is the same bytes.
    std::string to = blob_path(digest);
    if (::linkat(AT_FDCWD, ("/proc/self/fd/" + std::to_string(fd)).c_str(), AT_FDCWD, to.c_str(),
                 AT_SYMLINK_FOLLOW) < 0 &&
        errno != EEXIST)
      return Error::from_errno("link blob " + what + " to " + to);
    return digest;
  }
  int in = fd;
  // Copy while hashing, so the bytes stored are the bytes hashed even if `path` changes.
  auto tmp = BURROW_TRY(TempFile::create(tmp_dir()));
  Sha256 hash;
  char buf[1 << 16];
  for (;;) {
    ssize_t n = ::read(in, buf, sizeof(buf));
    if (n < 0) {
      if (errno == EINTR) continue;
      return Error::from_errno("read blob " + what);
    }
    if (n == 0) break;
    hash.update(buf, static_cast<size_t>(n));
    BURROW_TRY(write_all(tmp.fd.get(), buf, static_cast<size_t>(n), tmp.path));
  }
  std::string digest = "sha256:" + hash.hex();
  if (!expected.empty() && digest != expected) return mismatch(what, expected, digest);
  if (::fsync(tmp.fd.get()) < 0) return Error::from_errno("fsync " + tmp.path);
  BURROW_TRY(install_blob(*this, tmp.path, digest));
  tmp.keep();
  return digest;
}

Result<std::vector<IndexEntry>> Store::read_index() const {
  std::string path = root_ + "/index.json";
  auto text = BURROW_TRY(file::read(path));
  std::vector<IndexEntry> entries;
  try {
    auto doc = nlohmann::json::parse(text);
    for (const auto& m : doc.at("manifests")) {
      IndexEntry e;
      e.digest = m.at("digest").get<std::string>();
      e.size = m.value("size", uint64_t{0});
      e.media_type = m.value("mediaType", e.media_type);
      if (m.contains("annotations")) e.name = m["annotations"].value(kRefName, "");
      entries.push_back(std::move(e));
    }
  } catch (const nlohmann::json::exception& ex) {
    return Error::msg("image store " + path + " is damaged: " + ex.what());
  }
  return entries;
}

Status Store::write_index(const std::vector<IndexEntry>& entries) const {
  nlohmann::json manifests = nlohmann::json::array();
  for (const auto& e : entries) {
    nlohmann::json m = {{"mediaType", e.media_type}, {"digest", e.digest}, {"size", e.size}};
    if (!e.name.empty()) m["annotations"] = {{kRefName, e.name}};
    manifests.push_back(std::move(m));
  }
  nlohmann::json doc = {{"schemaVersion", 2}, {"manifests", std::move(manifests)}};
  return file::write_atomic(root_ + "/index.json", doc.dump(2) + "\n");
}

Result<std::vector<IndexEntry>> Store::list() const {
  return read_index();
}

Result<std::optional<std::string>> Store::lookup(const std::string& canonical_name) const {
  for (const auto& e : BURROW_TRY(read_index()))
    if (e.name == canonical_name) return std::optional<std::string>(e.digest);
  return std::optional<std::string>();
}

Status Store::add_index_entries(const std::vector<IndexEntry>& entries) const {
  auto lock = BURROW_TRY(FileLock::acquire(root_ + "/lock"));
  auto current = BURROW_TRY(read_index());
  for (const auto& add : entries) {
    std::erase_if(current, [&](const IndexEntry& e) {
      return add.name.empty() ? (e.name.empty() && e.digest == add.digest) : e.name == add.name;
    });
    current.push_back(add);
  }
  return write_index(current);
}

}  // namespace burrow::shim::image
