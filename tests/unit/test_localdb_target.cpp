#include "common/error.h"
#include "db/conninfo.h"
#include "localdb/server_binaries.h"
#include "localdb/target.h"

#include <gtest/gtest.h>

namespace vidb::localdb {
namespace {

LocalTarget from(const std::string& url)
{
    return target_from_url(db::Conninfo::parse(url), "DATABASE_URL");
}

int exit_status_of(const std::string& url)
{
    try {
        from(url);
    } catch (const Error& error) {
        return error.exit_status();
    }
    return 0;
}

TEST(LocalTarget, TakesEverythingFromTheUrl)
{
    const auto target = from("postgresql://app:s3cret@127.0.0.1:15432/appdb?sslmode=disable");
    EXPECT_EQ(target.host, "127.0.0.1");
    EXPECT_EQ(target.listen, "127.0.0.1");
    EXPECT_EQ(target.port, 15432);
    EXPECT_EQ(target.user, "app");
    EXPECT_EQ(target.password, "s3cret");
    EXPECT_EQ(target.dbname, "appdb");
    EXPECT_EQ(target.options.at("sslmode"), "disable");
}

TEST(LocalTarget, DisplayUrlHidesThePassword)
{
    const auto target = from("postgresql://my%20user:p%40ss@localhost:5433/my-db");
    EXPECT_EQ(target.display_url(), "postgresql://my%20user:***@localhost:5433/my-db");
    EXPECT_EQ(from("postgresql://a:b@[::1]:5432/c").display_url(), "postgresql://a:***@[::1]:5432/c");
}

TEST(LocalTarget, ConninfoQuotesValuesAndSwapsTheDatabase)
{
    const auto target = from(R"(host=127.0.0.1 port=5432 user=app password='it\'s\\x' dbname=app)");
    const std::string text = target.conninfo("postgres");
    EXPECT_NE(text.find("dbname='postgres'"), std::string::npos);
    EXPECT_NE(text.find(R"(password='it\'s\\x')"), std::string::npos) << text;
    EXPECT_EQ(db::Conninfo::parse(text).options.at("password"), "it's\\x");
}

TEST(LocalTarget, DefaultsDatabaseToUser)
{
    EXPECT_EQ(from("postgresql://app:pw@localhost:5432").dbname, "app");
}

TEST(LocalTarget, RefusesWhatItCannotServe)
{
    EXPECT_EQ(exit_status_of("postgresql://app:pw@db.example.com/app"), 2);
    EXPECT_EQ(exit_status_of("postgresql://app:pw@10.0.0.5/app"), 2);
    EXPECT_EQ(exit_status_of("postgresql://app:pw@127.0.0.1,127.0.0.2/app"), 2);
    EXPECT_EQ(exit_status_of("postgresql://app:pw@/app?host=/tmp"), 2);
    EXPECT_EQ(exit_status_of("postgresql://app@127.0.0.1/app"), 2); // no password to set
    EXPECT_EQ(exit_status_of("postgresql://app:pw@127.0.0.1:0/app"), 2);
    EXPECT_EQ(exit_status_of("postgresql://app:pw@127.0.0.1:70000/app"), 2);
    EXPECT_EQ(exit_status_of("postgresql://app:pw@127.0.0.2:5432/app"), 0);
}

TEST(LocalTarget, Loopback)
{
    EXPECT_TRUE(is_loopback("localhost"));
    EXPECT_TRUE(is_loopback("127.0.0.1"));
    EXPECT_TRUE(is_loopback("127.1.2.3"));
    EXPECT_TRUE(is_loopback("::1"));
    EXPECT_FALSE(is_loopback("127.example.com"));
    EXPECT_FALSE(is_loopback("128.0.0.1"));
    EXPECT_FALSE(is_loopback(""));
}

TEST(ServerBinaries, ParsesVersions)
{
    EXPECT_EQ(parse_server_version("postgres (PostgreSQL) 15.18 (Debian 15.18-0+deb12u1)\n"), "15.18");
    EXPECT_EQ(parse_server_version("postgres (PostgreSQL) 17devel"), "17");
    EXPECT_EQ(parse_server_version("postgres (PostgreSQL) 9.6.24"), "9.6.24");
    EXPECT_EQ(parse_server_version("something else"), "");
    EXPECT_EQ(major_of("15.18"), 15);
    EXPECT_EQ(major_of("9.6.24"), 9);
}

TEST(ServerBinaries, NewestWinsUnlessTheDataNeedsAnother)
{
    const std::vector<ServerBinaries> found = { { "/a", "16.4", 16 }, { "/b", "15.8", 15 }, { "/c", "15.2", 15 } };
    EXPECT_EQ(choose_binaries(found, 0)->bindir, "/a");
    EXPECT_EQ(choose_binaries(found, 15)->bindir, "/b");
    EXPECT_FALSE(choose_binaries(found, 14).has_value());
    EXPECT_FALSE(choose_binaries({}, 0).has_value());
}

} // namespace
} // namespace vidb::localdb
