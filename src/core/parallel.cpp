#include "core/parallel.hpp"

#include <algorithm>
#include <atomic>
#include <exception>
#include <thread>
#include <vector>

namespace loadcast {
namespace {

std::atomic<unsigned> configured_jobs{0};

}  // namespace

unsigned Jobs() {
  const unsigned jobs = configured_jobs.load();
  if (jobs > 0) return jobs;
  return std::max(1u, std::thread::hardware_concurrency());
}

void SetJobs(unsigned jobs) { configured_jobs.store(jobs); }

void ParallelFor(std::size_t n, const std::function<void(std::size_t)>& body) {
  if (n == 0) return;
  std::vector<std::exception_ptr> errors(n);
  std::atomic<std::size_t> next{0};
  const auto work = [&] {
    for (std::size_t i = next.fetch_add(1); i < n; i = next.fetch_add(1)) {
      try {
        body(i);
      } catch (...) {
        errors[i] = std::current_exception();
      }
    }
  };
  const std::size_t threads = std::min<std::size_t>(Jobs(), n);
  {
    std::vector<std::jthread> helpers;
    for (std::size_t t = 1; t < threads; ++t) helpers.emplace_back(work);
    work();
  }  // joins the helpers
  for (const std::exception_ptr& error : errors) {
    if (error) std::rethrow_exception(error);
  }
}

}  // namespace loadcast
