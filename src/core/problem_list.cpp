#include "core/problem_list.hpp"

#include <fmt/format.h>

#include "core/errors.hpp"

namespace loadcast {

void ProblemList::Add(int line, const std::string& problem) {
  ++count_;
  if (count_ > kMaxListed) return;
  if (!text_.empty()) text_ += '\n';
  text_ += line > 0 ? fmt::format("{}:{}: {}", source_, line, problem)
                    : fmt::format("{}: {}", source_, problem);
}

std::string ProblemList::Text() const {
  std::string text = text_;
  if (count_ > kMaxListed) {
    text += fmt::format("\n{}: ... and {} more problems", source_, count_ - kMaxListed);
  }
  return text;
}

void ProblemList::ThrowIfAny() const {
  if (count_ != 0) throw DataError(Text());
}

}  // namespace loadcast
