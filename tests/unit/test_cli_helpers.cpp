#include "cli/duration.h"
#include "cli/suggest.h"

#include <gtest/gtest.h>

using namespace std::chrono_literals;
using namespace vidb::cli;

TEST(Duration, AcceptsUnitsAndBareSeconds)
{
    EXPECT_EQ(parse_duration("90"), std::chrono::milliseconds(90s));
    EXPECT_EQ(parse_duration("90s"), std::chrono::milliseconds(90s));
    EXPECT_EQ(parse_duration("500ms"), 500ms);
    EXPECT_EQ(parse_duration("2m"), std::chrono::milliseconds(2min));
    EXPECT_EQ(parse_duration("1h"), std::chrono::milliseconds(1h));
    EXPECT_EQ(parse_duration("0"), 0ms);
    for (const char* bad : { "", "s", "-1s", "1d", "1.5s", "ten", "99999999999999999999" }) {
        EXPECT_FALSE(parse_duration(bad)) << bad;
    }
}

TEST(Suggest, ClosestCommandWithinTwoEdits)
{
    const std::vector<std::string> commands { "migrate", "revert", "status", "redo" };
    EXPECT_EQ(closest_match("migrat", commands), "migrate");
    EXPECT_EQ(closest_match("stauts", commands), "status");
    EXPECT_EQ(closest_match("frobnicate", commands), "");
}
