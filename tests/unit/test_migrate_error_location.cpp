#include "migrate/error_location.h"

#include <gtest/gtest.h>

using vidb::migrate::locate_error;

TEST(ErrorLocation, MapsAServerPositionToLineColumnAndCaret)
{
    const std::string sql = "CREATE TABLE a (id int);\nSELECT nope FROM a;\n";
    // "BEGIN;\n" (7 characters) was sent before the file; "nope" is character 8 of line 2.
    const int position = 7 + 25 + 8;
    const auto location = locate_error(sql, position, 7);
    ASSERT_TRUE(location);
    EXPECT_EQ(location->line, 2u);
    EXPECT_EQ(location->column, 8u);
    EXPECT_EQ(location->line_text, "SELECT nope FROM a;");
    EXPECT_EQ(location->caret, "       ^");
}

TEST(ErrorLocation, CountsCharactersNotBytesAndKeepsTabs)
{
    const std::string sql = "SELECT 'ünï',\tbad";
    const auto location = locate_error(sql, 15, 0); // b of bad
    ASSERT_TRUE(location);
    EXPECT_EQ(location->column, 15u);
    EXPECT_EQ(location->caret, "             \t^");
}

TEST(ErrorLocation, OutsideTheFileGivesNothing)
{
    EXPECT_FALSE(locate_error("SELECT 1;", 0, 0));
    EXPECT_FALSE(locate_error("SELECT 1;", 5, 10));
    EXPECT_FALSE(locate_error("SELECT 1;", 500, 0));
    const auto end = locate_error("SELECT (", 9, 0); // "at end of input"
    ASSERT_TRUE(end);
    EXPECT_EQ(end->column, 9u);
}

TEST(ErrorLocation, TheServerQuotingOnIntoVidbsSqlIsCut)
{
    const std::string suffix = "\n;\nUPDATE vidb_schema_migrations SET execution_ms = 1 WHERE version = 2;\nCOMMIT;";
    EXPECT_EQ(
        vidb::migrate::without_wrapper_sql("unterminated quoted string at or near \"'abc" + suffix + "\"", suffix),
        "unterminated quoted string at or near \"'abc\"");
    EXPECT_EQ(vidb::migrate::without_wrapper_sql("column \"x\" does not exist", suffix), "column \"x\" does not exist");
    EXPECT_EQ(vidb::migrate::without_wrapper_sql("anything", ""), "anything");
}
