#include "model/kinds.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <cassert>
#include <sstream>

#include "core/errors.hpp"
#include "model/calendar_ar.hpp"
#include "model/calendar_regression.hpp"
#include "model/seasonal_naive.hpp"

namespace loadcast {
namespace {

template <typename Member>
std::function<ParamField(ModelSpec&)> CommonField(Member CommonModelParams::*member) {
  return [member](ModelSpec& spec) -> ParamField { return &(spec.common.*member); };
}

template <typename Params, typename Member>
std::function<ParamField(ModelSpec&)> KindField(Member CalendarRegressionParams::*member) {
  return [member](ModelSpec& spec) -> ParamField {
    CalendarRegressionParams& params = std::get<Params>(spec.params);
    return &(params.*member);
  };
}

/// Every kind's parameters: training_years first and the interval's last, as the artifacts of
/// the flat format listed them, so that their params, and spec hashes, stay the same.
std::vector<ParamDef> WithCommon(std::vector<ParamDef> own) {
  std::vector<ParamDef> all = {
      {"training_years", 2, 30, "Years before the target year used for training.",
       CommonField(&CommonModelParams::training_years)},
  };
  for (ParamDef& p : own) all.push_back(std::move(p));
  all.push_back({"calibration_years", 0, 10,
                 "Years before the target year backtested to calibrate the prediction interval "
                 "from their forecast errors (0: the model's own training-residual interval).",
                 CommonField(&CommonModelParams::calibration_years)});
  all.push_back({"interval_coverage", 0.5, 0.999, "Nominal coverage of the prediction interval.",
                 CommonField(&CommonModelParams::interval_coverage)});
  return all;
}

template <typename Params>
std::vector<ParamDef> CalendarParams(std::string_view epochs_doc) {
  using P = CalendarRegressionParams;
  return WithCommon({
      {"epochs", 1, 1000, std::string(epochs_doc), KindField<Params>(&P::epochs)},
      {"fourier_order", 0, 12, "Annual Fourier harmonics in the calendar model.",
       KindField<Params>(&P::fourier_order)},
      {"huber_k", 0.1, 100, "Huber threshold, in robust standard deviations of the residuals.",
       KindField<Params>(&P::huber_k)},
      {"level_years", 1, 10,
       "Most recent training years whose mean level the forecast starts from.",
       KindField<Params>(&P::level_years)},
      {"level_days", 0, 366,
       "Last training days whose mean deviation from the fit shifts the forecast level (0: off).",
       KindField<Params>(&P::level_days)},
      {"recency_halflife", 0, 100,
       "Half-life in years of the weight of training days, newest weighing most (0: equal).",
       KindField<Params>(&P::recency_halflife)},
  });
}

std::string FormatField(const ParamField& field) {
  return std::visit([](auto* p) { return fmt::format("{}", *p); }, field);
}

}  // namespace

const std::vector<ModelKind>& ModelKinds() {
  // The order of the variant KindParams: a spec's kind is the index of its alternative.
  static const std::vector<ModelKind> kKinds = {
      {std::string(SeasonalNaive::kKind),
       "The benchmark: the load of the same weekday 52 weeks earlier; the interval from the "
       "quantiles of the year-on-year log ratios in training.",
       [](const ModelSpec& s) { return std::make_unique<SeasonalNaive>(s.common); },
       SeasonalNaiveParams{}, WithCommon({})},
      {std::string(CalendarRegression::kKind),
       "Log load regressed on the calendar (weekdays, holidays, bridges, annual harmonics, a "
       "level per year), fitted by Huber-reweighted least squares; forecasts a whole year at once.",
       [](const ModelSpec& s) {
         return std::make_unique<CalendarRegression>(s.common,
                                                     std::get<CalendarRegressionParams>(s.params));
       },
       CalendarRegressionParams{},
       CalendarParams<CalendarRegressionParams>(
           "Iterations of the iteratively reweighted (Huber) least-squares fit.")},
      {std::string(CalendarAr::kKind),
       "The calendar regression's expectation corrected by an autoregression on recent "
       "deviations from it; forecasts each day from the actuals up to the day before.",
       [](const ModelSpec& s) {
         return std::make_unique<CalendarAr>(s.common, std::get<CalendarArParams>(s.params));
       },
       CalendarArParams{},
       CalendarParams<CalendarArParams>(
           "Iterations of the iteratively reweighted (Huber) least-squares fits, of the calendar "
           "expectation and of the autoregression.")},
  };
  assert(kKinds.size() == std::variant_size_v<KindParams>);
  return kKinds;
}

const ModelKind* FindModelKind(std::string_view name) {
  for (const ModelKind& kind : ModelKinds()) {
    if (kind.name == name) return &kind;
  }
  return nullptr;
}

const ModelKind& KindOf(const ModelSpec& spec) { return ModelKinds().at(spec.params.index()); }

std::string_view ModelSpec::kind() const { return KindOf(*this).name; }

std::string ModelKindNames() {
  std::vector<std::string_view> names;
  for (const ModelKind& kind : ModelKinds()) names.push_back(kind.name);
  return fmt::format("{}", fmt::join(names, ", "));
}

ModelSpec DefaultModelSpec(std::string_view name) {
  const ModelKind* kind = FindModelKind(name);
  if (kind == nullptr) {
    throw UsageError(fmt::format("unknown model kind '{}' (valid: {})", name, ModelKindNames()));
  }
  return {.common = {}, .params = kind->defaults};
}

CalendarRegressionParams CalendarParamsOf(const ModelSpec& spec) {
  if (const auto* p = std::get_if<CalendarRegressionParams>(&spec.params)) return *p;
  if (const auto* p = std::get_if<CalendarArParams>(&spec.params)) return *p;
  return {};
}

std::optional<std::string> ModelSpecProblem(const ModelSpec& spec) {
  ModelSpec copy = spec;
  for (const ParamDef& def : KindOf(spec).params) {
    std::optional<std::string> problem;
    std::visit(
        [&](auto* p) {
          if (!(*p >= def.min && *p <= def.max)) {  // NaN fails too
            problem = fmt::format("'{}' = {} is outside [{}, {}]", def.key, *p, def.min, def.max);
          }
        },
        def.field(copy));
    if (problem) return problem;
  }
  return std::nullopt;
}

ModelSpec ModelSpecOf(const ModelSection& section, std::string_view horizon) {
  const std::string prefix = fmt::format("models.{}.", horizon);
  const ModelKind* kind = FindModelKind(section.kind);
  if (kind == nullptr) {
    const std::string origin = section.kind_where.empty() ? "configuration" : section.kind_where;
    throw ConfigError(fmt::format("{}: unknown model kind '{}' for {}kind (valid: {})", origin,
                                  section.kind, prefix, ModelKindNames()));
  }
  ModelSpec spec{.common = {}, .params = kind->defaults};
  for (const ModelSetting& setting : section.settings) {
    const auto def = std::find_if(kind->params.begin(), kind->params.end(),
                                  [&](const ParamDef& d) { return d.key == setting.key; });
    if (def == kind->params.end()) {
      // A default of the horizon that this kind does not have (fourier_order when the year
      // model is switched to the seasonal naive) does not apply; a setting from a file is wrong.
      if (setting.where.empty()) continue;
      std::vector<std::string_view> keys;
      for (const ParamDef& d : kind->params) keys.push_back(d.key);
      throw ConfigError(fmt::format("{}: unknown key '{}{}' for model kind '{}' (valid: kind, {})",
                                    setting.where, prefix, setting.key, kind->name,
                                    fmt::join(keys, ", ")));
    }
    const std::string where = setting.where.empty() ? "defaults" : setting.where;
    std::visit(
        [&](auto* p) {
          using T = std::remove_pointer_t<decltype(p)>;
          std::optional<T> value;
          if constexpr (std::is_same_v<T, int>) {
            value = ParseConfigInt(setting.value);
          } else {
            value = ParseConfigDouble(setting.value);
          }
          if (!value) {
            throw ConfigError(fmt::format("{}: '{}{}' has value '{}' of the wrong type", where,
                                          prefix, setting.key, setting.value));
          }
          if (!(*value >= def->min && *value <= def->max)) {  // NaN fails too
            throw ConfigError(fmt::format("{}: '{}{}' = {} is outside [{}, {}]", where, prefix,
                                          setting.key, setting.value, def->min, def->max));
          }
          *p = *value;
        },
        def->field(spec));
  }
  return spec;
}

ModelSpec ModelSpecOf(const Config& config, Horizon horizon) {
  return ModelSpecOf(config.model(horizon), HorizonName(horizon));
}

ModelSection SectionOf(const ModelSpec& spec) {
  ModelSection section{.kind = std::string(spec.kind()), .settings = {}, .kind_where = ""};
  ModelSpec copy = spec;
  for (const ParamDef& def : KindOf(spec).params) {
    section.settings.push_back({def.key, FormatField(def.field(copy)), ""});
  }
  return section;
}

Config ResolveModels(Config config) {
  config.year_model = SectionOf(ModelSpecOf(config, Horizon::kYear));
  config.day_model = SectionOf(ModelSpecOf(config, Horizon::kDay));
  return config;
}

std::string ModelKindsReference() {
  std::ostringstream out;
  for (const ModelKind& kind : ModelKinds()) {
    ModelSpec defaults{.common = {}, .params = kind.defaults};
    out << "### `" << kind.name << "`\n\n" << kind.description << "\n\n";
    out << "| parameter | default | range | meaning |\n| --- | --- | --- | --- |\n";
    for (const ParamDef& def : kind.params) {
      out << fmt::format("| `{}` | `{}` | {} .. {} | {} |\n", def.key,
                         FormatField(def.field(defaults)), def.min, def.max, def.doc);
    }
    out << "\n";
  }
  return out.str();
}

}  // namespace loadcast
