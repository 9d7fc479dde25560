#include "db/server_features.h"
#include "selftest/builtin_checks.h"

#include <gtest/gtest.h>

using namespace vidb::selftest;

namespace {

ServerFacts facts_for(int version, std::string text)
{
    ServerFacts facts;
    facts.version = version;
    facts.version_text = std::move(text);
    return facts;
}

} // namespace

// The supported range is exactly what the version matrix (scripts/test-matrix.sh) tests.
TEST(SelftestServerVersion, SupportedRangeIsTheTestedOne)
{
    EXPECT_EQ(vidb::db::server_major(vidb::db::k_oldest_supported_server), 13);
    EXPECT_EQ(vidb::db::server_major(vidb::db::k_newest_tested_server), 18);
}

TEST(SelftestServerVersion, TwelveIsRefusedWithTheRange)
{
    const Outcome outcome = check_server_version(facts_for(120022, "12.22"));
    EXPECT_EQ(outcome.status, Status::fail);
    EXPECT_EQ(outcome.message, "PostgreSQL 12.22 is not supported: vidb needs PostgreSQL 13 or newer");
    ASSERT_EQ(outcome.details.size(), 1U);
    EXPECT_EQ(outcome.details[0], "upgrade the server; vidb is tested on PostgreSQL 13 to 18");
}

TEST(SelftestServerVersion, OldestAndNewestTestedPass)
{
    const Outcome oldest = check_server_version(facts_for(130000, "13.0"));
    EXPECT_EQ(oldest.status, Status::pass);
    EXPECT_EQ(oldest.message, "PostgreSQL 13.0, supported: 13 or newer");
    const Outcome newest = check_server_version(facts_for(180004, "18.4"));
    EXPECT_EQ(newest.status, Status::pass);
    EXPECT_EQ(newest.message, "PostgreSQL 18.4, supported: 13 or newer");
}

TEST(SelftestServerVersion, NewerThanTestedPassesAndSaysSo)
{
    const Outcome outcome = check_server_version(facts_for(190001, "19.1"));
    EXPECT_EQ(outcome.status, Status::pass);
    EXPECT_EQ(outcome.message, "PostgreSQL 19.1, supported: 13 or newer (tested up to 18)");
}

TEST(SelftestServerVersion, ReadOnlyServerIsNoted)
{
    ServerFacts facts = facts_for(150018, "15.18");
    facts.read_only = true;
    facts.read_only_reason = "the server is a hot standby (read-only)";
    const Outcome outcome = check_server_version(facts);
    EXPECT_EQ(outcome.status, Status::pass);
    EXPECT_EQ(outcome.message,
        "PostgreSQL 15.18, supported: 13 or newer; the server is a hot standby (read-only): checks that write are "
        "skipped");
}

TEST(ServerFeatures, ClientConnectionCheckIntervalFrom14)
{
    EXPECT_FALSE(vidb::db::has_client_connection_check_interval(130023));
    EXPECT_TRUE(vidb::db::has_client_connection_check_interval(140000));
    EXPECT_TRUE(vidb::db::has_client_connection_check_interval(180004));
}
