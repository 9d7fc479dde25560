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

TEST(EnvFile, SkipsAUtf8ByteOrderMark)
{
    const auto parsed = parse_env_file("\xEF\xBB\xBF"
                                       "DATABASE_URL=postgresql://h/db\n");
    ASSERT_FALSE(parsed.error) << *parsed.error;
    EXPECT_EQ(parsed.values.at("DATABASE_URL"), "postgresql://h/db");
}

TEST(EnvFile, ExpandsReferencesAsDockerComposeDoes)
{
    const auto lookup = [](const std::string& name) -> std::optional<std::string> {
        if (name == "FROM_ENV") {
            return "env";
        }
        if (name == "EMPTY_ENV") {
            return "";
        }
        return std::nullopt;
    };
    const auto parsed = vidb::config::parse_env_file("USER=app\nPASS=s3cr3t\n"
                                                     "URL=postgresql://${USER}:$PASS@${HOST:-localhost}:5432/db\n"
                                                     "DQ=\"${USER}-${FROM_ENV}\"\n"
                                                     "SQ='${USER} $PASS'\n"
                                                     "A=${EMPTY_ENV:-dflt} ${EMPTY_ENV-dflt} ${UNSET-d2}\n"
                                                     "B=${USER:+set}${UNSET:+x}|$$|\"\\$USER\"\n"
                                                     "C=\"\\$USER $$USER\"\n"
                                                     "D=${UNSET:-${USER}x}\n"
                                                     "E=$ alone $1 ${FROM_ENV}\n",
        lookup);
    ASSERT_FALSE(parsed.error) << *parsed.error;
    EXPECT_EQ(parsed.values.at("URL"), "postgresql://app:s3cr3t@localhost:5432/db");
    EXPECT_EQ(parsed.values.at("DQ"), "app-env");
    EXPECT_EQ(parsed.values.at("SQ"), "${USER} $PASS");
    EXPECT_EQ(parsed.values.at("A"), "dflt  d2");
    EXPECT_EQ(parsed.values.at("B"), "set|$|\"\\app\"");
    EXPECT_EQ(parsed.values.at("C"), "$USER $USER");
    EXPECT_EQ(parsed.values.at("D"), "appx");
    EXPECT_EQ(parsed.values.at("E"), "$ alone $1 env");
}

TEST(EnvFile, TheEnvironmentWinsOverEarlierLines)
{
    const auto lookup = [](const std::string& name) -> std::optional<std::string> {
        return name == "PASS" ? std::optional<std::string>("from-env") : std::nullopt;
    };
    const auto parsed = vidb::config::parse_env_file("PASS=from-file\nURL=x:${PASS}\n", lookup);
    ASSERT_FALSE(parsed.error);
    EXPECT_EQ(parsed.values.at("URL"), "x:from-env");
}

TEST(EnvFile, BadReferencesNameTheLineNotTheValue)
{
    for (const char* text :
        { "A=1\nB=${secret\n", "A=1\nB=${UNSET:?secret}\n", "A=1\nB=${1x}\n", "A=1\nB=${X:secret}\n" }) {
        const auto parsed = parse_env_file(text);
        ASSERT_TRUE(parsed.error) << text;
        EXPECT_TRUE(parsed.error->starts_with("line 2:")) << *parsed.error;
        EXPECT_EQ(parsed.error->find("secret"), std::string::npos) << *parsed.error;
    }
}
