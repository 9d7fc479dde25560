// One test per --json shape (MIGRATIONS.md, "JSON output"): the keys a script may rely on.
#include "cli/json_shapes.h"
#include "db/error.h"
#include "migrate/migration_error.h"

#include <gtest/gtest.h>

using namespace vidb;
using namespace vidb::cli;

namespace {

migrate::Migration migration(std::uint64_t version, const char* version_text, const char* name, bool has_down = true)
{
    migrate::Migration m;
    m.version = version;
    m.version_text = version_text;
    m.name = name;
    m.up_file = "0002_add_tags.up.sql";
    m.up_sql = "CREATE TABLE tags (id int);\n";
    m.checksum = "abc123";
    m.has_down = has_down;
    m.down_file = "0002_add_tags.down.sql";
    m.down_sql = "DROP TABLE tags;\n";
    m.down_no_transaction = true;
    return m;
}

std::vector<std::string> keys(const Json& object)
{
    std::vector<std::string> out;
    for (const auto& item : object.items()) {
        out.push_back(item.key());
    }
    return out;
}

using Keys = std::vector<std::string>;

} // namespace

TEST(CliJsonShapes, Step)
{
    const auto m = migration(2, "0002", "add_tags");
    const Json step = step_json(m, false, 7);
    EXPECT_EQ(json_dump(step), R"({"version":2,"name":"add_tags","direction":"down","ms":7})");
}

TEST(CliJsonShapes, Migrate)
{
    const auto m = migration(2, "0002", "add_tags");
    const Json steps = Json::array({ step_json(m, true, 3) });
    const Json document = migrate_json(false, { &m }, steps, { 9 }, { 1 }, 12);
    EXPECT_EQ(keys(document), (Keys { "ok", "dry_run", "planned", "applied", "unknown", "missing", "ms" }));
    EXPECT_EQ(document["missing"], Json::array({ 1 }));
    EXPECT_EQ(document["planned"], Json::array({ "0002_add_tags" }));
    EXPECT_EQ(document["applied"][0]["direction"], "up");
    EXPECT_EQ(document["unknown"], Json::array({ 9 }));
}

TEST(CliJsonShapes, RevertDryRunListsWhatItWouldRevert)
{
    const auto m = migration(2, "0002", "add_tags");
    const Json document = revert_json(true, { &m }, Json::array());
    EXPECT_EQ(keys(document), (Keys { "ok", "dry_run", "planned", "reverted" }));
    EXPECT_EQ(document["dry_run"], true);
    EXPECT_EQ(document["planned"], Json::array({ "0002_add_tags" }));
    EXPECT_TRUE(document["reverted"].empty());
}

TEST(CliJsonShapes, RedoAndRepair)
{
    const auto m = migration(2, "0002", "add_tags");
    EXPECT_EQ(keys(redo_json(m, Json::array())), (Keys { "ok", "redone", "steps" }));
    EXPECT_EQ(redo_json(m, Json::array())["redone"], "0002_add_tags");
    const Json repair = repair_json(2, "resume", Json::array());
    EXPECT_EQ(keys(repair), (Keys { "ok", "version", "action", "steps" }));
    EXPECT_EQ(repair["action"], "resume");
}

TEST(CliJsonShapes, AcceptChecksumAndUnlock)
{
    EXPECT_EQ(json_dump(accept_checksum_json(2, "old", "new")),
        R"({"ok":true,"version":2,"action":"accept-checksum","old_checksum":"old","new_checksum":"new"})");
    EXPECT_EQ(json_dump(unlock_json(std::nullopt)), R"({"ok":true,"removed":false,"holder":null})");
    EXPECT_EQ(json_dump(unlock_json(UnlockInfo { "me@host pid 7", "2026-01-01 00:00:00+00", 41.6, true })),
        R"({"ok":true,"removed":true,"holder":"me@host pid 7","since":"2026-01-01 00:00:00+00","silent_s":42,)"
        R"("forced":true})");
}

TEST(CliJsonShapes, AdoptAndBaseline)
{
    const auto one = migration(1, "0001", "init");
    const auto two = migration(2, "0002", "add tags");
    EXPECT_EQ(json_dump(adopt_json("dbmate", "public.schema_migrations", true, { &two }, { &one })),
        R"({"ok":true,"from":"dbmate","table":"public.schema_migrations","dry_run":true,"recorded":["0002_add tags"],)"
        R"("already":["0001_init"]})");
    EXPECT_EQ(json_dump(baseline_json("0002", false, { &one, &two }, {})),
        R"({"ok":true,"to":"0002","dry_run":false,"recorded":["0001_init","0002_add tags"],"already":[]})");
}

TEST(CliJsonShapes, Repeatables)
{
    const migrate::Repeatable view { "items_view", "items_view.repeatable.sql", "", "", "abc", "" };
    const migrate::Repeatable fn { "a_function", "a_function.repeatable.sql", "", "", "def", "" };
    const std::vector<migrate::RepeatableStatus> status { { &fn, migrate::RepeatableState::pending, "", "" },
        { &view, migrate::RepeatableState::changed, "old", "2026-01-01 00:00:00+00" } };
    EXPECT_EQ(json_dump(repeatables_status_json(status)),
        R"([{"name":"a_function","file":"a_function.repeatable.sql","state":"pending","checksum":"def",)"
        R"("applied_checksum":null,"applied_at":null},{"name":"items_view","file":"items_view.repeatable.sql",)"
        R"("state":"changed","checksum":"abc","applied_checksum":"old","applied_at":"2026-01-01 00:00:00+00"}])");
    EXPECT_EQ(json_dump(repeatable_labels_json({ &fn, &view })), R"(["R__a_function","R__items_view"])");
}

TEST(CliJsonShapes, Status)
{
    const auto m = migration(2, "0002", "add_tags");
    migrate::AppliedMigration applied { 2, "add_tags", "old", "2026-01-01 00:00:00+00", std::nullopt, "me@host" };
    migrate::PartialMigration partial { 3, "concurrent", 1, 2, "boom", "" };
    std::vector<migrate::StatusEntry> entries(2);
    entries[0] = { .version = 2,
        .version_text = "0002",
        .name = "add_tags",
        .state = migrate::State::drifted,
        .migration = &m,
        .applied = &applied };
    entries[1] = { .version = 3,
        .version_text = "0003",
        .name = "concurrent",
        .state = migrate::State::partial,
        .partial = &partial };
    const Json document = status_json(entries, { "app", "16.2", true });
    EXPECT_EQ(keys(document), (Keys { "ok", "database", "server_version", "history_table", "migrations", "summary" }));
    EXPECT_EQ(document["migrations"][0]["state"], "drifted");
    EXPECT_EQ(document["migrations"][0]["version_text"], "0002");
    EXPECT_EQ(document["migrations"][0]["applied_name"], "add_tags");
    EXPECT_EQ(document["migrations"][1]["version_text"], "0003");
    EXPECT_EQ(document["migrations"][1]["direction"], "up");
    EXPECT_TRUE(document["migrations"][0]["execution_ms"].is_null());
    EXPECT_EQ(document["migrations"][0]["applied_checksum"], "old");
    EXPECT_EQ(document["migrations"][0]["checksum"], "abc123");
    EXPECT_EQ(document["migrations"][1]["statements_done"], 1);
    EXPECT_EQ(document["migrations"][1]["last_error"], "boom");
    EXPECT_EQ(document["migrations"][1]["run"], "failed");
    EXPECT_TRUE(document["migrations"][1]["running_by"].is_null());
    EXPECT_FALSE(document["migrations"][1]["next_may_have_run"]);
    // No error recorded: running while a live vidb holds the lock, else cut short.
    partial.last_error.clear();
    EXPECT_EQ(
        status_json(entries, { "app", "16.2", true, "me@host pid 7" })["migrations"][1]["running_by"], "me@host pid 7");
    const Json cut = status_json(entries, { "app", "16.2", true, std::nullopt })["migrations"][1];
    EXPECT_EQ(cut["run"], "cut_short");
    EXPECT_TRUE(cut["next_may_have_run"]);
    EXPECT_EQ(document["summary"]["drifted"], 1);
    EXPECT_EQ(document["summary"]["partial"], 1);
    EXPECT_EQ(document["summary"]["applied"], 0);
    EXPECT_EQ(keys(document["summary"]),
        (Keys { "applied", "pending", "drifted", "unknown", "partial", "missing", "collision" }));
}

TEST(CliJsonShapes, ListOfTheEmbeddedCatalog)
{
    const Json document = list_json(migrate::Catalog::embedded());
    EXPECT_EQ(keys(document), (Keys { "ok", "migrations", "checks" }));
    ASSERT_FALSE(document["migrations"].empty());
    EXPECT_EQ(
        keys(document["migrations"][0]), (Keys { "version", "name", "file", "checksum", "reversible", "transaction" }));
}

TEST(CliJsonShapes, ShowCarriesTheSql)
{
    const auto m = migration(2, "0002", "add_tags");
    const Json up = show_json(m, false);
    EXPECT_EQ(keys(up), (Keys { "ok", "version", "name", "direction", "file", "transaction", "checksum", "sql" }));
    EXPECT_EQ(up["sql"], "CREATE TABLE tags (id int);\n");
    EXPECT_EQ(up["transaction"], true);
    const Json down = show_json(m, true);
    EXPECT_EQ(down["file"], "0002_add_tags.down.sql");
    EXPECT_EQ(down["transaction"], false);
}

TEST(CliJsonShapes, NewPingWaitVersion)
{
    EXPECT_EQ(json_dump(new_json("db/1_a.sql", std::nullopt)), R"({"ok":true,"created":["db/1_a.sql"]})");
    EXPECT_EQ(json_dump(new_json("sql/a.up.sql", "sql/a.down.sql")),
        R"({"ok":true,"created":["sql/a.up.sql","sql/a.down.sql"]})");
    const Json ping = ping_json({ "16.2", "app", "me", "localhost", "5432", true, 1.234, 0.5 });
    EXPECT_EQ(keys(ping),
        (Keys { "ok", "server_version", "database", "user", "host", "port", "ssl", "connect_ms", "round_trip_ms" }));
    EXPECT_DOUBLE_EQ(ping["connect_ms"].get<double>(), 1.23);
    EXPECT_EQ(json_dump(wait_json(1499.6)), R"({"ok":true,"waited_ms":1500})");
    const Json version = version_json({ "0.1.0", "abc", "16", false, "OpenSSL", 3, 2, "d", "compiled-in", "", "" });
    EXPECT_EQ(keys(version),
        (Keys { "ok", "version", "commit", "libpq", "static", "tls", "migrations", "checks", "migrations_digest",
            "migrations_source", "packed_at", "packed_from" }));
    EXPECT_TRUE(version["packed_at"].is_null());
    EXPECT_TRUE(version["packed_from"].is_null());
    const Json packed = version_json(
        { "0.1.0", "abc", "16", false, "OpenSSL", 3, 2, "d", "packed", "2026-02-25T12:00:00Z", "migrations" });
    EXPECT_EQ(packed["packed_from"], "migrations");
}

TEST(CliJsonShapes, PackUnpack)
{
    const Json pack = pack_json({ "bin/app", "", true, 3, 1, "d", "migrations", "2026-02-25T12:00:00Z", 100, 5000 });
    EXPECT_EQ(keys(pack),
        (Keys { "ok", "output", "base", "replaced_payload", "migrations", "checks", "migrations_digest", "packed_from",
            "packed_at", "payload_bytes", "bytes" }));
    EXPECT_TRUE(pack["base"].is_null());
    EXPECT_EQ(json_dump(unpack_json("out", { "0001_a.up.sql" }, "d", "migrations", "t")),
        R"({"ok":true,"directory":"out","files":["0001_a.up.sql"],"migrations_digest":"d","packed_from":"migrations","packed_at":"t"})");
}

TEST(CliJsonShapes, UpDownReset)
{
    const Json up = up_json({ "native", false, "postgresql://localhost:5433/app", "16.2", true, ".vidb/pg-5433", "l" });
    EXPECT_EQ(keys(up),
        (Keys { "ok", "backend", "already_running", "url", "server_version", "database_created", "where", "log" }));
    EXPECT_EQ(json_dump(down_json(true, false, { "Stopped." })),
        R"({"ok":true,"found":true,"purged":false,"messages":["Stopped."]})");
    const Json reset = reset_json("app", "recreated", 0, Json::array(), "--yes");
    EXPECT_EQ(keys(reset), (Keys { "ok", "database", "method", "reverted", "steps", "guard" }));
}

TEST(CliJsonShapes, ErrorCarriesWhatWasDoneAndTheSqlstate)
{
    const auto m = migration(2, "0002", "add_tags");
    const Json steps = Json::array({ step_json(m, true, 3) });
    const migrate::MigrationError error("0003_x failed", { "SQLSTATE 42P01", "fix it" }, "42P01");
    const Json document = error_json(error, steps, { "dropped and recreated database app" });
    EXPECT_EQ(keys(document), (Keys { "ok", "steps", "changes", "error" }));
    EXPECT_EQ(document["ok"], false);
    EXPECT_EQ(document["steps"][0]["name"], "add_tags");
    EXPECT_EQ(keys(document["error"]), (Keys { "message", "details", "exit_code", "sqlstate" }));
    EXPECT_EQ(document["error"]["exit_code"], 1);
    EXPECT_EQ(document["error"]["sqlstate"], "42P01");
    EXPECT_TRUE(error_json(RefusedError("no"), Json::array(), {})["error"]["sqlstate"].is_null());
    EXPECT_EQ(error_json(RefusedError("no"), Json::array(), {})["error"]["exit_code"], 4);
    db::ServerError server;
    server.sqlstate = "42501";
    server.message = "permission denied for schema public";
    EXPECT_EQ(error_json(db::SqlError(server), Json::array(), {})["error"]["sqlstate"], "42501");
}

TEST(CliJsonShapes, Drift)
{
    schema::DriftReport report;
    report.compared = 3;
    report.migrations_applied = 2;
    report.not_applied = { 7 };
    report.only_in_database.push_back({ "index", "public.i", "CREATE INDEX i ON public.t USING btree (a);", "" });
    report.different.push_back({ "column", "public.t.a", "bigint", "integer" });
    const Json drift = drift_json(report, "app");
    EXPECT_EQ(keys(drift),
        (Keys { "ok", "drifted", "database", "history_table", "migrations_applied", "not_applied", "objects",
            "only_in_database", "only_in_migrations", "different" }));
    EXPECT_EQ(json_dump(drift),
        R"({"ok":false,"drifted":true,"database":"app","history_table":true,"migrations_applied":2,"not_applied":[7],)"
        R"("objects":3,)"
        R"("only_in_database":[{"kind":"index","name":"public.i","database":"CREATE INDEX i ON public.t USING btree (a);",)"
        R"("migrations":""}],"only_in_migrations":[],)"
        R"("different":[{"kind":"column","name":"public.t.a","database":"bigint","migrations":"integer"}]})");
    EXPECT_EQ(json_dump(drift_json(schema::DriftReport {}, "app")),
        R"({"ok":true,"drifted":false,"database":"app","history_table":true,"migrations_applied":0,"not_applied":[],)"
        R"("objects":0,)"
        R"("only_in_database":[],"only_in_migrations":[],"different":[]})");
}

TEST(JsonShapes, DottedVersionsAreStringsIntegersStayNumbers)
{
    migrate::Migration dotted = migration(0, "1.10", "sku");
    dotted.version = *migrate::MigrationVersion::parse("1.10");
    EXPECT_EQ(json_dump(step_json(dotted, true, 5)), R"({"version":"1.10","name":"sku","direction":"up","ms":5})");
    EXPECT_EQ(json_dump(step_json(migration(2, "0002", "tags"), true, 5)),
        R"({"version":2,"name":"tags","direction":"up","ms":5})");
    const Json missing
        = migrate_json(false, {}, Json::array(), { *migrate::MigrationVersion::parse("17.1") }, { 3 }, 1);
    EXPECT_EQ(missing["unknown"].dump(), R"(["17.1"])");
    EXPECT_EQ(missing["missing"].dump(), "[3]");
}
