// An engine's overlayfs rootfs, seen through the container's id mapping.
//
// dockerd, containerd and podman give a container an overlay mount as its rootfs, with the
// image's files owned by host root. This kernel generation cannot idmap an overlay mount itself,
// so a user-namespaced container (sandbox mode, run.burrow.userns=auto) would see them as nobody
// and its root could write none of them. overlayfs can, though, be mounted over idmapped
// *layers*: each lower dir, and the dir holding upper and work, is cloned with the container's
// maps and a second overlay is mounted over the clones, with a work dir of its own ("burrow-work"
// beside the engine's). Both overlays share the upper dir (the kernel warns that using both at
// once is undefined: the engine's stays mounted, but only the container writes through ours;
// `docker cp` into a running sandboxed container may not show until the container reopens the
// file).
//
// The idmap is the container's maps plus one id past them for host root: overlayfs makes its
// work files with the mounter's credentials (host root), which must map through the layer mount.
// Such files appear on disk as that id (65536 for a leased range) and inside as nobody.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "base/error.hpp"
#include "base/fd.hpp"
#include "spec/model.hpp"

namespace burrow::linux {

struct OverlayLayers {
  std::vector<std::string> lower;    // top first, absolute
  std::string upper;                 // absolute
  std::string work;                  // absolute; same parent dir as upper
  std::vector<std::string> options;  // carried over as is: redirect_dir=, metacopy=, index=, ...
};

// The layers of an overlay from its mountinfo super options ("rw,lowerdir=a:b,upperdir=u,...",
// octal escapes as mountinfo writes them). nullopt when it has no upper layer, names a layer by
// a relative path or with an escaped ':' or ',', uses data-only layers, or its upper and work
// dirs have different parents.
std::optional<OverlayLayers> parse_overlay_options(const std::string& super_options);

// The layers of the overlay mounted at `rootfs` (absolute, clean); nullopt when `rootfs` is not
// the root of an overlay mount or parse_overlay_options says no.
Result<std::optional<OverlayLayers>> overlay_layers_at(const std::string& rootfs);

// The idmap for the layers: the container's maps and host root as the first id past them.
std::vector<spec::IdMapping> layer_idmap(const std::vector<spec::IdMapping>& container_maps);

// A user namespace with layer_idmap of the container's maps, for mount_idmapped_overlay (made
// on the host side: it forks a helper).
Result<Fd> make_layer_idmap(const spec::Spec& spec);

// In the caller's mount namespace (the parent's detour, mount_detour.hpp): every layer of
// `layers` cloned, idmapped through `userns_fd` (make_layer_idmap), and attached under
// `layers_dir` (an empty dir: 0, 1, ... for the lower layers, "upper" for the parent of upper and
// work), then a new overlay over them mounted at `target`.
Status mount_idmapped_overlay(const OverlayLayers& layers, int userns_fd,
                              const std::string& layers_dir, const std::string& target);

}  // namespace burrow::linux
