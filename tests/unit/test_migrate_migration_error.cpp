#include "migrate/migration_error.h"

#include <gtest/gtest.h>

#include <algorithm>

// A PL/pgSQL call stack is several lines: each is kept whole (before, a context with a
// line break was dropped altogether).
TEST(DescribeSqlError, KeepsAMultiLineContextLineByLine)
{
    vidb::db::ServerError server;
    server.sqlstate = "P0001";
    server.message = "boom";
    server.context = "PL/pgSQL function f() line 3 at RAISE\nSQL statement \"SELECT f()\"";
    const auto details
        = vidb::migrate::describe_sql_error(vidb::db::SqlError(server), "0001_x.up.sql", "SELECT 1;", 1, 0, "10s");
    EXPECT_NE(
        std::find(details.begin(), details.end(), "context: PL/pgSQL function f() line 3 at RAISE"), details.end());
    EXPECT_NE(std::find(details.begin(), details.end(), "         SQL statement \"SELECT f()\""), details.end());
}

// A dbmate or goose section starts part way into its file: the location shown is the
// file's line (before, it was the section's, one line per marker too early).
TEST(DescribeSqlError, CountsLinesFromWhereTheSectionStartsInItsFile)
{
    vidb::db::ServerError server;
    server.sqlstate = "42601";
    server.message = "syntax error at or near \"SELEC\"";
    server.position = 33; // 1-based, in characters: the S of SELEC on the section's line 3
    const std::string sql = "-- migrate:up\nCREATE TABLE a();\nSELEC 1;\n";
    ASSERT_EQ(sql.find("SELEC") + 1, 33u);
    const auto details = vidb::migrate::describe_sql_error(vidb::db::SqlError(server), "1_x.sql", sql, 5, 0, "10s");
    ASSERT_GE(details.size(), 2u);
    EXPECT_EQ(details[0], "at 1_x.sql:7:1");
    EXPECT_EQ(details[1], "7 | SELEC 1;");
}
