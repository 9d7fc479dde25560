#include "config/secrets.h"

#include <gtest/gtest.h>

using vidb::config::add_secret;
using vidb::config::redact;

TEST(Redact, MasksUserinfoPasswordsInUrlsEvenUnparsed)
{
    EXPECT_EQ(redact("postgresql://app:hunter2@db:5432/x"), "postgresql://app:***@db:5432/x");
    EXPECT_EQ(redact("bad url postgresql://app:p%zz@[::1 here"), "bad url postgresql://app:***@[::1 here");
    EXPECT_EQ(redact("postgresql://app@db/x"), "postgresql://app@db/x");
    EXPECT_EQ(redact("no url at all"), "no url at all");
}

TEST(Redact, MasksRegisteredSecretsAnywhere)
{
    add_secret("s3cr3t-value");
    EXPECT_EQ(redact("password=s3cr3t-value host=x"), "password=*** host=x");
    EXPECT_EQ(redact("s3cr3t-values3cr3t-value"), "******");
    add_secret("");
    EXPECT_EQ(redact("nothing"), "nothing");
}

TEST(Redact, ShortSecretsOnlyWhereTheyStandAlone)
{
    add_secret("b");
    EXPECT_EQ(redact("vidb database"), "vidb database");
    EXPECT_EQ(redact("password=b host=x"), "password=*** host=x");
}
