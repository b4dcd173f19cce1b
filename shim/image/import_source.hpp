// What the importers of each archive format share: the directory they read from and the checks
// every blob goes through on its way into the store.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "base/error.hpp"
#include "base/fd.hpp"
#include "image/store.hpp"

namespace burrow::shim::image {

// A directory being imported: an archive extracted into the store's tmp/ (private, so its files
// may be hard-linked in as blobs) or the caller's directory (copied from, never changed).
struct ImportSource {
  Fd dir;
  std::string path;  // for messages
  bool private_copy = false;

  // Opens `rel` for reading, resolved as if the directory were "/" (its symlinks cannot leave).
  Result<Fd> open(const std::string& rel) const;
  bool exists(const std::string& rel) const;
  // Reads and parses a JSON file of at most limits.max_json_bytes.
  Result<nlohmann::json> read_json(const std::string& rel, const Limits& limits) const;
  // Stores file `rel` as a blob; `expected` as for Store::add_blob_fd.
  Result<std::string> add_blob(const Store& store, const std::string& rel,
                               std::string_view expected) const;
};

// The media type a layer blob's first bytes show: tar, tar+gzip, tar+zstd (OCI names).
Result<std::string> sniff_layer_media_type(int fd, const std::string& what);
// The digest of the uncompressed content of the (maybe compressed) layer blob `fd`: its diff_id.
Result<std::string> diff_id_of(int fd, const std::string& what);

// This machine's architecture in OCI/Go terms ("amd64", "arm64", ...).
std::string host_architecture();

// Importers of one format each: the index entries for the images the source holds, all of
// whose blobs are in the store when they return.
Result<std::vector<IndexEntry>> import_docker_archive(const Store& store, const ImportSource& src);
Result<std::vector<IndexEntry>> import_oci_layout(const Store& store, const ImportSource& src);

// Interprets a name an archive gives an image; an error names `where`.
Result<std::string> canonical_archive_name(const std::string& name, const std::string& where);

}  // namespace burrow::shim::image
