// MigrationVersion: Flyway's version rules (parts compared as numbers, trailing zeros
// ignored), what users see, and the history key (integers as before, others negative).
#include "migrate/migration_version.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <vector>

using vidb::migrate::MigrationVersion;

namespace {

MigrationVersion v(const char* text)
{
    const auto version = MigrationVersion::parse(text);
    EXPECT_TRUE(version.has_value()) << text;
    return version.value_or(MigrationVersion());
}

} // namespace

TEST(MigrationVersion, ParsesDigitsAndDottedParts)
{
    EXPECT_EQ(v("0001").text(), "0001");
    EXPECT_EQ(v("17.1").text(), "17.1");
    EXPECT_EQ(v("1_1").text(), "1.1"); // as Flyway shows V1_1__
    EXPECT_EQ(v("17.1.3").text(), "17.1.3");
    for (const char* bad : { "", ".", "1.", ".1", "1..2", "1._2", "a", "1.a", "-1", "1 ", "1__2" }) {
        EXPECT_FALSE(MigrationVersion::parse(bad).has_value()) << bad;
    }
}

TEST(MigrationVersion, OrdersPartByPartAsNumbers)
{
    std::vector<MigrationVersion> versions
        = { v("3"), v("2.10"), v("17"), v("2"), v("16.1"), v("2.1"), v("16"), v("2.9"), v("10") };
    std::sort(versions.begin(), versions.end());
    std::vector<std::string> shown;
    for (const auto& version : versions) {
        shown.push_back(version.text());
    }
    EXPECT_EQ(shown, (std::vector<std::string> { "2", "2.1", "2.9", "2.10", "3", "10", "16", "16.1", "17" }));
    EXPECT_LT(v("99999999999999999999"), v("100000000000000000000")); // beyond 64 bits
    EXPECT_LT(v("1.99999999999999999999"), v("1.100000000000000000000"));
}

TEST(MigrationVersion, TrailingZerosAndLeadingZerosAreEqual)
{
    EXPECT_EQ(v("1.0"), v("1"));
    EXPECT_EQ(v("1.0.0"), v("01"));
    EXPECT_EQ(v("1.01"), v("1.1"));
    EXPECT_NE(v("1.0.1"), v("1.1"));
    EXPECT_EQ(v("1.0").key(), 1); // an integer version after all
    EXPECT_TRUE(v("1.0").is_integer());
    EXPECT_EQ(v("1.01").key(), v("1.1").key());
    EXPECT_EQ(v("0001"), MigrationVersion(1));
}

TEST(MigrationVersion, KeysIntegersAsThemselvesAndOthersNegative)
{
    EXPECT_EQ(v("20240115180414").key(), 20240115180414);
    EXPECT_FALSE(v("20240115180414").stored_text().has_value());
    EXPECT_EQ(v("9223372036854775807").key(), 9223372036854775807);
    for (const char* text : { "17.1", "1.1", "1.10", "2.0.1", "9223372036854775808" }) {
        const MigrationVersion version = v(text);
        EXPECT_LT(version.key(), 0) << text;
        EXPECT_FALSE(version.is_integer());
        EXPECT_EQ(version.stored_text(), std::optional<std::string>(text));
    }
    EXPECT_NE(v("1.1").key(), v("1.10").key());
    EXPECT_NE(v("17.1").key(), v("1.71").key());
    EXPECT_EQ(v("17.1").key(), v("17.1").key());
    EXPECT_EQ(v("17.1").argument(), "17.1");
    EXPECT_EQ(v("0017").argument(), "17");
}

TEST(MigrationVersion, RowsWhoseKeyAndTextDisagreeAreRefused)
{
    const MigrationVersion dotted = v("17.1");
    EXPECT_EQ(MigrationVersion::from_row(dotted.key(), std::string("17.1")), dotted);
    EXPECT_EQ(MigrationVersion::from_row(17, std::nullopt), v("17"));
    EXPECT_FALSE(MigrationVersion::from_row(dotted.key(), std::nullopt).has_value());
    EXPECT_FALSE(MigrationVersion::from_row(17, std::string("17.1")).has_value());
    EXPECT_FALSE(MigrationVersion::from_row(dotted.key(), std::string("17.2")).has_value());
    EXPECT_FALSE(MigrationVersion::from_row(dotted.key(), std::string("x")).has_value());
}
