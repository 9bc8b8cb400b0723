// The model kinds, in one table: each kind's name, description, factory and parameters (key,
// default, range, doc). The config's models.<horizon> sections are validated against it, the
// artifact's "params" and the spec hash are written from it, and the parameter tables of
// docs/models.md and docs/configuration.md are generated from it.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "core/config.hpp"

namespace loadcast {

class Forecaster;

/// The settings every kind has: the pipeline reads them around the model (how much history it is
/// trained on, how its intervals are calibrated).
struct CommonModelParams {
  int training_years = 4;          // years before the target year used for training
  int calibration_years = 3;       // years before the target backtested to calibrate intervals
  double interval_coverage = 0.9;  // nominal coverage of the prediction interval
};

/// The seasonal naive has no parameters of its own.
struct SeasonalNaiveParams {};

/// The calendar regression's robust fit and its level.
struct CalendarRegressionParams {
  int epochs = 20;                // iterations of the robust (IRLS) fit
  int fourier_order = 4;          // annual harmonics
  double huber_k = 1.5;           // Huber threshold in robust standard deviations
  int level_years = 1;            // recent years whose level the forecast starts from
  int level_days = 0;             // last training days whose mean deviation shifts that level
  double recency_halflife = 0.0;  // years; training days weigh half as much this much earlier
};

/// The day-ahead model's calendar expectation takes every calendar regression parameter; its
/// autoregression is fitted with the same epochs and Huber threshold.
struct CalendarArParams : CalendarRegressionParams {};

/// The parameters of one kind: which alternative is held names the kind.
using KindParams = std::variant<SeasonalNaiveParams, CalendarRegressionParams, CalendarArParams>;

/// A model's specification: its kind (the alternative of `params`) and every parameter.
struct ModelSpec {
  CommonModelParams common;
  KindParams params;

  /// The kind's registered name.
  std::string_view kind() const;
};

/// A parameter's value in a spec.
using ParamField = std::variant<int*, double*>;

/// One parameter of a kind, as the config, the artifact and the docs know it.
struct ParamDef {
  std::string key;  // models.<horizon>.<key> in the config, <key> in the artifact's params
  double min;
  double max;
  std::string doc;
  std::function<ParamField(ModelSpec&)> field;
};

/// A model kind: the one place that knows it.
struct ModelKind {
  std::string name;
  std::string description;
  /// A new, unfitted forecaster of the spec (whose params hold this kind).
  std::function<std::unique_ptr<Forecaster>(const ModelSpec&)> make;
  /// The kind's parameters at their defaults.
  KindParams defaults;
  /// Every parameter, the common ones included, in the order the config and artifacts list them.
  std::vector<ParamDef> params;
};

/// The kinds, in registration order. Adding a model: one new file and one entry here.
const std::vector<ModelKind>& ModelKinds();
/// The kind named `name`, or nullptr.
const ModelKind* FindModelKind(std::string_view name);
/// The kind a spec holds.
const ModelKind& KindOf(const ModelSpec& spec);
/// The names of the kinds, comma-separated, in registration order (for error messages).
std::string ModelKindNames();
/// The spec of kind `name` with every parameter at its default; UsageError listing the valid
/// kinds when there is no such kind.
ModelSpec DefaultModelSpec(std::string_view name);

/// The calendar regression parameters of a spec: its own for the calendar kinds, the defaults
/// otherwise (the drift monitor measures against a calendar model whatever the kind).
CalendarRegressionParams CalendarParamsOf(const ModelSpec& spec);

/// The first parameter outside the range a config allows, as "'epochs' = 5000 is outside
/// [1, 1000]"; nothing when all are inside. A model artifact read back must pass it too, so that
/// a corrupt one cannot ask for a billion iterations.
std::optional<std::string> ModelSpecProblem(const ModelSpec& spec);

/// The spec a config's models.<horizon> section gives: the kind's defaults, the horizon's
/// defaults the kind has, then the settings of the file. ConfigError naming file and line for an
/// unknown kind (listing the valid ones), a setting the kind does not have (listing its
/// settings), a value of the wrong type or outside its range.
ModelSpec ModelSpecOf(const ModelSection& section, std::string_view horizon);
/// The spec of a horizon's model.
ModelSpec ModelSpecOf(const Config& config, Horizon horizon);
/// The config with both model sections checked (ModelSpecOf) and rewritten to list every
/// parameter of their kind in table order, so that DumpConfig shows and hashes the effective
/// values.
Config ResolveModels(Config config);
/// The model section of a spec: every parameter in table order (`where` left empty).
ModelSection SectionOf(const ModelSpec& spec);

/// Markdown reference of every kind and its parameters with their defaults, ranges and docs
/// (docs/models.md and docs/configuration.md hold it verbatim).
std::string ModelKindsReference();

}  // namespace loadcast
