#include "selftest/project_checks.h"

#include <gtest/gtest.h>

using vidb::selftest::do_block_line;

TEST(SelftestProjectChecks, DoBlockLineMapsPlpgsqlLinesToTheFile)
{
    // Body line 1 is the rest of the line holding the opening $$.
    const std::string statement = "DO $$\nBEGIN\n    ASSERT false, 'x';\nEND\n$$;";
    EXPECT_EQ(do_block_line(statement, 10, "PL/pgSQL function inline_code_block line 3 at ASSERT"), 12u);
    EXPECT_EQ(do_block_line(statement, 1, "PL/pgSQL function inline_code_block line 1 at ASSERT"), 1u);
}

TEST(SelftestProjectChecks, DoBlockLineSkipsLeadingCommentsAndTaggedQuotes)
{
    const std::string statement = "-- it's a comment\n/* 'also' */\nDO LANGUAGE plpgsql $body$\nBEGIN\nEND\n$body$;";
    EXPECT_EQ(do_block_line(statement, 5, "PL/pgSQL function inline_code_block line 2 at RAISE"), 8u);
}

TEST(SelftestProjectChecks, DoBlockLineNeedsTheContext)
{
    EXPECT_EQ(do_block_line("DO $$ BEGIN END $$", 1, ""), 0u);
    EXPECT_EQ(do_block_line("DO $$ BEGIN END $$", 1, "SQL statement \"select 1\""), 0u);
    EXPECT_EQ(do_block_line("SELECT 1", 1, "PL/pgSQL function inline_code_block line 2 at RAISE"), 0u);
}

TEST(SelftestProjectChecks, DoBlockLineFindsTheBlockInNestedContext)
{
    const std::string context
        = "PL/pgSQL function f() line 3 at RAISE\nPL/pgSQL function inline_code_block line 4 at PERFORM";
    EXPECT_EQ(do_block_line("DO $$\n\n\nPERFORM f();\n$$", 1, context), 4u);
}
