#include "selftest/catalog_snapshot.h"

#include <gtest/gtest.h>

using namespace vidb::selftest;
using Strings = std::vector<std::string>;

TEST(SelftestCatalogSnapshot, CompareNamesAddedRemovedChanged)
{
    const CatalogSnapshot before { { "table public.a", "" }, { "column public.a.x", "integer" },
        { "type public.t", "enum ('x')" } };
    const CatalogSnapshot after { { "table public.a", "" }, { "column public.a.x", "text" },
        { "index public.a_idx", "CREATE" } };
    const auto diff = compare_snapshots(before, after);
    EXPECT_EQ(diff.added, Strings { "index public.a_idx" });
    EXPECT_EQ(diff.removed, Strings { "type public.t" });
    EXPECT_EQ(diff.changed, Strings { "column public.a.x: was 'integer', now 'text'" });
    EXPECT_TRUE(compare_snapshots(before, before).empty());
}

TEST(SelftestCatalogSnapshot, SubtractKeepsOnlyNewDifferences)
{
    const SnapshotDiff now { { "index public.i", "type public.t" }, {}, {} };
    const SnapshotDiff already { { "index public.i" }, {}, {} };
    EXPECT_EQ(subtract(now, already).added, Strings { "type public.t" });
    EXPECT_TRUE(subtract(already, now).empty());
}

TEST(SelftestCatalogSnapshot, CollapseMembersOfListedTables)
{
    const Strings keys { "column public.t.a", "constraint public.t.t_pkey", "index public.t_pkey", "table public.t",
        "column public.other.b", "materialized view public.mv", "column public.mv.c",
        "constraint public.posint.positive", "domain public.posint" };
    EXPECT_EQ(collapse_members(keys),
        (Strings { "index public.t_pkey", "table public.t", "column public.other.b", "materialized view public.mv",
            "domain public.posint" }));
}

TEST(SelftestCatalogSnapshot, CollapseSchemaReaderKinds)
{
    // The kinds of schema::read_schema() that belong to a table: its foreign keys and its
    // row level security go with it; another table's stay.
    const Strings keys { "table public.t", "foreign key public.t.t_x_fkey", "row level security public.t",
        "foreign key public.u.u_t_fkey", "row level security public.u", "sequence owner public.s" };
    EXPECT_EQ(collapse_members(keys),
        (Strings { "table public.t", "foreign key public.u.u_t_fkey", "row level security public.u",
            "sequence owner public.s" }));
}
