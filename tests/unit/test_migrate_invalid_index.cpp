#include "migrate/invalid_index.h"

#include <gtest/gtest.h>

using namespace vidb::migrate;

TEST(CreatedIndex, NamesTheIndexAndItsTableAsTheServerWould)
{
    auto index = created_index("CREATE INDEX CONCURRENTLY IF NOT EXISTS Accounts_Email_Idx ON accounts (email)");
    ASSERT_TRUE(index);
    EXPECT_EQ(index->name, "accounts_email_idx");
    EXPECT_EQ(index->table, "accounts");

    index = created_index("-- why\n/* a /* nested */ comment */ create unique index concurrently \"Odd \"\"Name\"\" \" "
                          "on only app.\"Items\" using btree (id)");
    ASSERT_TRUE(index);
    EXPECT_EQ(index->name, "Odd \"Name\" ");
    EXPECT_EQ(index->table, "app.\"Items\"");
}

TEST(CreatedIndex, NothingForOtherStatementsOrAnUnnamedIndex)
{
    EXPECT_FALSE(created_index("CREATE INDEX CONCURRENTLY ON accounts (email)"));
    EXPECT_FALSE(created_index("DROP INDEX CONCURRENTLY accounts_email_idx"));
    EXPECT_FALSE(created_index("CREATE TABLE t (id int)"));
    EXPECT_FALSE(created_index("CREATE INDEX"));
    EXPECT_FALSE(created_index(""));
    EXPECT_FALSE(created_index("create index x on"));
}

TEST(InvalidIndex, OnlyStatementsMentioningIndexesAreWatched)
{
    EXPECT_TRUE(may_leave_invalid_index("REINDEX INDEX CONCURRENTLY x"));
    EXPECT_TRUE(may_leave_invalid_index("create Index concurrently x on t (a)"));
    EXPECT_FALSE(may_leave_invalid_index("ALTER TYPE mood ADD VALUE 'meh'"));
    EXPECT_EQ(drop_statement("public.x"), "DROP INDEX CONCURRENTLY public.x;");
}
