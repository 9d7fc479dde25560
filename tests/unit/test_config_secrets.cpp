#include "config/secrets.h"

#include <gtest/gtest.h>

using vidb::config::mask_quoted_secret;
using vidb::config::redact;

TEST(Redact, MasksUserinfoPasswordsInUrlsEvenUnparsed)
{
    EXPECT_EQ(redact("postgresql://app:hunter2@db:5432/x"), "postgresql://app:***@db:5432/x");
    EXPECT_EQ(redact("bad url postgresql://app:p%zz@[::1 here"), "bad url postgresql://app:***@[::1 here");
    EXPECT_EQ(redact("postgresql://app@db/x"), "postgresql://app@db/x");
    EXPECT_EQ(redact("no url at all"), "no url at all");
}

TEST(Redact, MasksAPasswordWithUnencodedSpecialCharacters)
{
    EXPECT_EQ(redact("postgresql://app:p@ss@db/x"), "postgresql://app:***@db/x");
    EXPECT_EQ(redact("postgresql://app:pa/ss@db/x"), "postgresql://app:***@db/x");
    EXPECT_EQ(redact("postgresql://app:pa#ss@db/x"), "postgresql://app:***@db/x");
    EXPECT_EQ(redact("postgresql://app:pa?ss@db/x"), "postgresql://app:***@db/x");
    EXPECT_EQ(redact("a postgresql://app:hunter2@db/x and postgres://b:c@d"),
        "a postgresql://app:***@db/x and postgres://b:***@d");
}

TEST(Redact, MasksPasswordKeywordsByPosition)
{
    EXPECT_EQ(redact("host=x password=s3cr3t dbname=y"), "host=x password=*** dbname=y");
    EXPECT_EQ(redact("host=x password='s3 cr\\'et' dbname=y"), "host=x password='***' dbname=y");
    // SQL is not a connection string: `vidb show` prints it as it is.
    EXPECT_EQ(redact("UPDATE users SET password = 'x' WHERE id = 1;"), "UPDATE users SET password = 'x' WHERE id = 1;");
    EXPECT_EQ(
        redact("postgresql://h/db?password=s3cr3t&sslmode=require"), "postgresql://h/db?password=***&sslmode=require");
    EXPECT_EQ(redact("-e POSTGRES_PASSWORD=s3cr3t -e X=1"), "-e POSTGRES_PASSWORD=*** -e X=1");
    EXPECT_EQ(redact("PGPASSWORD=s3cr3t psql"), "PGPASSWORD=*** psql");
}

// The password "postgres" of user postgres on database postgres: only its position is a
// secret, the names are not (before, every "postgres" became "***").
TEST(Redact, LeavesWordsThatEqualThePasswordAlone)
{
    EXPECT_EQ(
        redact("postgresql://postgres:postgres@localhost/postgres"), "postgresql://postgres:***@localhost/postgres");
    EXPECT_EQ(redact("ok PostgreSQL 15 at localhost:5432, database postgres, user postgres"),
        "ok PostgreSQL 15 at localhost:5432, database postgres, user postgres");
    EXPECT_EQ(redact("<testcase name=\"history table\"/>"), "<testcase name=\"history table\"/>");
    EXPECT_EQ(redact("password authentication failed for user \"postgres\""),
        "password authentication failed for user \"postgres\"");
}

TEST(MaskQuotedSecret, MasksQuotedValuesHoldingThePasswordExceptTheNames)
{
    const std::vector<std::string> names { "postgres", "postgres", "localhost" };
    EXPECT_EQ(mask_quoted_secret("FATAL:  password authentication failed for user \"postgres\"", "postgres", names),
        "FATAL:  password authentication failed for user \"postgres\"");
    EXPECT_EQ(mask_quoted_secret("could not translate host name \"ss@db\" to address", "p@ss", { "u", "x", "ss@db" }),
        "could not translate host name \"ss@db\" to address");
    EXPECT_EQ(
        mask_quoted_secret("invalid port number: \"hunter2@db\"", "hunter2", names), "invalid port number: \"***\"");
    EXPECT_EQ(mask_quoted_secret("nothing quoted", "x", names), "nothing quoted");
    EXPECT_EQ(mask_quoted_secret("\"x\" \"unterminated", "x", {}), "\"***\" \"unterminated");
    EXPECT_EQ(mask_quoted_secret("\"abc\"", "", {}), "\"abc\"");
}
