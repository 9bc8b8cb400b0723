// How the bucket-held datasets name themselves in errors, as the database's datasets do
// (storage/sql/dataset_connection.hpp): "dataset 'actuals/2021.csv': ...".
#pragma once

#include <string>

#include "core/errors.hpp"

namespace loadcast {

/// Runs `body`, prefixing any storage failure with the dataset (or object) it concerns.
template <typename F>
auto WithDataset(const std::string& dataset, F&& body) -> decltype(body()) {
  try {
    return body();
  } catch (const StorageError& e) {
    throw StorageError("dataset '" + dataset + "': " + e.what());
  }
}

}  // namespace loadcast
