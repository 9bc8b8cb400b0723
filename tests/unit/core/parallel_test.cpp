#include "core/parallel.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <mutex>
#include <set>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace loadcast {
namespace {

/// Sets Jobs() for one test and restores the default after it.
class JobsScope {
 public:
  explicit JobsScope(unsigned jobs) { SetJobs(jobs); }
  ~JobsScope() { SetJobs(0); }
};

TEST(Jobs, DefaultsToTheProcessorsAndFollowsSetJobs) {
  EXPECT_GE(Jobs(), 1u);
  {
    const JobsScope scope(3);
    EXPECT_EQ(Jobs(), 3u);
  }
  EXPECT_EQ(Jobs(), std::max(1u, std::thread::hardware_concurrency()));
}

TEST(ParallelFor, CallsEveryIndexOnceWhateverTheJobs) {
  for (const unsigned jobs : {1u, 2u, 7u}) {
    const JobsScope scope(jobs);
    for (const std::size_t n : {0u, 1u, 5u, 1000u}) {
      std::vector<std::atomic<int>> calls(n);
      ParallelFor(n, [&](std::size_t i) { calls[i].fetch_add(1); });
      for (std::size_t i = 0; i < n; ++i) EXPECT_EQ(calls[i].load(), 1) << jobs << " " << i;
    }
  }
}

TEST(ParallelFor, UsesAtMostJobsThreadsIncludingTheCallers) {
  const JobsScope scope(2);
  std::mutex mutex;
  std::set<std::thread::id> threads;
  ParallelFor(200, [&](std::size_t) {
    const std::lock_guard lock(mutex);
    threads.insert(std::this_thread::get_id());
  });
  EXPECT_LE(threads.size(), 2u);
  EXPECT_GE(threads.size(), 1u);
}

TEST(ParallelFor, RunsEveryCallThenRethrowsTheLowestIndexsException) {
  for (const unsigned jobs : {1u, 2u, 4u}) {
    const JobsScope scope(jobs);
    std::atomic<int> calls{0};
    try {
      ParallelFor(50, [&](std::size_t i) {
        calls.fetch_add(1);
        if (i == 31 || i == 7 || i == 40) throw std::runtime_error(std::to_string(i));
      });
      ADD_FAILURE() << "no exception";
    } catch (const std::runtime_error& e) {
      EXPECT_STREQ(e.what(), "7") << jobs;
    }
    EXPECT_EQ(calls.load(), 50);
  }
}

}  // namespace
}  // namespace loadcast
