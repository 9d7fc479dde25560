#include "db/conninfo.h"

#include <gtest/gtest.h>

using vidb::db::Conninfo;

TEST(DbConninfoWithDatabase, UriKeepsEveryOptionButTheDatabase)
{
    const auto info
        = Conninfo::parse("postgresql://app:s3cr%27t%5C@db.example:6432/appdb?sslmode=require&application_name=x");
    const auto scratch = info.with_database("vidb_roundtrip_1");
    EXPECT_EQ(scratch.options.at("dbname"), "vidb_roundtrip_1");
    EXPECT_EQ(scratch.options.at("host"), "db.example");
    EXPECT_EQ(scratch.options.at("port"), "6432");
    EXPECT_EQ(scratch.options.at("user"), "app");
    EXPECT_EQ(scratch.options.at("password"), "s3cr't\\");
    EXPECT_EQ(scratch.options.at("sslmode"), "require");
    EXPECT_EQ(scratch.options.at("application_name"), "x");
}

TEST(DbConninfoWithDatabase, KeywordValueAndEmpty)
{
    const auto info = Conninfo::parse("host=/tmp port=5433 dbname='my db'");
    const auto scratch = info.with_database("other");
    EXPECT_EQ(scratch.options.at("dbname"), "other");
    EXPECT_EQ(scratch.options.at("host"), "/tmp");
    EXPECT_EQ(Conninfo::parse("").with_database("x").options.at("dbname"), "x");
}

TEST(DbConninfoWithDatabase, ANestedConnectionStringInDbnameIsNotExpanded)
{
    // A dbname that itself looks like a connection string stays a plain name.
    const auto scratch = Conninfo::parse("host=h").with_database("host=evil dbname=x");
    EXPECT_EQ(scratch.options.at("dbname"), "host=evil dbname=x");
    EXPECT_EQ(scratch.options.at("host"), "h");
}
