// The fuzzers' assertion: an invariant that fails prints what broke and aborts, which libFuzzer
// reports as a crash and saves the input of (unlike assert, it stays on in every build type).
#pragma once

#include <cstdio>
#include <cstdlib>
#include <string_view>

namespace loadcast::fuzz {

inline void Check(bool holds, std::string_view invariant) {
  if (holds) return;
  std::fprintf(stderr, "fuzz invariant broken: %.*s\n", static_cast<int>(invariant.size()),
               invariant.data());
  std::abort();
}

}  // namespace loadcast::fuzz
