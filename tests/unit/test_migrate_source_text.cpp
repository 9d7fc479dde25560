#include "migrate/checksum.h"
#include "migrate/source_text.h"

#include <gtest/gtest.h>

using namespace vidb::migrate;

TEST(Checksum, IsHexSha256)
{
    EXPECT_EQ(sha256_hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    EXPECT_EQ(sha256_hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    EXPECT_EQ(sha256_hex(std::string("a\0b", 3)).size(), 64u);
}

TEST(SourceText, CrlfBecomesLfSoCheckoutsAgree)
{
    EXPECT_EQ(normalize_line_endings("a\r\nb\r\n"), "a\nb\n");
    EXPECT_EQ(normalize_line_endings("lone\rcr"), "lone\rcr");
    EXPECT_EQ(sha256_hex(normalize_line_endings("select 1;\r\n")), sha256_hex("select 1;\n"));
}

TEST(SourceText, FindsBomInvalidUtf8AndNul)
{
    EXPECT_FALSE(text_problem("select 'ünïcødé ✓ 😀';"));
    EXPECT_TRUE(text_problem("\xEF\xBB\xBFselect 1;"));
    EXPECT_NE(text_problem("a\nb\n\xE9")->find("line 3"), std::string::npos);
    EXPECT_TRUE(text_problem("\xC0\xAF")); // overlong
    EXPECT_TRUE(text_problem("\xED\xA0\x80")); // surrogate
    EXPECT_TRUE(text_problem("\xF4\x90\x80\x80")); // past U+10FFFF
    EXPECT_TRUE(text_problem("\xE2\x82")); // truncated
    EXPECT_TRUE(text_problem(std::string("a\0b", 3)));
}
