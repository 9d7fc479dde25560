#include "migrate/file_name.h"

#include <gtest/gtest.h>

using vidb::migrate::Direction;
using vidb::migrate::parse_file_name;

TEST(FileName, ParsesUpAndDownWithPadding)
{
    const auto up = parse_file_name("0007_add_users.up.sql");
    ASSERT_TRUE(up.value);
    EXPECT_EQ(up.value->version, 7u);
    EXPECT_EQ(up.value->version_text, "0007");
    EXPECT_EQ(up.value->name, "add_users");
    EXPECT_EQ(up.value->direction, Direction::up);
    const auto down = parse_file_name("20260225120000_x-y.z.down.sql");
    ASSERT_TRUE(down.value);
    EXPECT_EQ(down.value->version, 20260225120000u);
    EXPECT_EQ(down.value->direction, Direction::down);
}

TEST(FileName, RejectsWhatGolangMigrateWouldNotRun)
{
    for (const char* bad : { "add_users.up.sql", "0001.up.sql", "0001_.up.sql", "0001_a.sql", "0001_a.up.SQL",
             "x001_a.up.sql", "0001_a b.up.sql", "0001_a;b.up.sql", "99999999999999999999_a.up.sql",
             "9223372036854775808_a.up.sql", ".up.sql", "" }) {
        EXPECT_FALSE(parse_file_name(bad).value) << bad;
        EXPECT_FALSE(parse_file_name(bad).error.empty()) << bad;
    }
    EXPECT_TRUE(parse_file_name("9223372036854775807_max.up.sql").value);
}
