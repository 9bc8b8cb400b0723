// A day-by-day series of values kept in one text column: comma-separated decimals, rounded to
// `decimals` places. A year of a forecast is one row per series instead of 365.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace loadcast {

std::string EncodeValueList(const std::vector<double>& values, int decimals = 1);
/// StorageError when the text is not such a list.
std::vector<double> DecodeValueList(std::string_view text);

}  // namespace loadcast
