#include "core/vocabulary.hpp"

#include <fmt/format.h>

#include "core/errors.hpp"

namespace loadcast {

void ThrowUnknownName(std::string_view what, std::string_view name, const std::string& valid) {
  throw UsageError(fmt::format("unknown {} '{}' (valid: {})", what, name, valid));
}

}  // namespace loadcast
