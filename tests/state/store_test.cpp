#include "state/store.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>

#include "base/file.hpp"

namespace burrow::state {
namespace {

class StoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/burrow-state-XXXXXX";
    ASSERT_NE(::mkdtemp(tmpl), nullptr);
    tmp_ = tmpl;
    root_ = tmp_ + "/root";
  }
  void TearDown() override { std::filesystem::remove_all(tmp_); }

  mode_t mode_of(const std::string& path) {
    struct stat st {};
    EXPECT_EQ(::lstat(path.c_str(), &st), 0) << path;
    return st.st_mode;
  }

  std::string tmp_, root_;
};

TEST_F(StoreTest, CreateMakesPrivateDirsAndRefusesDuplicates) {
  StateStore store(root_);
  auto lock = store.create_container_dir("c1");
  ASSERT_TRUE(lock.ok()) << lock.error().message;
  EXPECT_EQ(lock->id(), "c1");
  EXPECT_EQ(lock->dir(), root_ + "/c1");
  EXPECT_EQ(mode_of(root_) & 07777, 0700u);
  EXPECT_EQ(mode_of(root_ + "/c1") & 07777, 0700u);
  auto again = store.create_container_dir("c1");
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().message, "container with given ID already exists");
  auto bad = store.create_container_dir("../x");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().message, "invalid container ID format");
}

TEST_F(StoreTest, SaveLoadConfigFifoDestroy) {
  StateStore store(root_);
  auto lock = store.create_container_dir("c1");
  ASSERT_TRUE(lock.ok());
  // Saved nothing yet: like runc, a dir without state.json is no container.
  auto missing = store.load(*lock);
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().message, "container does not exist");

  ContainerState st;
  st.id = "c1";
  st.init_pid = 7;
  st.bundle = "/b";
  st.rootfs = "/b/rootfs";
  st.created = "2024-01-01T00:00:00Z";
  ASSERT_TRUE(store.save(*lock, st).ok());
  EXPECT_EQ(mode_of(store.state_path("c1")) & 07777, 0600u);
  auto loaded = store.load(*lock);
  ASSERT_TRUE(loaded.ok()) << loaded.error().message;
  EXPECT_EQ(loaded->init_pid, 7);

  std::string bundle_config = tmp_ + "/config.json";
  ASSERT_TRUE(file::write_atomic(bundle_config, "{\"ociVersion\":\"1\"}").ok());
  ASSERT_TRUE(store.write_config(*lock, bundle_config).ok());
  ASSERT_TRUE(file::write_atomic(bundle_config, "{}").ok());  // later bundle edit
  EXPECT_EQ(*file::read(store.config_path("c1")), "{\"ociVersion\":\"1\"}");

  mode_t old_umask = ::umask(022);
  ASSERT_TRUE(store.create_exec_fifo(*lock).ok());
  ::umask(old_umask);
  mode_t fifo = mode_of(store.exec_fifo_path("c1"));
  EXPECT_TRUE(S_ISFIFO(fifo));
  EXPECT_EQ(fifo & 07777, 0622u);
  ASSERT_TRUE(store.remove_exec_fifo(*lock).ok());
  ASSERT_TRUE(store.remove_exec_fifo(*lock).ok());  // missing: fine

  ASSERT_TRUE(store.destroy(std::move(lock).value()).ok());
  EXPECT_FALSE(std::filesystem::exists(root_ + "/c1"));
  auto gone = store.lock("c1");
  ASSERT_FALSE(gone.ok());
  EXPECT_EQ(gone.error().message, "container does not exist");
}

// gc's lock: taken when free, nullopt while held (the flock is per open file description, so a
// second open in this process contends like another burrow would).
TEST_F(StoreTest, TryLockSkipsAHeldContainer) {
  StateStore store(root_);
  {
    auto held = store.create_container_dir("c1");
    ASSERT_TRUE(held.ok()) << held.error().message;
    auto busy = store.try_lock("c1");
    ASSERT_TRUE(busy.ok()) << busy.error().message;
    EXPECT_FALSE(busy->has_value());
  }
  auto free = store.try_lock("c1");
  ASSERT_TRUE(free.ok()) << free.error().message;
  EXPECT_TRUE(free->has_value());
  auto missing = store.try_lock("nope");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code, ENOENT);
}

TEST_F(StoreTest, ListIdsSortedDirsOnly) {
  StateStore store(root_);
  auto empty = store.list_ids();
  ASSERT_TRUE(empty.ok());
  EXPECT_TRUE(empty->empty());
  for (const char* id : {"b", "a", "c"}) ASSERT_TRUE(store.create_container_dir(id).ok());
  ASSERT_TRUE(file::write_atomic(root_ + "/stray-file", "x").ok());
  auto ids = store.list_ids();
  ASSERT_TRUE(ids.ok());
  EXPECT_EQ(*ids, (std::vector<std::string>{"a", "b", "c"}));
}

// A second locker waits (a separate process: flock is per open file description) while the first
// holds the lock; once the holder deletes the container the waiter must say it does not exist (not
// act on the removed dir).
TEST_F(StoreTest, WaiterSeesConcurrentDelete) {
  StateStore store(root_);
  auto lock = store.create_container_dir("c1");
  ASSERT_TRUE(lock.ok());
  int ready[2];
  ASSERT_EQ(::pipe(ready), 0);
  pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    ::close(ready[0]);
    // fork shares the parent's locked open file description: a child must drop it (the
    // container init does the same by closing inherited fds), or it holds the lock too.
    ::close(lock->dir_fd());
    StateStore inner(root_);
    ::close(ready[1]);  // tells the parent we are about to block
    auto waited = inner.lock("c1");
    bool ok = !waited.ok() && waited.error().message == "container does not exist";
    ::_exit(ok ? 0 : 1);
  }
  ::close(ready[1]);
  char byte;
  ASSERT_EQ(::read(ready[0], &byte, 1), 0);
  ::close(ready[0]);
  ::usleep(100 * 1000);  // let the child reach flock
  ASSERT_TRUE(store.destroy(std::move(lock).value()).ok());
  int status = 0;
  ASSERT_EQ(::waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0);
}

}  // namespace
}  // namespace burrow::state
