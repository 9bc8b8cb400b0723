// The schema version this build's migrations bring a database to (storage/sql/migrations.cpp):
// one more with each migration entry.
#pragma once

namespace loadcast::testing {

inline constexpr int kLatestSchema = 11;

}  // namespace loadcast::testing
