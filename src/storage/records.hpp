// The rows loadcast keeps in its database, independent of the backend that stores them: each
// dataset's header holds its record types beside its queries; this header gathers them all.
#pragma once

#include "storage/datasets/alerts.hpp"
#include "storage/datasets/forecasts.hpp"
#include "storage/datasets/models.hpp"
#include "storage/datasets/monitor.hpp"
#include "storage/datasets/revisions.hpp"
#include "storage/datasets/runs.hpp"
#include "storage/datasets/scores.hpp"
#include "storage/datasets/series_results.hpp"
