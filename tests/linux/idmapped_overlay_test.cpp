#include "linux/idmapped_overlay.hpp"

#include <gtest/gtest.h>

namespace burrow::linux {
namespace {

TEST(IdmappedOverlay, DockersOptionsGiveItsLayers) {
  auto layers = parse_overlay_options(
      "rw,lowerdir=/d/overlay2/l/AAA:/d/overlay2/l/BBB,upperdir=/d/overlay2/x/diff,"
      "workdir=/d/overlay2/x/work,index=off,redirect_dir=on");
  ASSERT_TRUE(layers);
  EXPECT_EQ(layers->lower, (std::vector<std::string>{"/d/overlay2/l/AAA", "/d/overlay2/l/BBB"}));
  EXPECT_EQ(layers->upper, "/d/overlay2/x/diff");
  EXPECT_EQ(layers->work, "/d/overlay2/x/work");
  EXPECT_EQ(layers->options, (std::vector<std::string>{"index=off", "redirect_dir=on"}));
}

TEST(IdmappedOverlay, LayersAddedOneByOneAndEscapes) {
  auto layers =
      parse_overlay_options("rw,lowerdir+=/a\\040b,lowerdir+=/c,upperdir=/u/diff,workdir=/u/work");
  ASSERT_TRUE(layers);
  EXPECT_EQ(layers->lower, (std::vector<std::string>{"/a b", "/c"}));
}

TEST(IdmappedOverlay, WhatItWillNotRebuild) {
  // No upper layer (a read-only overlay), relative paths, data-only layers, escaped ':' or
  // ',', upper and work in different dirs.
  for (const char* options : {
           "rw,lowerdir=/a:/b",
           "rw,lowerdir=l/AAA:l/BBB,upperdir=/u/diff,workdir=/u/work",
           "rw,lowerdir+=/a,datadir+=/d,upperdir=/u/diff,workdir=/u/work",
           "rw,lowerdir=/a\\:b,upperdir=/u/diff,workdir=/u/work",
           "rw,lowerdir=/a\\054b,upperdir=/u/diff,workdir=/u/work",
           "rw,lowerdir=/a,upperdir=/u/diff,workdir=/v/work",
           "rw,lowerdir=/a\\9,upperdir=/u/diff,workdir=/u/work",
       })
    EXPECT_FALSE(parse_overlay_options(options)) << options;
}

TEST(IdmappedOverlay, LayerIdmapMapsHostRootPastTheRange) {
  auto maps = layer_idmap({{0, 1879048192, 65536}});
  ASSERT_EQ(maps.size(), 2u);
  EXPECT_EQ(maps[1].container_id, 65536u);
  EXPECT_EQ(maps[1].host_id, 0u);
  EXPECT_EQ(maps[1].size, 1u);
  auto split = layer_idmap({{0, 100000, 1000}, {1000, 300000, 64536}});
  EXPECT_EQ(split.back().container_id, 65536u);
}

}  // namespace
}  // namespace burrow::linux
