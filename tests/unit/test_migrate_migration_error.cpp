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
        = vidb::migrate::describe_sql_error(vidb::db::SqlError(server), "0001_x.up.sql", "SELECT 1;", 0, "10s");
    EXPECT_NE(
        std::find(details.begin(), details.end(), "context: PL/pgSQL function f() line 3 at RAISE"), details.end());
    EXPECT_NE(std::find(details.begin(), details.end(), "         SQL statement \"SELECT f()\""), details.end());
}
