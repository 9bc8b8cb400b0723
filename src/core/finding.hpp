// A finding: one problem a validation rule found in some data, where it is and the figures
// involved. The parser (core/load_csv.hpp) and the validation suite (pipeline/validator.hpp) both
// report findings; the suite's table (pipeline/validation_rules.hpp) says what each rule means.
#pragma once

#include <optional>
#include <string>

#include "core/date.hpp"

namespace loadcast {

/// An error rejects the data; a warning lets it through and raises an alert.
enum class Severity { kError, kWarning };

struct Finding {
  std::string rule;  // a rule name of the validation suite, e.g. "duplicate_date"
  Severity severity = Severity::kError;
  std::string source;              // the file or series, as named in messages
  int line = 0;                    // 1-based line in the source; 0 when about the source as a whole
  std::string problem;             // what is wrong, quoting the offending value
  std::optional<Date> first_date;  // the dates concerned, when known
  std::optional<Date> last_date;
  std::optional<double> value;      // the figure checked, when numeric
  std::optional<double> threshold;  // the limit it crossed
};

}  // namespace loadcast
