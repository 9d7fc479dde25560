#include "common/error.h"
#include "db/conninfo.h"

#include <gtest/gtest.h>

using vidb::db::Conninfo;

TEST(Conninfo, UriAndKeywordValueFormsParse)
{
    const auto uri = Conninfo::parse("postgresql://app:pw@db.example:6543/orders?sslmode=require");
    EXPECT_EQ(uri.options.at("host"), "db.example");
    EXPECT_EQ(uri.options.at("port"), "6543");
    EXPECT_EQ(uri.options.at("dbname"), "orders");
    EXPECT_EQ(uri.options.at("sslmode"), "require");
    const auto kv = Conninfo::parse("host=/run/postgresql dbname=x user=me");
    EXPECT_EQ(kv.options.at("host"), "/run/postgresql");
    EXPECT_TRUE(kv.is_local());
}

TEST(Conninfo, DescribeNeverShowsThePassword)
{
    const auto info = Conninfo::parse("postgresql://app:Sup3rS3cret@db:5432/orders");
    EXPECT_EQ(info.describe(), "app@db:5432/orders");
    EXPECT_EQ(info.describe().find("Sup3rS3cret"), std::string::npos);
}

TEST(Conninfo, MalformedStringsAreUsageErrorsWithoutThePassword)
{
    for (const char* bad : { "postgresql://app:Sup3rS3cret@[::1", "postgresql://app:Sup3rS3cret@h/db?bogus=1",
             "host=x password=Sup3rS3cret 'unterminated", "postgresql://a:Sup3rS3cret@h/%zz" }) {
        try {
            Conninfo::parse(bad);
            ADD_FAILURE() << "accepted: " << bad;
        } catch (const vidb::UsageError& error) {
            EXPECT_EQ(std::string(error.what()).find("Sup3rS3cret"), std::string::npos) << error.what();
            EXPECT_EQ(error.exit_status(), 2);
        }
    }
}

TEST(Conninfo, LocalHostsAreLoopbackOrSockets)
{
    EXPECT_TRUE(Conninfo::parse("postgresql://localhost/x").is_local());
    EXPECT_TRUE(Conninfo::parse("postgresql://127.0.0.1:5/x").is_local());
    EXPECT_TRUE(Conninfo::parse("postgresql://[::1]/x").is_local());
    EXPECT_TRUE(Conninfo::parse("postgresql:///x?host=/tmp").is_local());
    EXPECT_FALSE(Conninfo::parse("postgresql://db.prod.internal/x").is_local());
    EXPECT_FALSE(Conninfo::parse("postgresql://localhost,db.prod/x").is_local());
    EXPECT_FALSE(Conninfo::parse("host=10.0.0.5 dbname=x").is_local());
}
