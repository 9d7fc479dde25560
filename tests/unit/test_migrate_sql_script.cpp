#include "migrate/sql_script.h"

#include <gtest/gtest.h>

namespace vidb::migrate {
namespace {

TEST(MigrateSqlScript, StringsAsSentWithTheSemicolonPsqlNeeds)
{
    SqlScript script;
    script.add("BEGIN;\nSELECT 1;\nCOMMIT;"); // terminated: as is, plus a newline
    script.add("CREATE INDEX CONCURRENTLY i ON t (a)"); // vidb sends it without ';': psql needs one
    script.add("SELECT 2; -- done;"); // the last ';' is inside a comment
    script.add("SET a = 1;\n"); // ends with its newline already
    script.comment("0002_x.up.sql");
    EXPECT_EQ(script.text(),
        "BEGIN;\nSELECT 1;\nCOMMIT;\n"
        "CREATE INDEX CONCURRENTLY i ON t (a)\n;\n"
        "SELECT 2; -- done;\n;\n"
        "SET a = 1;\n"
        "\n-- 0002_x.up.sql\n");
}

} // namespace
} // namespace vidb::migrate
