#include "core/printable.hpp"

#include <gtest/gtest.h>

namespace loadcast {
namespace {

TEST(EscapeControlBytes, WritesLineBreaksEscapesAndOtherControlsAsEscapes) {
  EXPECT_EQ(EscapeControlBytes("bad\nname\x1b[31m.csv"), "bad\\nname\\x1b[31m.csv");
  EXPECT_EQ(EscapeControlBytes("a\rb\tc"), "a\\rb\\tc");
  EXPECT_EQ(EscapeControlBytes(std::string("nul\0byte", 8)), "nul\\x00byte");
  EXPECT_EQ(EscapeControlBytes("del\x7f"), "del\\x7f");
  // C1 controls (U+009B is a terminal's one-byte CSI).
  EXPECT_EQ(EscapeControlBytes("csi\xc2\x9b"
                               "31m"),
            "csi\\xc2\\x9b31m");
}

TEST(EscapeControlBytes, KeepsPrintableUtf8AndBackslashes) {
  EXPECT_EQ(EscapeControlBytes("carico–città ☀ 😀"), "carico–città ☀ 😀");
  EXPECT_EQ(EscapeControlBytes("C:\\data\\load.csv"), "C:\\data\\load.csv");
  EXPECT_EQ(EscapeControlBytes(""), "");
}

TEST(EscapeControlBytes, WritesBytesThatAreNotUtf8AsHex) {
  EXPECT_EQ(EscapeControlBytes("\xff"), "\\xff");
  EXPECT_EQ(EscapeControlBytes("a\xc3"), "a\\xc3");                  // cut sequence
  EXPECT_EQ(EscapeControlBytes("\xc0\xaf"), "\\xc0\\xaf");           // overlong '/'
  EXPECT_EQ(EscapeControlBytes("\xed\xa0\x80"), "\\xed\\xa0\\x80");  // surrogate
}

TEST(IsValidUtf8, AcceptsUtf8AndRefusesOtherBytes) {
  EXPECT_TRUE(IsValidUtf8("plain"));
  EXPECT_TRUE(IsValidUtf8("città 😀"));
  EXPECT_TRUE(IsValidUtf8(""));
  EXPECT_FALSE(IsValidUtf8("\xff"));
  EXPECT_FALSE(IsValidUtf8("a\xc3"));
  EXPECT_FALSE(IsValidUtf8("\xc0\xaf"));
  EXPECT_FALSE(IsValidUtf8("\xf4\x90\x80\x80"));  // beyond U+10FFFF
}

}  // namespace
}  // namespace loadcast
