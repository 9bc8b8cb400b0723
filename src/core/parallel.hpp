// Independent pieces of work spread over a few threads: the folds of a backtest, the series of
// a run. How many threads is one process-wide setting, the `--jobs` option.
#pragma once

#include <cstddef>
#include <functional>

namespace loadcast {

/// The number of threads ParallelFor uses: SetJobs's value, else the processors available.
unsigned Jobs();
/// Sets Jobs(); 0 restores the default (the processors available).
void SetJobs(unsigned jobs);

/// Calls body(i) once for every i in [0, n) on up to Jobs() threads, the calling one included,
/// and returns when every call has returned. Calls must not depend on one another's order. When
/// calls throw, every other call still runs, and the exception of the lowest index is rethrown,
/// so that a failure reads the same whatever the number of threads.
void ParallelFor(std::size_t n, const std::function<void(std::size_t)>& body);

}  // namespace loadcast
