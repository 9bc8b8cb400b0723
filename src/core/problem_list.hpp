// Collects the problems found in one source of data and rejects it with all of them at once, so
// a person fixing a file sees every offending line, not only the first.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace loadcast {

class ProblemList {
 public:
  /// Problems beyond this many are counted, not listed.
  static constexpr std::size_t kMaxListed = 20;

  explicit ProblemList(std::string_view source) : source_(source) {}
  /// Records "source:line: problem" (or "source: problem" when line is 0).
  void Add(int line, const std::string& problem);
  bool empty() const { return count_ == 0; }
  /// The problems, one a line, and how many more were not listed; empty when none.
  std::string Text() const;
  /// Throws DataError with Text(), if there are any.
  void ThrowIfAny() const;

 private:
  std::string source_;
  std::string text_;
  std::size_t count_ = 0;
};

}  // namespace loadcast
