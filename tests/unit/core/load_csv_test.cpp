#include "core/load_csv.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <fstream>
#include <limits>
#include <sstream>
#include <string>
#include <vector>

#include "core/errors.hpp"
#include "support/temp_dir.hpp"

namespace loadcast {
namespace {

Date D(const char* iso) { return Date::ParseIso(iso).value(); }

::testing::AssertionResult Contains(const std::string& text, const std::string& part) {
  if (text.find(part) != std::string::npos) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << "'" << part << "' not found in:\n" << text;
}

/// Parses text that must be rejected and returns the DataError message.
std::string ParseError(std::string_view text, std::string_view source = "upload.csv") {
  try {
    const LoadTable table = ParseLoadCsv(text, source);
    ADD_FAILURE() << "parsed " << table.rows.size() << " rows without error";
  } catch (const DataError& e) {
    EXPECT_EQ(e.exit_code(), ExitCode::kDataRejected);
    return e.what();
  }
  return "";
}

TimeSeries ToSeries(const LoadTable& table) {
  TimeSeries series;
  for (const LoadRow& row : table.rows) series.set(row.date, row.load);
  return series;
}

/// Bitwise equality, NaN holes included.
void ExpectSameSeries(const TimeSeries& a, const TimeSeries& b) {
  ASSERT_EQ(a.start(), b.start());
  ASSERT_EQ(a.size(), b.size());
  for (std::size_t i = 0; i < a.size(); ++i) {
    const double x = a.values()[i];
    const double y = b.values()[i];
    if (std::isnan(x) || std::isnan(y)) {
      EXPECT_TRUE(std::isnan(x) && std::isnan(y)) << a.date_at(i).ToIso();
    } else {
      EXPECT_EQ(std::memcmp(&x, &y, sizeof x), 0)
          << a.date_at(i).ToIso() << ": " << x << " vs " << y;
    }
  }
}

TEST(LoadCsv, ParsesAGoodFile) {
  const LoadTable table =
      ParseLoadCsv("date,load\n2021-01-01,612345.5\n2021-01-02,701000\n2021-01-03,1e6\n", "a.csv");
  EXPECT_EQ(table.source, "a.csv");
  ASSERT_EQ(table.rows.size(), 3u);
  EXPECT_EQ(table.rows[0].date, D("2021-01-01"));
  EXPECT_EQ(table.rows[0].load, 612345.5);
  EXPECT_EQ(table.rows[0].line, 2);
  EXPECT_EQ(table.rows[1].date, D("2021-01-02"));
  EXPECT_EQ(table.rows[1].load, 701000.0);
  EXPECT_EQ(table.rows[1].line, 3);
  EXPECT_EQ(table.rows[2].load, 1e6);
  EXPECT_EQ(table.rows[2].line, 4);
}

TEST(LoadCsv, KeepsFileOrderWithoutSortingOrDeduplicating) {
  // Ordering and duplicates are the validator's business; the parser reports what is there.
  const LoadTable table =
      ParseLoadCsv("date,load\n2021-01-03,3\n2021-01-01,1\n2021-01-03,4\n", "a.csv");
  ASSERT_EQ(table.rows.size(), 3u);
  EXPECT_EQ(table.rows[0].date, D("2021-01-03"));
  EXPECT_EQ(table.rows[1].date, D("2021-01-01"));
  EXPECT_EQ(table.rows[2].load, 4.0);
}

TEST(LoadCsv, AcceptsHeaderInAnyCase) {
  for (const char* header : {"date,load", "Date,Load", "DATE,LOAD", "dAtE,LoAd", " Date , Load "}) {
    const std::string text = std::string(header) + "\n2021-01-01,5\n";
    EXPECT_EQ(ParseLoadCsv(text, "a.csv").rows.size(), 1u) << header;
  }
}

TEST(LoadCsv, AcceptsUtf8ByteOrderMark) {
  const LoadTable table = ParseLoadCsv(
      "\xEF\xBB\xBF"
      "Date,Load\n2021-01-01,5\n",
      "a.csv");
  ASSERT_EQ(table.rows.size(), 1u);
  EXPECT_EQ(table.rows[0].load, 5.0);
}

TEST(LoadCsv, AcceptsCrlfLineEnds) {
  const LoadTable table = ParseLoadCsv("Date,Load\r\n2021-01-01,5.5\r\n2021-01-02,6\r\n", "a.csv");
  ASSERT_EQ(table.rows.size(), 2u);
  EXPECT_EQ(table.rows[0].load, 5.5);
  EXPECT_EQ(table.rows[1].date, D("2021-01-02"));
  EXPECT_EQ(table.rows[1].load, 6.0);
}

TEST(LoadCsv, AcceptsSurroundingWhitespace) {
  const LoadTable table = ParseLoadCsv("date,load\n  2021-01-01 ,\t7.25 \n", "a.csv");
  ASSERT_EQ(table.rows.size(), 1u);
  EXPECT_EQ(table.rows[0].date, D("2021-01-01"));
  EXPECT_EQ(table.rows[0].load, 7.25);
}

TEST(LoadCsv, AcceptsOneQuotedField) {
  const LoadTable table =
      ParseLoadCsv("date,load\n\"2021-01-01\",5\n2021-01-02,\"6.5\"\n", "a.csv");
  ASSERT_EQ(table.rows.size(), 2u);
  EXPECT_EQ(table.rows[0].date, D("2021-01-01"));
  EXPECT_EQ(table.rows[0].load, 5.0);
  EXPECT_EQ(table.rows[1].load, 6.5);
}

TEST(LoadCsv, AcceptsMissingFinalNewline) {
  const LoadTable table = ParseLoadCsv("date,load\n2021-01-01,5\n2021-01-02,6", "a.csv");
  ASSERT_EQ(table.rows.size(), 2u);
  EXPECT_EQ(table.rows[1].load, 6.0);
}

TEST(LoadCsv, AcceptsOneExtraTrailingNewline) {
  EXPECT_EQ(ParseLoadCsv("date,load\n2021-01-01,5\n\n", "a.csv").rows.size(), 1u);
  EXPECT_EQ(ParseLoadCsv("date,load\r\n2021-01-01,5\r\n\r\n", "a.csv").rows.size(), 1u);
  EXPECT_EQ(ParseLoadCsv("date,load\n2021-01-01,5\n   \n", "a.csv").rows.size(), 1u);
}

TEST(LoadCsv, RejectsBlankLineInTheMiddle) {
  const std::string message = ParseError("date,load\n2021-01-01,5\n\n2021-01-03,6\n");
  EXPECT_TRUE(Contains(message, "upload.csv:3: empty line (missing row)"));
}

TEST(LoadCsv, RejectsEmptyFile) {
  const std::string message = ParseError("", "empty.csv");
  EXPECT_TRUE(Contains(message, "empty.csv:1:"));
  EXPECT_TRUE(Contains(message, "file is empty"));
}

TEST(LoadCsv, RejectsEmptyHeaderLine) {
  EXPECT_TRUE(Contains(ParseError("\n2021-01-01,5\n"), "upload.csv:1: empty header line"));
}

TEST(LoadCsv, RejectsHeaderOnly) {
  const std::string message = ParseError("date,load\n", "header.csv");
  EXPECT_TRUE(Contains(message, "header.csv:1:"));
  EXPECT_TRUE(Contains(message, "no data rows"));
}

TEST(LoadCsv, RejectsWrongHeader) {
  for (const char* text :
       {"day,load\n2021-01-01,5\n", "date,value\n2021-01-01,5\n", "load,date\n5,2021-01-01\n",
        "2021-01-01,5\n2021-01-02,6\n", "date\n2021-01-01\n"}) {
    const std::string message = ParseError(text);
    EXPECT_TRUE(Contains(message, "upload.csv:1: header"));
    EXPECT_TRUE(Contains(message, "must be exactly the columns 'date,load'"));
  }
}

TEST(LoadCsv, SendsAFileWithASeriesColumnToSeriesIngest) {
  const std::string message = ParseError("date,series,load\n2021-01-01,north,5\n");
  EXPECT_TRUE(Contains(message,
                       "upload.csv:1: header 'date,series,load' must be exactly the "
                       "columns 'date,load' (a file with a series column goes to "
                       "'loadcast series ingest')"))
      << message;
  EXPECT_FALSE(Contains(ParseError("date,value\n2021-01-01,5\n"), "series"));
}

TEST(LoadCsv, RejectsDuplicateHeaderColumns) {
  EXPECT_TRUE(Contains(ParseError("date,date\n2021-01-01,2021-01-02\n"),
                       "upload.csv:1: header 'date,date'"));
  EXPECT_TRUE(Contains(ParseError("load,load\n5,6\n"), "upload.csv:1: header 'load,load'"));
}

TEST(LoadCsv, RejectsExtraHeaderColumn) {
  EXPECT_TRUE(Contains(ParseError("date,load,temperature\n2021-01-01,5,3\n"),
                       "upload.csv:1: header 'date,load,temperature'"));
}

TEST(LoadCsv, RejectsExtraColumnsInRows) {
  const std::string message = ParseError("date,load\n2021-01-01,5\n2021-01-02,6,7,8\n");
  EXPECT_TRUE(Contains(message, "upload.csv:3: row '2021-01-02,6,7,8' has 4 fields; expected 2"));
}

TEST(LoadCsv, RejectsMissingColumn) {
  const std::string message = ParseError("date,load\n2021-01-01\n");
  EXPECT_TRUE(Contains(message, "upload.csv:2: row '2021-01-01' has 1 fields; expected 2"));
}

TEST(LoadCsv, RejectsSemicolonSeparator) {
  EXPECT_TRUE(Contains(ParseError("date;load\n2021-01-01;5\n"),
                       "upload.csv:1: header 'date;load' uses ';' as separator"));
  EXPECT_TRUE(Contains(ParseError("date,load\n2021-01-01;5\n"),
                       "upload.csv:2: row '2021-01-01;5' uses ';' as separator"));
}

TEST(LoadCsv, RejectsDecimalComma) {
  const std::string message = ParseError("date,load\n2021-01-01,612345,5\n");
  EXPECT_TRUE(Contains(message, "upload.csv:2:"));
  EXPECT_TRUE(Contains(message, "decimal comma"));
}

TEST(LoadCsv, RejectsThousandsSeparator) {
  const std::string message = ParseError("date,load\n2021-01-01,612,345.5\n");
  EXPECT_TRUE(Contains(message, "upload.csv:2:"));
  EXPECT_TRUE(Contains(message, "thousands separator"));
  // A thousands separator without a comma is still not a plain number.
  EXPECT_TRUE(Contains(ParseError("date,load\n2021-01-01,612'345\n"),
                       "upload.csv:2: load '612'345' is not a number"));
  EXPECT_TRUE(Contains(ParseError("date,load\n2021-01-01,612 345\n"),
                       "upload.csv:2: load '612 345' is not a number"));
}

TEST(LoadCsv, RejectsNonNumericLoad) {
  for (const char* load : {"abc", "12a", "1.2.3", "--5", "0x10", "5 MWh"}) {
    const std::string text = std::string("date,load\n2021-01-01,") + load + "\n";
    EXPECT_TRUE(Contains(ParseError(text),
                         std::string("upload.csv:2: load '") + load + "' is not a number"));
  }
}

TEST(LoadCsv, RejectsNonFiniteLoad) {
  for (const char* load : {"nan", "NaN", "inf", "-inf", "+inf", "Infinity", "INF"}) {
    const std::string text = std::string("date,load\n2021-01-01,") + load + "\n";
    EXPECT_TRUE(Contains(ParseError(text),
                         std::string("upload.csv:2: load '") + load + "' is not a finite number"));
  }
  // Overflowing values are not finite either.
  EXPECT_TRUE(Contains(ParseError("date,load\n2021-01-01,1e999\n"), "upload.csv:2: load"));
}

TEST(LoadCsv, RejectsMissingValues) {
  EXPECT_TRUE(Contains(ParseError("date,load\n2021-01-01,\n"),
                       "upload.csv:2: missing load for 2021-01-01"));
  EXPECT_TRUE(Contains(ParseError("date,load\n2021-01-01,  \n"),
                       "upload.csv:2: missing load for 2021-01-01"));
  EXPECT_TRUE(Contains(ParseError("date,load\n,5\n"), "upload.csv:2: missing date"));
}

TEST(LoadCsv, RejectsBadDates) {
  for (const char* date : {"01/01/2021", "2021-1-1", "2021/01/01", "20210101", "yesterday"}) {
    const std::string text = std::string("date,load\n") + date + ",5\n";
    EXPECT_TRUE(Contains(ParseError(text),
                         std::string("upload.csv:2: date '") + date + "' is not a valid ISO date"));
  }
}

TEST(LoadCsv, RejectsImpossibleDates) {
  for (const char* date : {"2021-02-29", "2021-13-01", "2021-04-31", "2021-00-10"}) {
    const std::string text = std::string("date,load\n2021-01-01,4\n") + date + ",5\n";
    EXPECT_TRUE(Contains(ParseError(text),
                         std::string("upload.csv:3: date '") + date + "' is not a valid ISO date"));
  }
}

TEST(LoadCsv, RejectsBinaryContent) {
  const std::string text("date,load\n2021-01-01,5\n\0\0\x01\x02", 26);
  const std::string message = ParseError(text, "blob.csv");
  EXPECT_TRUE(Contains(message, "blob.csv:1:"));
  EXPECT_TRUE(Contains(message, "NUL bytes"));
}

TEST(LoadCsv, ReportsEveryBadLineWithItsNumber) {
  const std::string message = ParseError(
      "date,load\n2021-01-01,5\n2021-01-02,x\n2021-01-03,6\n2021-02-30,7\n2021-01-05,\n");
  EXPECT_TRUE(Contains(message, "upload.csv:3: load 'x' is not a number"));
  EXPECT_TRUE(Contains(message, "upload.csv:5: date '2021-02-30'"));
  EXPECT_TRUE(Contains(message, "upload.csv:6: missing load"));
  EXPECT_FALSE(Contains(message, "upload.csv:2:"));
  EXPECT_FALSE(Contains(message, "upload.csv:4:"));
  EXPECT_FALSE(Contains(message, "more problems"));
}

TEST(LoadCsv, CapsManyErrorsWithACount) {
  // 25 bad rows: the first 20 are listed, the rest counted, so a wrong file gives a short message.
  std::string text = "date,load\n";
  for (int i = 1; i <= 25; ++i)
    text += "2021-01-" + std::string(i < 10 ? "0" : "") + std::to_string(i) + ",bad\n";
  const std::string message = ParseError(text, "many.csv");
  EXPECT_TRUE(Contains(message, "many.csv:2: load 'bad' is not a number"));
  EXPECT_TRUE(Contains(message, "many.csv:21: load 'bad'"));  // the 20th problem
  EXPECT_FALSE(Contains(message, "many.csv:22:"));
  EXPECT_TRUE(Contains(message, "many.csv: ... and 5 more problems"));
  EXPECT_EQ(std::count(message.begin(), message.end(), '\n'), 20);
}

TEST(LoadCsv, QuotesControlBytesAndLongValuesInMessages) {
  const std::string message = ParseError("date,load\n2021-01-01,5\x01x\n");
  EXPECT_TRUE(Contains(message, "load '5\\x01x' is not a number"));
  const std::string long_value(100, '9');
  const std::string long_message = ParseError("date,load\n2021-01-01," + long_value + "z\n");
  EXPECT_TRUE(Contains(long_message, "'" + std::string(40, '9') + "...'"));
}

TEST(FormatLoadCsv, WritesHeaderAndKnownDaysOnly) {
  TimeSeries series(D("2021-01-01"), {612345.5, kMissing, 701000.0, 0.1});
  EXPECT_EQ(FormatLoadCsv(series),
            "date,load\n2021-01-01,612345.5\n2021-01-03,701000\n2021-01-04,0.1\n");
  EXPECT_EQ(FormatLoadCsv(TimeSeries()), "date,load\n");
}

TEST(FormatLoadCsv, RoundTripsExactly) {
  // Values chosen to need all 17 significant digits, or to be tiny, huge or awkward in decimal.
  TimeSeries series(D("2020-02-27"),
                    {629656.3782500001, 1.0 / 3.0, 0.1 + 0.2, kMissing, kMissing, 1e-300,
                     std::numeric_limits<double>::max(), std::numeric_limits<double>::min(),
                     std::numeric_limits<double>::denorm_min(), 123456789.12345678, 0.0, -0.0,
                     -42.5, 675891.21325});
  const std::string text = FormatLoadCsv(series);
  ExpectSameSeries(ToSeries(ParseLoadCsv(text, "round.csv")), series);
}

TEST(FormatLoadCsv, IsCanonical) {
  // The same data built in different orders gives identical bytes: content hashes rely on it.
  TimeSeries forward;
  TimeSeries backward;
  const std::vector<double> values = {600000.25, 700000.0, 650000.125, 1.0 / 7.0, 1e5};
  for (std::size_t i = 0; i < values.size(); ++i) {
    forward.set(D("2021-03-27") + static_cast<int>(i), values[i]);
    backward.set(D("2021-03-27") + static_cast<int>(values.size() - 1 - i),
                 values[values.size() - 1 - i]);
  }
  const std::string text = FormatLoadCsv(forward);
  EXPECT_EQ(FormatLoadCsv(backward), text);
  // Re-formatting parsed text, even from a differently written file, gives the same bytes.
  EXPECT_EQ(FormatLoadCsv(ToSeries(ParseLoadCsv(text, "a.csv"))), text);
  const std::string messy =
      "\xEF\xBB\xBF"
      "DATE,LOAD\r\n"
      "2021-03-27,600000.250\r\n\"2021-03-28\",7e5\r\n2021-03-29, 650000.125 \r\n"
      "2021-03-30,0.14285714285714285\r\n2021-03-31,100000.0\r\n\r\n";
  EXPECT_EQ(FormatLoadCsv(ToSeries(ParseLoadCsv(messy, "messy.csv"))), text);
}

TEST(FormatLoadCsv, RoundTripsTheBundledData) {
  std::ifstream in(testing::BundledData(), std::ios::binary);
  ASSERT_TRUE(in) << testing::BundledData();
  std::stringstream buffer;
  buffer << in.rdbuf();
  const LoadTable table = ParseLoadCsv(buffer.str(), "load.csv");
  ASSERT_EQ(table.rows.size(), 5844u);  // 2006-01-01 .. 2021-12-31
  EXPECT_EQ(table.rows.front().date, D("2006-01-01"));
  EXPECT_EQ(table.rows.back().date, D("2021-12-31"));
  const TimeSeries series = ToSeries(table);
  EXPECT_EQ(series.count_known(), 5844u);
  const std::string text = FormatLoadCsv(series);
  ExpectSameSeries(ToSeries(ParseLoadCsv(text, "canonical.csv")), series);
  EXPECT_EQ(FormatLoadCsv(ToSeries(ParseLoadCsv(text, "canonical.csv"))), text);
}

TEST(LoadCsv, AcceptsEveryFieldDoubleQuoted) {
  // As some spreadsheets export: header and every field of every row in double quotes.
  const LoadTable table = ParseLoadCsv(
      "\"date\",\"load\"\n\"2021-01-01\",\"700000.5\"\n\"2021-01-02\",\"612345\"\n", "a.csv");
  ASSERT_EQ(table.rows.size(), 2u);
  EXPECT_EQ(table.rows[0].date, D("2021-01-01"));
  EXPECT_EQ(table.rows[0].load, 700000.5);
  EXPECT_EQ(table.rows[0].line, 2);
  EXPECT_EQ(table.rows[1].date, D("2021-01-02"));
  EXPECT_EQ(table.rows[1].load, 612345.0);
  // Quoted header in any case and with CRLF line ends too.
  const LoadTable crlf =
      ParseLoadCsv("\"Date\",\"Load\"\r\n\"2021-01-01\",\"700000.5\"\r\n", "a.csv");
  ASSERT_EQ(crlf.rows.size(), 1u);
  EXPECT_EQ(crlf.rows[0].load, 700000.5);
}

TEST(LoadCsv, ParsesQuotedAndUnquotedFilesIdentically) {
  const std::string plain = "date,load\n2021-01-01,700000.5\n2021-01-02,1e6\n";
  const std::string quoted =
      "\"date\",\"load\"\n\"2021-01-01\",\"700000.5\"\n\"2021-01-02\",\"1e6\"\n";
  ExpectSameSeries(ToSeries(ParseLoadCsv(quoted, "q.csv")), ToSeries(ParseLoadCsv(plain, "p.csv")));
}

TEST(LoadCsv, StillRejectsBadValuesInsideQuotes) {
  EXPECT_TRUE(Contains(ParseError("\"date\",\"load\"\n\"2021-01-01\",\"abc\"\n"),
                       "upload.csv:2: load 'abc' is not a number"));
  EXPECT_TRUE(Contains(ParseError("\"date\",\"load\"\n\"2021-02-30\",\"5\"\n"),
                       "upload.csv:2: date '2021-02-30' is not a valid ISO date"));
  EXPECT_TRUE(Contains(ParseError("\"date\",\"value\"\n\"2021-01-01\",\"5\"\n"),
                       "must be exactly the columns 'date,load'"));
}

TEST(LoadCsv, AcceptsAnyNumberOfTrailingBlankLines) {
  for (const char* text : {"date,load\n2021-01-01,5\n2021-01-02,6\n\n\n",
                           "date,load\n2021-01-01,5\n2021-01-02,6\n\n\n\n\n\n",
                           "date,load\r\n2021-01-01,5\r\n2021-01-02,6\r\n\r\n\r\n",
                           "date,load\r\n2021-01-01,5\r\n2021-01-02,6\r\n\r\n\r\n\r\n",
                           "date,load\n2021-01-01,5\n2021-01-02,6\n \n\t\n\r\n\n"}) {
    SCOPED_TRACE(::testing::PrintToString(std::string(text)));
    const LoadTable table = ParseLoadCsv(text, "a.csv");
    ASSERT_EQ(table.rows.size(), 2u);
    EXPECT_EQ(table.rows[1].date, D("2021-01-02"));
    EXPECT_EQ(table.rows[1].load, 6.0);
  }
}

TEST(LoadCsv, RejectsBlankLineInTheMiddleEvenWithTrailingBlankLines) {
  // The trailing blank lines are forgiven; the missing row in the middle is not.
  const std::string message = ParseError("date,load\n2021-01-01,5\n\n2021-01-03,6\n\n\n");
  EXPECT_TRUE(Contains(message, "upload.csv:3: empty line (missing row)"));
  EXPECT_FALSE(Contains(message, "upload.csv:5:"));
  EXPECT_FALSE(Contains(message, "upload.csv:6:"));
  const std::string crlf =
      ParseError("date,load\r\n2021-01-01,5\r\n2021-01-02,6\r\n\r\n2021-01-04,7\r\n\r\n\r\n");
  EXPECT_TRUE(Contains(crlf, "upload.csv:4: empty line (missing row)"));
}

TEST(LoadCsv, RejectsHeaderFollowedOnlyByBlankLines) {
  const std::string message = ParseError("date,load\n\n\n\n", "header.csv");
  EXPECT_TRUE(Contains(message, "no data rows"));
}

/// The rule of the one finding ReadLoadCsv reports for `text`.
std::string RuleOf(std::string_view text) {
  const ParsedLoadCsv parsed = ReadLoadCsv(text, "upload.csv");
  EXPECT_EQ(parsed.findings.size(), 1u) << text;
  return parsed.findings.empty() ? "" : parsed.findings.front().rule;
}

TEST(ReadLoadCsv, NamesTheRuleEachProblemBreaks) {
  EXPECT_EQ(RuleOf(""), "file_format");
  EXPECT_EQ(RuleOf(std::string("date,load\n\0", 12)), "file_format");
  EXPECT_EQ(RuleOf("date,load\n"), "file_format");
  EXPECT_EQ(RuleOf("day,value\n2021-01-01,5\n"), "columns");
  EXPECT_EQ(RuleOf("date,load\n2021-01-02,6,7,8\n"), "columns");
  EXPECT_EQ(RuleOf("date,load\n2021-01-01\n"), "columns");
  EXPECT_EQ(RuleOf("date;load\n2021-01-01;5\n"), "semicolon_separator");
  EXPECT_EQ(RuleOf("date,load\n2021-01-01;5\n"), "semicolon_separator");
  // Semicolons with decimal commas, as an Italian spreadsheet exports them.
  EXPECT_EQ(RuleOf("date,load\n2021-01-01;612345,5\n"), "semicolon_separator");
  EXPECT_EQ(RuleOf("date,load\n2021-01-01,612345,5\n"), "decimal_comma");
  EXPECT_EQ(RuleOf("date,load\n2021-01-01,\"612345,5\"\n"), "decimal_comma");
  EXPECT_EQ(RuleOf("date,load\n2021-01-01,\"1.612.345,5\"\n"), "decimal_comma");
  EXPECT_EQ(RuleOf("date,load\n2021-01-01,612,345.5\n"), "thousands_separator");
  EXPECT_EQ(RuleOf("date,load\n2021-01-01,1,612,345\n"), "thousands_separator");
  EXPECT_EQ(RuleOf("date,load\n2021-01-01,\"612,345\"\n"), "thousands_separator");
  EXPECT_EQ(RuleOf("date,load\n01/01/2021,5\n"), "date_format");
  EXPECT_EQ(RuleOf("date,load\n2021-02-29,5\n"), "date_format");
  EXPECT_EQ(RuleOf("date,load\n,5\n"), "missing_value");
  EXPECT_EQ(RuleOf("date,load\n2021-01-01,\n"), "missing_value");
  EXPECT_EQ(RuleOf("date,load\n2021-01-01,5\n\n2021-01-03,6\n"), "missing_value");
  EXPECT_EQ(RuleOf("date,load\n2021-01-01,abc\n"), "not_a_number");
  EXPECT_EQ(RuleOf("date,load\n2021-01-01,nan\n"), "not_a_number");
}

TEST(ReadLoadCsv, ReportsFindingsWithSourceAndLineAndKeepsTheRowsThatParsed) {
  const ParsedLoadCsv parsed =
      ReadLoadCsv("date,load\n2021-01-01,5\n2021-01-02,6,5\n2021-01-03,7\n", "in.csv");
  ASSERT_EQ(parsed.findings.size(), 1u);
  const Finding& f = parsed.findings.front();
  EXPECT_EQ(f.rule, "decimal_comma");
  EXPECT_EQ(f.severity, Severity::kError);
  EXPECT_EQ(f.source, "in.csv");
  EXPECT_EQ(f.line, 3);
  EXPECT_TRUE(Contains(f.problem, "the load '6,5' uses a decimal comma"));
  EXPECT_EQ(parsed.table.rows.size(), 2u);
  EXPECT_TRUE(ReadLoadCsv("date,load\n2021-01-01,5\n", "in.csv").findings.empty());
}

}  // namespace
}  // namespace loadcast
