#include "config/env_file.h"

#include <gtest/gtest.h>

using vidb::config::parse_env_file;

TEST(EnvFile, ParsesTheUsualForms)
{
    const auto parsed
        = parse_env_file("# comment\n\nA=1\nexport B = two \nC='single # not comment'\nD=\"dq \\\"x\\\"\\n\"\n"
                         "E=value # trailing comment\nF=\nG=a=b\r\n");
    ASSERT_FALSE(parsed.error);
    EXPECT_EQ(parsed.values.at("A"), "1");
    EXPECT_EQ(parsed.values.at("B"), "two");
    EXPECT_EQ(parsed.values.at("C"), "single # not comment");
    EXPECT_EQ(parsed.values.at("D"), "dq \"x\"\n");
    EXPECT_EQ(parsed.values.at("E"), "value");
    EXPECT_EQ(parsed.values.at("F"), "");
    EXPECT_EQ(parsed.values.at("G"), "a=b");
}

TEST(EnvFile, ReportsTheLineButNeverItsContent)
{
    for (const char* text : { "A=1\nno equals sign secret\n", "A=1\n1BAD=x\n", "A=1\nB=\"unterminated secret\n",
             "A=1\nB='x' junk secret\n" }) {
        const auto parsed = parse_env_file(text);
        ASSERT_TRUE(parsed.error) << text;
        EXPECT_TRUE(parsed.error->starts_with("line 2:")) << *parsed.error;
        EXPECT_EQ(parsed.error->find("secret"), std::string::npos);
    }
}

TEST(EnvFile, EmptyAndBinaryInputDoNotCrash)
{
    EXPECT_TRUE(parse_env_file("").values.empty());
    const std::string binary("\0\xff\xfe=\n=\n", 7);
    EXPECT_TRUE(parse_env_file(binary).error);
}
