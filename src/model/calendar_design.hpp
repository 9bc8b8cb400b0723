// The design matrix of the calendar model: a level per training year, weekday effects that change
// with the season, annual Fourier terms, each public holiday, bridge days and the days around
// holidays, the Christmas season day by day with its short runs of working days, and the
// Ferragosto season as a smooth function of the date; both seasons by day type.
#pragma once

#include <span>
#include <string>
#include <vector>

#include "core/calendar.hpp"

namespace loadcast {

class CalendarDesign {
 public:
  /// Level columns cover years [first_year, last_year].
  CalendarDesign(int fourier_order, int first_year, int last_year);

  int cols() const { return static_cast<int>(names_.size()); }
  int level_cols() const { return last_year_ - first_year_ + 1; }
  int first_year() const { return first_year_; }
  int last_year() const { return last_year_; }
  const std::vector<std::string>& names() const { return names_; }

  /// Weights on the level columns for a day: its own year inside the training span; the mean of
  /// the last `level_years` years after it (the forecast starts from the recent level).
  std::vector<double> LevelWeights(int year, int level_years) const;
  /// Writes the row of `day` into `row` (cols() values).
  void Fill(const CalendarDay& day, std::span<const double> level_weights,
            std::span<double> row) const;

 private:
  int fourier_order_;
  int first_year_;
  int last_year_;
  std::vector<std::string> names_;
};

}  // namespace loadcast
