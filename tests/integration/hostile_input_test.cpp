// The hostile input corpus (tests/fixtures/bad/, described by its cases.json) through the real
// binary: each file is either stored exactly as its rows say or rejected with exit code 3, a
// message naming the file, the line and the problem, the rule's alert and a rejected run, while
// the bucket's data objects and every data table of the database keep the same SHA-256.
// Also: a directory, symlinks, a file name that tries to leave the bucket, and (under
// LOADCAST_STRESS=1, as `make stress` runs it) a 200 MB file.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/hash.hpp"
#include "support/cli_runner.hpp"
#include "support/ingested_workspace.hpp"
#include "support/temp_dir.hpp"
#include "support/workspace_backends.hpp"

namespace loadcast {
namespace {

namespace fs = std::filesystem;
using testing::HashObjects;
using testing::Json;
using testing::Loadcast;
using testing::ObjectBytes;
using testing::Slurp;
using testing::TempDir;
using testing::WorkspaceBucket;
using testing::WorkspaceDataTables;
using Result = testing::CliResult;
using Hashes = std::map<std::string, std::string>;

const fs::path kCorpus = fs::path(LOADCAST_SOURCE_DIR) / "tests/fixtures/bad";

/// One file of the corpus and what must become of it.
struct HostileFile {
  std::string file;
  std::string what;
  bool accepted = false;
  // When rejected: the rule, the line named and part of the problem.
  std::string rule;
  int line = 0;
  std::string message;
  // When accepted: the rows that must be stored, as (date, load).
  std::vector<std::pair<std::string, double>> rows;
};

void PrintTo(const HostileFile& f, std::ostream* os) { *os << f.file; }

std::vector<HostileFile> Corpus() {
  std::vector<HostileFile> corpus;
  for (const auto& c : nlohmann::json::parse(Slurp(kCorpus / "cases.json"))) {
    HostileFile f;
    f.file = c.at("file");
    f.what = c.at("case");
    f.accepted = c.at("outcome") == "accepted";
    if (f.accepted) {
      for (const auto& row : c.at("rows")) f.rows.emplace_back(row.at(0), row.at(1));
    } else {
      f.rule = c.at("rule");
      f.line = c.at("line");
      f.message = c.at("message");
    }
    corpus.push_back(std::move(f));
  }
  return corpus;
}

/// The bucket's objects without quarantine/, where rejected files are kept by design.
Hashes DataObjects(const ObjectStore& bucket) {
  Hashes objects = HashObjects(bucket);
  std::erase_if(objects, [](const auto& entry) { return entry.first.starts_with("quarantine/"); });
  return objects;
}

/// What loadcast holds, fingerprinted: the data objects and the data tables.
struct Holdings {
  Hashes objects;
  std::string tables_sha256;
  bool operator==(const Holdings&) const = default;
};

/// Each test works in its own copy of a folder that holds the bundled data (2006-2021).
class HostileInputTest : public testing::IngestedWorkspaceTest {
 protected:
  void SetUp() override { CopyIngestedWorkspace(dir_.path()); }

  const ObjectStore& Bucket() const { return *bucket_; }
  Holdings Hold() const {
    return {DataObjects(Bucket()), Sha256Hex(WorkspaceDataTables(dir_.path()))};
  }

  /// Ingests `input` and checks the rejection: exit 3, "input:line: problem [rule]" on stderr
  /// in a bounded message, a critical alert and a rejected run, and nothing held changed.
  void ExpectRejected(const fs::path& input, int line, const std::string& problem,
                      const std::string& alert_code) {
    const Holdings before = Hold();
    const Result r = Loadcast(dir_.path(), {"ingest", input.string()});
    EXPECT_EQ(r.exit_code, 3) << r.err;
    std::string where = input.string();
    if (line > 0) where += fmt::format(":{}", line);
    where += ": ";
    EXPECT_NE(r.err.find(where), std::string::npos) << where << "\n" << r.err;
    EXPECT_NE(r.err.find(problem), std::string::npos) << problem << "\n" << r.err;
    // However long or binary the input, the report stays readable.
    EXPECT_LT(r.err.size(), 8000u) << r.err.substr(0, 2000);
    for (const char c : r.err) {
      EXPECT_TRUE(c == '\n' || c == '\t' || static_cast<unsigned char>(c) >= 0x20)
          << "control byte in the message";
    }
    EXPECT_EQ(Hold(), before) << "a rejected file changed the data objects or tables";

    const nlohmann::json alerts = Json(Loadcast(dir_.path(), {"alerts", "--json"}));
    bool raised = false;
    for (const auto& a : alerts) raised |= a["code"] == alert_code && a["severity"] == "critical";
    EXPECT_TRUE(raised) << alert_code << " not among\n" << alerts.dump(2);
    const nlohmann::json runs = Json(Loadcast(dir_.path(), {"runs", "--json"}));
    EXPECT_EQ(runs[0]["command"], "ingest");
    EXPECT_EQ(runs[0]["status"], "rejected");
  }

  TempDir dir_;
  std::unique_ptr<ObjectStore> bucket_ = WorkspaceBucket(dir_.path());
};

/// The stored actuals of `year` as (date, load) rows, from the bucket's object.
std::vector<std::pair<std::string, double>> StoredRows(const ObjectStore& bucket, int year) {
  std::vector<std::pair<std::string, double>> rows;
  std::istringstream in(ObjectBytes(bucket, "actuals/" + std::to_string(year) + ".csv"));
  std::string line;
  std::getline(in, line);  // header
  while (std::getline(in, line)) {
    const auto comma = line.find(',');
    rows.emplace_back(line.substr(0, comma), std::stod(line.substr(comma + 1)));
  }
  return rows;
}

class CorpusFile : public HostileInputTest, public ::testing::WithParamInterface<HostileFile> {};

TEST_P(CorpusFile, IsStoredAsWrittenOrRejectedWithNothingChanged) {
  const HostileFile& f = GetParam();
  SCOPED_TRACE(f.file + ": " + f.what);
  const fs::path input = dir_.path() / "in" / f.file;
  fs::create_directories(input.parent_path());
  fs::copy_file(kCorpus / f.file, input);
  if (!f.accepted) {
    ExpectRejected(input, f.line, f.message, "validation." + f.rule);
    return;
  }
  const Hashes before = DataObjects(Bucket());
  const Result r = Loadcast(dir_.path(), {"ingest", input.string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(StoredRows(Bucket(), 2022), f.rows);
  // Only the new year's object was written, with its first revision's copy.
  Hashes after = DataObjects(Bucket());
  ASSERT_EQ(after.erase("actuals/2022.csv"), 1u);
  ASSERT_EQ(after.erase("actuals/revisions/2022/1.csv"), 1u);
  EXPECT_EQ(after, before);
}

INSTANTIATE_TEST_SUITE_P(Fixtures, CorpusFile, ::testing::ValuesIn(Corpus()), [](const auto& info) {
  std::string name = info.param.file.substr(0, info.param.file.rfind('.'));
  for (char& c : name) c = std::isalnum(static_cast<unsigned char>(c)) ? c : '_';
  return name;
});

TEST_F(HostileInputTest, TheCorpusHoldsAtLeastThirtyFilesAllDescribed) {
  std::size_t files = 0;
  for (const auto& entry : fs::directory_iterator(kCorpus))
    files += entry.path() != kCorpus / "cases.json";
  EXPECT_GE(files, 30u);
  EXPECT_EQ(files, Corpus().size()) << "every file of the corpus is described in cases.json";
}

TEST_F(HostileInputTest, ADirectoryIsRejected) {
  const fs::path folder = dir_.path() / "in/2022.csv";
  fs::create_directories(folder);
  ExpectRejected(folder, 0, "is a directory, not a data file", "data_rejected");
}

TEST_F(HostileInputTest, ADanglingSymlinkIsRejected) {
  const fs::path link = dir_.path() / "in/2022.csv";
  fs::create_directories(link.parent_path());
  fs::create_symlink(dir_.path() / "in/gone.csv", link);
  ExpectRejected(link, 0, "no such file", "data_rejected");
}

TEST_F(HostileInputTest, ASymlinkToAGoodFileIsReadThroughTheLink) {
  // The command line names the file; a link to a regular file is that file, as for cat.
  const fs::path link = dir_.path() / "in/2022.csv";
  fs::create_directories(link.parent_path());
  fs::create_symlink(kCorpus / "crlf.csv", link);
  const Result r = Loadcast(dir_.path(), {"ingest", link.string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(StoredRows(Bucket(), 2022).size(), 7u);
}

TEST_F(HostileInputTest, AFileNameThatTriesToLeaveTheBucketIsQuarantinedInsideIt) {
  // The rejected file's copy is named after the file: whatever the name, it lands in quarantine/.
  const fs::path input = dir_.path() / "in/..%2F..%2Fescape ..\\..\\$(id).csv";
  fs::create_directories(input.parent_path());
  std::ofstream(input) << "date,load\n2022-01-01,abc\n";
  ExpectRejected(input, 2, "'abc' is not a number", "validation.not_a_number");
  std::size_t outside = 0;
  for (const auto& entry : fs::recursive_directory_iterator(dir_.path())) {
    const std::string rel = fs::relative(entry.path(), dir_.path()).generic_string();
    if (entry.is_regular_file() && !rel.starts_with("var/") && !rel.starts_with("in/")) {
      ++outside;
      ADD_FAILURE() << "written outside the bucket: " << rel;
    }
  }
  EXPECT_EQ(outside, 0u);
  std::size_t quarantined = 0;
  for (const std::string& key : Bucket().List("")) quarantined += key.starts_with("quarantine/");
  EXPECT_EQ(quarantined, 2u);  // the copy and its reason
}

TEST_F(HostileInputTest, ControlBytesOfAFileNameAreEscapedOnStandardErrorAndInAlerts) {
  // A name that would end the line and turn the terminal red if written as it is.
  const fs::path input = dir_.path() / "in" / "bad\nname\x1b[31m.csv";
  fs::create_directories(input.parent_path());
  std::ofstream(input) << "date,load\n2022-01-01,abc\n";
  const Result r = Loadcast(dir_.path(), {"ingest", input.string()});
  EXPECT_EQ(r.exit_code, 3) << r.err;
  for (const char c : r.err) {
    const auto byte = static_cast<unsigned char>(c);
    EXPECT_FALSE((byte < 0x20 && c != '\n') || byte == 0x7f)
        << "raw control byte " << static_cast<int>(byte) << " on standard error";
  }
  EXPECT_NE(r.err.find("bad\\nname\\x1b[31m.csv"), std::string::npos) << r.err;
  // No line of its own starts where the name's newline was.
  EXPECT_EQ(r.err.find("\nname"), std::string::npos) << r.err;

  const nlohmann::json alerts = Json(Loadcast(dir_.path(), {"alerts", "--json"}));
  bool named = false;
  for (const auto& alert : alerts) {
    for (const char* field : {"message", "subject"}) {
      const std::string text = alert[field].get<std::string>();
      EXPECT_EQ(text.find_first_of("\n\x1b"), std::string::npos) << field << ": " << text;
      named = named || text.find("bad\\nname\\x1b[31m.csv") != std::string::npos;
    }
  }
  EXPECT_TRUE(named) << alerts.dump();
}

TEST_F(HostileInputTest, A200MegabyteFileIsRejectedWithoutBeingRead) {
  if (std::getenv("LOADCAST_STRESS") == nullptr) {
    GTEST_SKIP() << "writes a 200 MB file: run by `make stress` (LOADCAST_STRESS=1)";
  }
  const fs::path input = dir_.path() / "in/huge.csv";
  fs::create_directories(input.parent_path());
  {
    std::ofstream out(input, std::ios::binary);
    out << "date,load\n";
    const std::string row = "2022-01-01,512315.6\n";
    for (std::size_t written = 0; written < (200u << 20); written += row.size()) out << row;
  }
  ASSERT_GE(fs::file_size(input), 200u << 20);
  ExpectRejected(input, 0, "above the limit", "data_rejected");
}

}  // namespace
}  // namespace loadcast
