// BackgroundWriter: jobs run in order on another thread, Drain() waits for them, a failure
// reaches the caller and drops the jobs after it, the destructor waits for the running job.
#include "sync/background_writer.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <stdexcept>
#include <thread>
#include <vector>

namespace cs::testing {
namespace {

TEST(BackgroundWriterTest, RunsJobsInOrderOnAnotherThread) {
  std::vector<int> done;
  std::thread::id worker;
  {
    sync::BackgroundWriter w(2);
    for (int i = 0; i < 100; ++i) {
      w.Post([&, i] {
        done.push_back(i);
        worker = std::this_thread::get_id();
      });
    }
    w.Drain();
    ASSERT_EQ(done.size(), 100u);
    for (int i = 0; i < 100; ++i) EXPECT_EQ(done[i], i);
    EXPECT_NE(worker, std::this_thread::get_id());
  }
}

TEST(BackgroundWriterTest, DrainWaitsForASlowJob) {
  sync::BackgroundWriter w;
  std::atomic<bool> finished{false};
  w.Post([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    finished = true;
  });
  w.Drain();
  EXPECT_TRUE(finished);
  w.Drain();  // nothing queued: returns at once
}

TEST(BackgroundWriterTest, AFailureReachesTheCallerAndDropsLaterJobs) {
  sync::BackgroundWriter w(8);
  std::atomic<int> ran{0};
  std::atomic<bool> release{false};
  w.Post([&] {
    while (!release) std::this_thread::yield();
    throw std::runtime_error("disk full");
  });
  for (int i = 0; i < 5; ++i) w.Post([&] { ++ran; });
  release = true;
  try {
    w.Drain();
    FAIL() << "Drain() should rethrow";
  } catch (const std::runtime_error& e) {
    EXPECT_STREQ(e.what(), "disk full");
  }
  EXPECT_EQ(ran, 0);
  w.Drain();  // reported once
}

TEST(BackgroundWriterTest, PostRethrowsAnEarlierFailure) {
  sync::BackgroundWriter w(1);
  w.Post([] { throw std::runtime_error("constraint failed"); });
  // The failure is seen by a later Post() at the latest once the worker has run the job.
  bool thrown = false;
  for (int i = 0; i < 1000 && !thrown; ++i) {
    try {
      w.Post([] {});
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    } catch (const std::runtime_error&) {
      thrown = true;
    }
  }
  if (!thrown) {
    EXPECT_THROW(w.Drain(), std::runtime_error);
  }
}

TEST(BackgroundWriterTest, TheQueueIsBounded) {
  std::atomic<int> queued_max{0};
  std::atomic<int> in_queue{0};
  {
    sync::BackgroundWriter w(2);
    for (int i = 0; i < 50; ++i) {
      int q = ++in_queue;
      if (q > queued_max) queued_max = q;
      w.Post([&] {
        std::this_thread::sleep_for(std::chrono::microseconds(200));
        --in_queue;
      });
    }
    w.Drain();
  }
  // At most the running job plus two waiting, plus the one being posted.
  EXPECT_LE(queued_max, 4);
}

TEST(BackgroundWriterTest, TheDestructorWaitsForTheRunningJobAndDropsTheRest) {
  std::atomic<int> ran{0};
  std::atomic<bool> started{false};
  {
    sync::BackgroundWriter w(4);
    w.Post([&] {
      started = true;
      std::this_thread::sleep_for(std::chrono::milliseconds(30));
      ++ran;
    });
    for (int i = 0; i < 3; ++i) w.Post([&] { ++ran; });
    while (!started) std::this_thread::yield();
  }
  EXPECT_EQ(ran, 1);
}

}  // namespace
}  // namespace cs::testing
