// A fresh store in a temp directory per test.
#pragma once

#include <gtest/gtest.h>

#include <string>

#include "base/file.hpp"
#include "image/remove_tree.hpp"
#include "image/store.hpp"
#include "image_builder.hpp"

namespace burrow::shim::image::test {

class StoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = make_temp_dir("burrow-image-test");
    auto opened = Store::open(dir_ + "/store");
    ASSERT_TRUE(opened) << opened.error().message;
    store_.emplace(*opened);
  }
  void TearDown() override { (void)remove_tree(dir_); }

  const Store& store() const { return *store_; }
  // Writes `data` to a file in the test dir and returns its path.
  std::string put(const std::string& name, const std::string& data) {
    std::string path = dir_ + "/" + name;
    write_file(path, data);
    return path;
  }

  std::string dir_;
  std::optional<Store> store_;
};

}  // namespace burrow::shim::image::test
