#include "common/error.h"
#include "migrate/catalog.h"

#include <gtest/gtest.h>

#include <string_view>

using namespace vidb::migrate;

namespace {

const unsigned char* bytes(std::string_view text)
{
    return reinterpret_cast<const unsigned char*>(text.data());
}

constexpr std::string_view k_pair = "BEGIN;\nCREATE TABLE a (id int);\nCOMMIT;\n";
constexpr std::string_view k_two = "CREATE TABLE a (id int);\nCOMMIT;\nALTER TABLE a ADD b int;\n";
constexpr std::string_view k_dump = "\\restrict k1\nCREATE TABLE d (id int);\n\\unrestrict k1\n";
constexpr std::string_view k_late = "SELECT 1;\n-- vidb:no-transaction\n";
constexpr std::string_view k_header = "-- header\n\n-- vidb: no-transaction\nCREATE INDEX CONCURRENTLY i ON a (id);\n";

const EmbeddedFile k_files[] = {
    { EmbeddedKind::up, 1, "0001", "pair", "0001_pair.up.sql", bytes(k_pair), k_pair.size(), "c1", false },
    { EmbeddedKind::down, 1, "0001", "pair", "0001_pair.down.sql", bytes(k_two), k_two.size(), "d1", false },
    { EmbeddedKind::up, 2, "0002", "dump", "0002_dump.up.sql", bytes(k_dump), k_dump.size(), "c2", false },
    { EmbeddedKind::up, 3, "0003", "late", "0003_late.up.sql", bytes(k_late), k_late.size(), "c3", false },
    { EmbeddedKind::up, 4, "0004", "index", "0004_index.up.sql", bytes(k_header), k_header.size(), "c4", false },
};

} // namespace

TEST(Catalog, SendsTheRunTextAndKeepsTheFileText)
{
    const Catalog catalog = Catalog::from_files(k_files);
    const Migration& pair = *catalog.find(1);
    EXPECT_EQ(pair.up_sql, k_pair);
    EXPECT_EQ(pair.up_run_sql, "      \nCREATE TABLE a (id int);\n       \n");
    EXPECT_TRUE(pair.up_problem.empty());
    const Migration& dump = *catalog.find(2);
    EXPECT_EQ(dump.up_run_sql.size(), k_dump.size());
    EXPECT_EQ(dump.up_run_sql.find('\\'), std::string_view::npos);
    // Nothing stripped: the run text is the embedded bytes themselves.
    const Migration& index = *catalog.find(4);
    EXPECT_EQ(index.up_run_sql.data(), index.up_sql.data());
    EXPECT_TRUE(index.up_no_transaction);
}

TEST(Catalog, ProblemsNameFileAndLine)
{
    const Catalog catalog = Catalog::from_files(k_files);
    EXPECT_EQ(catalog.find(1)->down_problem.rfind("0001_pair.down.sql:2: COMMIT at the top level", 0), 0u);
    EXPECT_EQ(catalog.find(3)->up_problem.rfind("0003_late.up.sql:2: the -- vidb:no-transaction directive", 0), 0u);
    EXPECT_FALSE(catalog.find(3)->up_no_transaction);
}

TEST(Catalog, RefusesToRunAProblemInThatDirectionOnly)
{
    const Catalog catalog = Catalog::from_files(k_files);
    const Migration* pair = catalog.find(1);
    const Migration* late = catalog.find(3);
    EXPECT_NO_THROW(refuse_unrunnable(std::span(&pair, 1), Direction::up));
    try {
        refuse_unrunnable(std::span(&pair, 1), Direction::down);
        FAIL() << "expected a refusal";
    } catch (const vidb::RefusedError& error) {
        EXPECT_EQ(error.exit_status(), 4);
        EXPECT_NE(std::string(error.what()).find("revert of 0001_pair cannot run safely: 0001_pair.down.sql:2"),
            std::string::npos);
    }
    const Migration* plan[] = { catalog.find(2), late };
    EXPECT_THROW(refuse_unrunnable(plan, Direction::up), vidb::RefusedError);
}
