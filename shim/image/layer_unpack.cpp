// Unpacking one layer tar into a lowerdir, with our own fd-based writer rather than
// archive_write_disk: every path is resolved beneath the layer directory with openat2 (no
// chdir, which is process-wide; no following a symlink an earlier entry made), and ownership,
// whiteouts and capabilities need converting on the way anyway.
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/xattr.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>
#include <map>

#include "base/file.hpp"
#include "image/archive_reader.hpp"
#include "image/layers.hpp"
#include "image/remove_tree.hpp"
#include "image/safe_path.hpp"
#include "image/sha256.hpp"

namespace burrow::shim::image {
namespace {

constexpr std::string_view kWhiteoutPrefix = ".wh.";
constexpr std::string_view kOpaqueMarker = ".wh..wh..opq";

// Feeds libarchive from an fd while hashing every byte it reads, so what is unpacked is checked
// against the blob's digest in the same pass.
struct HashingSource {
  explicit HashingSource(int in) : fd(in) {}
  int fd;
  Sha256 hash;
  char buf[1 << 16];
  int error = 0;

  static la_ssize_t read(struct archive*, void* self, const void** out) {
    auto* s = static_cast<HashingSource*>(self);
    ssize_t n;
    do n = ::read(s->fd, s->buf, sizeof(s->buf));
    while (n < 0 && errno == EINTR);
    if (n < 0) {
      s->error = errno;
      return -1;
    }
    s->hash.update(s->buf, static_cast<size_t>(n));
    *out = s->buf;
    return n;
  }
  // libarchive stops at the end-of-archive marker; the padding after it is part of the blob.
  Result<std::string> finish() {
    const void* unused;
    la_ssize_t n;
    while ((n = read(nullptr, this, &unused)) > 0) {
    }
    if (n < 0) return Error::from_errno("read layer", error);
    return "sha256:" + hash.hex();
  }
};

// Metadata applied to directories after all entries are written: a read-only directory must
// stay writable while its children are made, and writing children changes its mtime.
struct DirMeta {
  mode_t mode = 0755;
  uid_t uid = 0;
  gid_t gid = 0;
  struct timespec mtime {};
  bool have_time = false;
};

class LayerWriter {
 public:
  LayerWriter(int root, std::string root_path, const IdShift& shift, Privilege privilege,
              const Limits& limits)
      : root_(root),
        root_path_(std::move(root_path)),
        shift_(shift),
        privilege_(privilege),
        limits_(limits) {}

  Status write(struct archive* a, struct archive_entry* e);
  Status finish();

 private:
  bool privileged() const { return privilege_ == Privilege::kHostRoot; }
  Result<std::pair<uid_t, gid_t>> host_ids(struct archive_entry* e, const std::string& what) const;
  Result<Fd> parent_dir(const std::string& rel, const std::string& what);
  Status clear(int parent, const std::string& base, const std::string& rel, bool keep_dir,
               const std::string& what);
  Status whiteout(const std::string& parent_rel, const std::string& name, const std::string& what);
  Status write_file(struct archive* a, struct archive_entry* e, int parent, const std::string& base,
                    const std::string& what);
  Status set_xattrs(struct archive_entry* e, int fd, const std::string& what);
  Status chown_at(int parent, const std::string& base, uid_t uid, gid_t gid,
                  const std::string& what) const;
  void note_implicit_dir(const std::string& rel);

  int root_;
  std::string root_path_;
  IdShift shift_;
  Privilege privilege_;
  Limits limits_;
  uint64_t bytes_ = 0;
  std::map<std::string, DirMeta> dirs_;
};

Result<std::pair<uid_t, gid_t>> LayerWriter::host_ids(struct archive_entry* e,
                                                      const std::string& what) const {
  la_int64_t uid = archive_entry_uid(e), gid = archive_entry_gid(e);
  if (uid < 0 || gid < 0 || uid > UINT32_MAX - 1 || gid > UINT32_MAX - 1)
    return Error::msg(what + ": bad owner " + std::to_string(uid) + ":" + std::to_string(gid));
  if (shift_.identity()) return std::pair{static_cast<uid_t>(uid), static_cast<gid_t>(gid)};
  if (uid >= shift_.size || gid >= shift_.size)
    return Error::msg(what + ": owner " + std::to_string(uid) + ":" + std::to_string(gid) +
                      " is outside the container's " + std::to_string(shift_.size) + " ids");
  return std::pair{static_cast<uid_t>(shift_.uid_base + uid),
                   static_cast<gid_t>(shift_.gid_base + gid)};
}

void LayerWriter::note_implicit_dir(const std::string& rel) {
  // A directory the tar never lists (or lists later) belongs to the container's root, and gets
  // the epoch as its time, so a layer unpacks to the same tree every time.
  DirMeta meta;
  meta.have_time = true;
  meta.uid = shift_.identity() ? 0 : shift_.uid_base;
  meta.gid = shift_.identity() ? 0 : shift_.gid_base;
  dirs_.emplace(rel, meta);
}

Result<Fd> LayerWriter::parent_dir(const std::string& rel, const std::string& what) {
  return BURROW_TRY_CTX(open_dir_beneath(root_, rel, true, 0700,
                                         [this](const std::string& d) { note_implicit_dir(d); }),
                        what);
}

Status LayerWriter::chown_at(int parent, const std::string& base, uid_t uid, gid_t gid,
                             const std::string& what) const {
  if (::fchownat(parent, base.c_str(), uid, gid, AT_SYMLINK_NOFOLLOW) == 0) return {};
  if (!privileged() && (errno == EPERM || errno == EINVAL)) return {};
  return Error::from_errno(what + ": chown");
}

// Makes room for an entry: a later entry for the same path replaces the earlier one, except
// that a directory stays (and only gets the new metadata) when the new entry is one too.
Status LayerWriter::clear(int parent, const std::string& base, const std::string& rel,
                          bool keep_dir, const std::string& what) {
  struct stat st {};
  if (::fstatat(parent, base.c_str(), &st, AT_SYMLINK_NOFOLLOW) < 0) {
    if (errno == ENOENT) return {};
    return Error::from_errno(what + ": stat");
  }
  if (S_ISDIR(st.st_mode)) {
    if (keep_dir) return {};
    // Our own private directory, reached through no symlink (parent was opened beneath root).
    BURROW_TRY_CTX(remove_tree(root_path_ + "/" + rel), what);
    return {};
  }
  if (::unlinkat(parent, base.c_str(), 0) < 0) return Error::from_errno(what + ": replace");
  return {};
}

Status LayerWriter::whiteout(const std::string& parent_rel, const std::string& name,
                             const std::string& what) {
  auto parent = BURROW_TRY(parent_dir(parent_rel, what));
  if (name == kOpaqueMarker) {
    const char* attr = opaque_xattr(privilege_);
    if (::fsetxattr(parent.get(), attr, "y", 1, 0) < 0)
      return Error::from_errno(what + ": set " + std::string(attr));
    return {};
  }
  std::string hidden = name.substr(kWhiteoutPrefix.size());
  if (hidden.starts_with(kWhiteoutPrefix)) return {};  // other aufs metadata (.wh..wh.plnk...)
  if (hidden.empty() || hidden == "." || hidden == "..")
    return Error::msg(what + ": whiteout of nothing");
  struct stat st {};
  // The layer's own entry of that name (either order in the tar) hides the lower ones already.
  if (::fstatat(parent.get(), hidden.c_str(), &st, AT_SYMLINK_NOFOLLOW) == 0) return {};
  if (::mknodat(parent.get(), hidden.c_str(), S_IFCHR | 0, makedev(0, 0)) < 0)
    return Error::from_errno(what + ": make overlay whiteout");
  return {};
}

// A v2 capability xattr (valid in every namespace) as v3 with the shift's root id: what the
// kernel itself writes when root in a user namespace sets one.
std::string shift_capability(std::string value, uint32_t rootid) {
  constexpr uint32_t kRevisionMask = 0xFF000000, kRevision2 = 0x02000000, kRevision3 = 0x03000000;
  if (value.size() != 20) return value;
  uint32_t magic = 0;
  for (int i = 3; i >= 0; --i) magic = (magic << 8) | static_cast<uint8_t>(value[i]);
  if ((magic & kRevisionMask) != kRevision2) return value;
  magic = (magic & ~kRevisionMask) | kRevision3;
  for (int i = 0; i < 4; ++i) value[i] = static_cast<char>(magic >> (8 * i));
  for (int i = 0; i < 4; ++i) value += static_cast<char>(rootid >> (8 * i));
  return value;
}

Status LayerWriter::set_xattrs(struct archive_entry* e, int fd, const std::string& what) {
  const char* name;
  const void* value;
  size_t size;
  archive_entry_xattr_reset(e);
  while (archive_entry_xattr_next(e, &name, &value, &size) == ARCHIVE_OK) {
    std::string_view n = name;
    // Overlay's own attributes would let a layer forge whiteouts, redirects or metacopy files;
    // SELinux labels are the host's to give.
    if (n.starts_with("trusted.overlay.") || n.starts_with("user.overlay.") ||
        n == "security.selinux")
      continue;
    std::string v(static_cast<const char*>(value), size);
    if (n == "security.capability" && !shift_.identity()) v = shift_capability(v, shift_.uid_base);
    if (::fsetxattr(fd, name, v.data(), v.size(), 0) == 0) continue;
    if (!privileged() && (errno == EPERM || errno == EOPNOTSUPP || errno == EINVAL)) continue;
    return Error::from_errno(what + ": set xattr " + std::string(n));
  }
  return {};
}

Status LayerWriter::write_file(struct archive* a, struct archive_entry* e, int parent,
                               const std::string& base, const std::string& what) {
  Fd out(
      ::openat(parent, base.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600));
  if (!out) return Error::from_errno(what + ": create");
  const void* block;
  size_t size;
  la_int64_t offset;
  for (;;) {
    int r = archive_read_data_block(a, &block, &size, &offset);
    if (r == ARCHIVE_EOF) break;
    if (r != ARCHIVE_OK) return archive_error(a, what);
    bytes_ += size;
    if (bytes_ > limits_.max_layer_bytes)
      return Error::msg(what + ": layer unpacks to more than " +
                        std::to_string(limits_.max_layer_bytes) + " bytes");
    const char* p = static_cast<const char*>(block);
    while (size > 0) {
      ssize_t n = ::pwrite(out.get(), p, size, offset);
      if (n < 0) {
        if (errno == EINTR) continue;
        return Error::from_errno(what + ": write");
      }
      p += n;
      offset += n;
      size -= static_cast<size_t>(n);
    }
  }
  // Sparse files end in a hole; the tar gives the real size.
  if (::ftruncate(out.get(), archive_entry_size(e)) < 0)
    return Error::from_errno(what + ": truncate");
  auto [uid, gid] = BURROW_TRY(host_ids(e, what));
  // chown clears set-id bits and capabilities, so it comes first, then mode and xattrs.
  if (::fchown(out.get(), uid, gid) < 0 && !(errno == EPERM && !privileged()))
    return Error::from_errno(what + ": chown");
  if (::fchmod(out.get(), archive_entry_perm(e)) < 0) return Error::from_errno(what + ": chmod");
  BURROW_TRY(set_xattrs(e, out.get(), what));
  struct timespec times[2] = {{archive_entry_mtime(e), archive_entry_mtime_nsec(e)},
                              {archive_entry_mtime(e), archive_entry_mtime_nsec(e)}};
  if (::futimens(out.get(), times) < 0) return Error::from_errno(what + ": set times");
  return {};
}

Status LayerWriter::write(struct archive* a, struct archive_entry* e) {
  const char* raw = archive_entry_pathname(e);
  std::string name = raw ? raw : "";
  std::string what = "entry '" + name + "'";
  auto rel = BURROW_TRY(clean_entry_path(name));
  if (rel.empty()) {  // "./": the layer's root directory
    if (archive_entry_filetype(e) != AE_IFDIR)
      return Error::msg(what + ": root is not a directory");
    auto [uid, gid] = BURROW_TRY(host_ids(e, what));
    dirs_[""] = {static_cast<mode_t>(archive_entry_perm(e)),
                 uid,
                 gid,
                 {archive_entry_mtime(e), archive_entry_mtime_nsec(e)},
                 true};
    return {};
  }
  auto [parent_rel, base] = split_parent(rel);
  if (base.starts_with(kWhiteoutPrefix)) return whiteout(parent_rel, base, what);
  auto parent = BURROW_TRY(parent_dir(parent_rel, what));

  if (const char* link = archive_entry_hardlink(e)) {
    auto target = BURROW_TRY_CTX(clean_entry_path(link), what + ": hard link");
    auto [tparent_rel, tbase] = split_parent(target);
    auto tparent = BURROW_TRY_CTX(open_dir_beneath(root_, tparent_rel), what + ": hard link");
    if (target == rel) return {};
    BURROW_TRY(clear(parent.get(), base, rel, false, what));
    if (::linkat(tparent.get(), tbase.c_str(), parent.get(), base.c_str(), 0) < 0)
      return Error::from_errno(what + ": hard link to '" + std::string(link) + "'");
    return {};
  }

  auto type = archive_entry_filetype(e);
  BURROW_TRY(clear(parent.get(), base, rel, type == AE_IFDIR, what));
  auto [uid, gid] = BURROW_TRY(host_ids(e, what));
  struct timespec mtime = {archive_entry_mtime(e), archive_entry_mtime_nsec(e)};
  switch (type) {
    case AE_IFREG:
      return write_file(a, e, parent.get(), base, what);
    case AE_IFDIR: {
      if (::mkdirat(parent.get(), base.c_str(), 0700) < 0 && errno != EEXIST)
        return Error::from_errno(what + ": mkdir");
      auto dir = BURROW_TRY_CTX(open_child_dir(parent.get(), base, rel), what);
      BURROW_TRY(set_xattrs(e, dir.get(), what));
      dirs_[rel] = {static_cast<mode_t>(archive_entry_perm(e)), uid, gid, mtime, true};
      return {};
    }
    case AE_IFLNK: {
      // A symlink's target is only ever resolved inside the container's root (or, here, with
      // RESOLVE_NO_SYMLINKS refusing it), so any target is allowed.
      const char* target = archive_entry_symlink(e);
      if (!target || !*target) return Error::msg(what + ": symlink without a target");
      if (::symlinkat(target, parent.get(), base.c_str()) < 0)
        return Error::from_errno(what + ": symlink");
      break;
    }
    case AE_IFCHR:
    case AE_IFBLK:
    case AE_IFIFO: {
      dev_t dev = makedev(archive_entry_rdevmajor(e), archive_entry_rdevminor(e));
      mode_t mode = static_cast<mode_t>(type) | (archive_entry_perm(e) & 07777);
      if (::mknodat(parent.get(), base.c_str(), mode, type == AE_IFIFO ? 0 : dev) < 0) {
        if (errno == EPERM && !privileged()) return {};  // no devices for rootless callers
        return Error::from_errno(what + ": mknod");
      }
      if (::fchmodat(parent.get(), base.c_str(), archive_entry_perm(e), 0) < 0)
        return Error::from_errno(what + ": chmod");
      break;
    }
    case AE_IFSOCK:
      return {};  // sockets are made by the processes that listen on them
    default:
      return Error::msg(what + ": unknown file type");
  }
  BURROW_TRY(chown_at(parent.get(), base, uid, gid, what));
  struct timespec times[2] = {mtime, mtime};
  if (::utimensat(parent.get(), base.c_str(), times, AT_SYMLINK_NOFOLLOW) < 0)
    return Error::from_errno(what + ": set times");
  return {};
}

Status LayerWriter::finish() {
  if (!dirs_.count("")) note_implicit_dir("");
  // Deepest first: a parent made read-only (or 0000) last cannot block its children.
  std::vector<std::pair<std::string, DirMeta>> order(dirs_.begin(), dirs_.end());
  std::stable_sort(order.begin(), order.end(), [](const auto& a, const auto& b) {
    return std::count(a.first.begin(), a.first.end(), '/') >
           std::count(b.first.begin(), b.first.end(), '/');
  });
  for (const auto& [rel, meta] : order) {
    std::string what = "directory '" + (rel.empty() ? "." : rel) + "'";
    auto dir = open_dir_beneath(root_, rel);
    if (!dir) {
      // A later entry replaced it with a non-directory.
      if (dir.error().code == ENOENT || dir.error().code == ENOTDIR || dir.error().code == ELOOP)
        continue;
      return std::move(dir).error().wrap(what);
    }
    if (::fchown(dir->get(), meta.uid, meta.gid) < 0 && !(errno == EPERM && !privileged()))
      return Error::from_errno(what + ": chown");
    if (::fchmod(dir->get(), meta.mode) < 0) return Error::from_errno(what + ": chmod");
    if (meta.have_time) {
      struct timespec times[2] = {meta.mtime, meta.mtime};
      if (::futimens(dir->get(), times) < 0) return Error::from_errno(what + ": set times");
    }
  }
  return {};
}

bool exists_dir(const std::string& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
}

}  // namespace

const char* opaque_xattr(Privilege privilege) {
  return privilege == Privilege::kHostRoot ? "trusted.overlay.opaque" : "user.overlay.opaque";
}

Privilege current_privilege() {
  if (::geteuid() != 0) return Privilege::kUnprivileged;
  // Root in a user namespace cannot chown to unmapped ids nor set trusted.* xattrs.
  auto map = file::read("/proc/self/uid_map");
  if (!map) return Privilege::kUnprivileged;
  std::string compact;
  for (char c : *map)
    if (c != ' ' && c != '\t' && c != '\n') compact += c;
  return compact == "004294967295" ? Privilege::kHostRoot : Privilege::kUnprivileged;
}

std::string layer_cache_key(const std::string& digest, const IdShift& shift, Privilege privilege) {
  return digest_hex(digest) + "-" + std::to_string(shift.uid_base) + "-" +
         std::to_string(shift.gid_base) + "-" + std::to_string(shift.size) +
         (privilege == Privilege::kHostRoot ? "" : "-user");
}

Status unpack_layer(const std::string& blob, const std::string& dir, const IdShift& shift,
                    Privilege privilege, const Limits& limits, const std::string& expected_digest) {
  Fd in(::open(blob.c_str(), O_RDONLY | O_CLOEXEC));
  if (!in) return Error::from_errno("open layer " + blob);
  Fd root(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (!root) return Error::from_errno("open " + dir);
  HashingSource source(in.get());
  ArchiveReader reader(archive_read_new());
  if (!reader) return Error::msg("archive_read_new: out of memory", ENOMEM);
  archive_read_support_filter_all(reader.get());
  archive_read_support_format_tar(reader.get());
  archive_read_support_format_empty(reader.get());  // a layer of zero bytes adds nothing
  std::string what = "layer " + blob;
  if (archive_read_open(reader.get(), &source, nullptr, &HashingSource::read, nullptr) !=
      ARCHIVE_OK)
    return archive_error(reader.get(), what);
  LayerWriter writer(root.get(), dir, shift, privilege, limits);
  uint64_t entries = 0;
  while (struct archive_entry* entry =
             BURROW_TRY(next_entry(reader.get(), what, limits.max_entries, entries)))
    BURROW_TRY_CTX(writer.write(reader.get(), entry), what);
  BURROW_TRY_CTX(writer.finish(), what);
  auto digest = BURROW_TRY(source.finish());
  if (!expected_digest.empty() && digest != expected_digest)
    return Error::msg(what + ": digest mismatch: expected " + expected_digest + ", content is " +
                      digest);
  return {};
}

Result<std::vector<std::string>> unpack_layers(const Store& store, const Image& image,
                                               IdShift shift) {
  Privilege privilege = current_privilege();
  std::vector<std::string> dirs;
  for (const auto& layer : image.layers) {
    if (!is_sha256_digest(layer.digest))
      return Error::msg("image " + image.name + ": bad layer digest '" + layer.digest + "'");
    std::string key = layer_cache_key(layer.digest, shift, privilege);
    std::string final_dir = store.layers_dir() + "/" + key;
    if (!exists_dir(final_dir)) {
      // One unpacker per layer and shift; the others wait here and then find it done.
      auto lock = BURROW_TRY(FileLock::acquire(store.locks_dir() + "/" + key));
      if (!exists_dir(final_dir)) {
        std::string tmp = store.tmp_dir() + "/layer-XXXXXX";
        if (!::mkdtemp(tmp.data()))
          return Error::from_errno("create a temp directory in " + store.tmp_dir());
        auto st = unpack_layer(store.blob_path(layer.digest), tmp, shift, privilege, store.limits(),
                               layer.digest);
        if (st) {
          // Durable before it is visible: a crash must not leave a half-written cache entry.
          Fd fd(::open(tmp.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
          if (!fd || ::syncfs(fd.get()) < 0) st = Error::from_errno("sync " + tmp);
        }
        if (st && ::rename(tmp.c_str(), final_dir.c_str()) < 0 && errno != EEXIST &&
            errno != ENOTEMPTY)
          st = Error::from_errno("rename to " + final_dir);
        if (!st || exists_dir(tmp)) (void)remove_tree(tmp);
        if (!st) return std::move(st).error().wrap("image " + image.name);
      }
    }
    dirs.push_back(final_dir);
  }
  return dirs;
}

}  // namespace burrow::shim::image
