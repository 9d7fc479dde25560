#include "schema/drift.h"

#include <gtest/gtest.h>

namespace vidb::schema {
namespace {

SchemaObject table(
    const std::string& name, std::vector<std::pair<std::string, std::string>> columns, const std::string& tail = "")
{
    std::string sql = "CREATE TABLE " + name + " (";
    for (const auto& [column, definition] : columns) {
        sql += column + " " + definition + ",";
    }
    return { "table", name, sql + ")" + tail + ";", std::move(columns) };
}

std::vector<std::string> described(const std::vector<DriftItem>& items)
{
    std::vector<std::string> out;
    for (const auto& item : items) {
        out.push_back(item.kind + " " + item.name + " [" + item.database + "|" + item.migrations + "]");
    }
    return out;
}

TEST(SchemaDrift, SameObjectsMatch)
{
    const std::vector<SchemaObject> objects { table("public.t", { { "a", "integer" } }),
        { "index", "public.i", "CREATE INDEX i ON public.t (a);", {} } };
    const auto report = compare_schemas(objects, objects);
    EXPECT_TRUE(report.matches());
    EXPECT_EQ(report.compared, 2u);
}

TEST(SchemaDrift, EachKindOfDifference)
{
    const std::vector<SchemaObject> database { table("public.t", { { "a", "bigint" }, { "extra", "text" } }),
        { "index", "public.by_hand", "CREATE INDEX by_hand ON public.t (a);", {} },
        { "comment", "TABLE public.t", "COMMENT ON TABLE public.t IS 'x';", {} } };
    const std::vector<SchemaObject> migrations { table("public.t", { { "a", "integer" }, { "gone", "text" } }),
        { "constraint", "public.t.c", "ALTER TABLE public.t ADD CONSTRAINT c CHECK (a > 0);", {} },
        { "comment", "TABLE public.t", "COMMENT ON TABLE public.t IS 'y';", {} } };
    const auto report = compare_schemas(database, migrations);
    EXPECT_FALSE(report.matches());
    EXPECT_EQ(described(report.only_in_database),
        (std::vector<std::string> { "column public.t.extra [text|]",
            "index public.by_hand [CREATE INDEX by_hand ON "
            "public.t (a);|]" }));
    EXPECT_EQ(described(report.only_in_migrations),
        (std::vector<std::string> { "column public.t.gone [|text]",
            "constraint public.t.c [|ALTER TABLE public.t ADD CONSTRAINT c CHECK (a > 0);]" }));
    EXPECT_EQ(described(report.different),
        (std::vector<std::string> { "column public.t.a [bigint|integer]",
            "comment TABLE public.t [COMMENT ON TABLE public.t IS 'x';|COMMENT ON TABLE public.t IS 'y';]" }));
}

TEST(SchemaDrift, SameColumnsOtherTableDefinition)
{
    const auto report = compare_schemas({ table("public.t", { { "a", "integer" } }, " WITH (fillfactor=90)") },
        { table("public.t", { { "a", "integer" } }) });
    ASSERT_EQ(report.different.size(), 1u);
    EXPECT_EQ(report.different[0].kind, "table");
    EXPECT_EQ(report.different[0].name, "public.t");
}

} // namespace
} // namespace vidb::schema
