#include "cli/json_shapes.h"

#include "db/error.h"
#include "migrate/migration_error.h"

#include <cmath>

namespace vidb::migrate {

void to_json(Json& json, const MigrationVersion& version)
{
    if (version.is_integer()) {
        json = version.key(); // as vidb always wrote it
    } else {
        json = version.text(); // "17.1": a string, as no number can say 1.10
    }
}

} // namespace vidb::migrate

namespace vidb::cli {

namespace {

// Times to the hundredth of a millisecond, as the text output shows them.
double rounded(double ms)
{
    return std::round(ms * 100.0) / 100.0;
}

// As the file spells it ("0002"); a version this binary lacks as a plain number.
std::string version_text(const migrate::StatusEntry& entry)
{
    if (!entry.version_text.empty()) {
        return entry.version_text; // padded like the files (migrate::format_version)
    }
    return entry.migration ? std::string(entry.migration->version_text) : entry.version.text();
}

} // namespace

Json step_json(const migrate::Migration& migration, bool up, long long ms)
{
    return { { "version", migration.version }, { "name", migration.name }, { "direction", up ? "up" : "down" },
        { "ms", ms } };
}

Json labels_json(const std::vector<const migrate::Migration*>& migrations)
{
    Json labels = Json::array();
    for (const auto* migration : migrations) {
        labels.push_back(migrate::label(*migration));
    }
    return labels;
}

Json migrate_json(bool dry_run, const std::vector<const migrate::Migration*>& planned, const Json& steps,
    const std::vector<migrate::MigrationVersion>& unknown, const std::vector<migrate::MigrationVersion>& missing,
    long long ms)
{
    return { { "ok", true }, { "dry_run", dry_run }, { "planned", labels_json(planned) }, { "applied", steps },
        { "unknown", unknown }, { "missing", missing }, { "ms", ms } };
}

Json revert_json(bool dry_run, const std::vector<const migrate::Migration*>& planned, const Json& steps)
{
    return { { "ok", true }, { "dry_run", dry_run }, { "planned", labels_json(planned) }, { "reverted", steps } };
}

Json adopt_json(const std::string& from, const std::string& table, bool dry_run,
    const std::vector<const migrate::Migration*>& recorded, const std::vector<const migrate::Migration*>& already)
{
    return { { "ok", true }, { "from", from }, { "table", table }, { "dry_run", dry_run },
        { "recorded", labels_json(recorded) }, { "already", labels_json(already) } };
}

Json baseline_json(const std::string& to, bool dry_run, const std::vector<const migrate::Migration*>& recorded,
    const std::vector<const migrate::Migration*>& already)
{
    return { { "ok", true }, { "to", to }, { "dry_run", dry_run }, { "recorded", labels_json(recorded) },
        { "already", labels_json(already) } };
}

Json repeatables_status_json(const std::vector<migrate::RepeatableStatus>& status)
{
    Json out = Json::array();
    for (const auto& entry : status) {
        out.push_back({ { "name", entry.repeatable->name }, { "file", entry.repeatable->file_name },
            { "state", migrate::repeatable_state_name(entry.state) }, { "checksum", entry.repeatable->checksum },
            { "applied_checksum", entry.applied_checksum.empty() ? Json() : Json(entry.applied_checksum) },
            { "applied_at", entry.applied_at.empty() ? Json() : Json(entry.applied_at) } });
    }
    return out;
}

Json repeatable_labels_json(const std::vector<const migrate::Repeatable*>& repeatables)
{
    Json out = Json::array();
    for (const auto* repeatable : repeatables) {
        out.push_back("R__" + std::string(repeatable->name));
    }
    return out;
}

Json redo_json(const migrate::Migration& migration, const Json& steps)
{
    return { { "ok", true }, { "redone", migrate::label(migration) }, { "steps", steps } };
}

Json repair_json(const migrate::MigrationVersion& version, const std::string& action, const Json& steps)
{
    return { { "ok", true }, { "version", version }, { "action", action }, { "steps", steps } };
}

Json accept_checksum_json(
    const migrate::MigrationVersion& version, const std::string& old_checksum, const std::string& new_checksum)
{
    return { { "ok", true }, { "version", version }, { "action", "accept-checksum" }, { "old_checksum", old_checksum },
        { "new_checksum", new_checksum } };
}

Json unlock_json(const std::optional<UnlockInfo>& removed)
{
    if (!removed) {
        return { { "ok", true }, { "removed", false }, { "holder", nullptr } };
    }
    return { { "ok", true }, { "removed", true }, { "holder", removed->holder }, { "since", removed->since },
        { "silent_s", std::llround(removed->silent_s) }, { "forced", removed->forced } };
}

std::string partial_run_state(const migrate::PartialMigration& partial, const StatusServer& server)
{
    if (!partial.last_error.empty()) {
        return "failed";
    }
    return server.running_by ? "running" : "cut_short";
}

Json status_json(const std::vector<migrate::StatusEntry>& entries, const StatusServer& server)
{
    Json rows = Json::array();
    // Every state is in the summary, 0 or not, so that a script can read any of them.
    Json summary = { { "applied", 0 }, { "pending", 0 }, { "drifted", 0 }, { "unknown", 0 }, { "partial", 0 },
        { "missing", 0 }, { "collision", 0 } };
    for (const auto& entry : entries) {
        const std::string state = migrate::state_name(entry.state);
        summary[state] = summary.value(state, 0) + 1;
        Json row = { { "version", entry.version }, { "version_text", version_text(entry) }, { "name", entry.name },
            { "state", state } };
        if (entry.applied) {
            row["applied_name"] = entry.applied->name;
            row["applied_at"] = entry.applied->applied_at;
            row["execution_ms"] = entry.applied->execution_ms ? Json(*entry.applied->execution_ms) : Json(nullptr);
            row["applied_by"] = entry.applied->applied_by;
            row["applied_checksum"] = entry.applied->checksum;
        }
        if (entry.migration) {
            row["checksum"] = entry.migration->checksum;
            row["reversible"] = entry.migration->has_down;
        }
        if (entry.partial) {
            row["direction"] = entry.partial->direction == migrate::Direction::down ? "down" : "up";
            row["statements_done"] = entry.partial->statements_done;
            row["statements_total"] = entry.partial->statements_total;
            row["last_error"] = entry.partial->last_error;
            row["invalid_indexes"] = entry.partial->invalid_indexes;
            const std::string run = partial_run_state(*entry.partial, server);
            row["run"] = run;
            row["running_by"] = run == "running" ? Json(*server.running_by) : Json(nullptr);
            // Cut short: statements_done are certain, the one after them may have run too.
            row["next_may_have_run"] = run == "cut_short";
        }
        rows.push_back(row);
    }
    return { { "ok", true }, { "database", server.database }, { "server_version", server.server_version },
        { "history_table", server.history_table }, { "migrations", rows }, { "summary", summary } };
}

Json list_json(const migrate::Catalog& catalog)
{
    Json migrations = Json::array();
    for (const auto& m : catalog.migrations()) {
        migrations.push_back({ { "version", m.version }, { "name", m.name }, { "file", m.up_file },
            { "checksum", m.checksum }, { "reversible", m.has_down }, { "transaction", !m.up_no_transaction } });
    }
    Json checks = Json::array();
    for (const auto& check : catalog.checks()) {
        checks.push_back(check.file_name);
    }
    return { { "ok", true }, { "migrations", migrations }, { "checks", checks } };
}

Json show_json(const migrate::Migration& migration, bool down)
{
    return { { "ok", true }, { "version", migration.version }, { "name", migration.name },
        { "direction", down ? "down" : "up" }, { "file", down ? migration.down_file : migration.up_file },
        { "transaction", !(down ? migration.down_no_transaction : migration.up_no_transaction) },
        { "checksum", migration.checksum }, { "sql", down ? migration.down_sql : migration.up_sql } };
}

Json new_json(const std::string& up_file, const std::optional<std::string>& down_file)
{
    Json created = Json::array({ up_file });
    if (down_file) {
        created.push_back(*down_file);
    }
    return { { "ok", true }, { "created", created } };
}

Json ping_json(const PingInfo& ping)
{
    return { { "ok", true }, { "server_version", ping.server_version }, { "database", ping.database },
        { "user", ping.user }, { "host", ping.host }, { "port", ping.port }, { "ssl", ping.ssl },
        { "connect_ms", rounded(ping.connect_ms) }, { "round_trip_ms", rounded(ping.round_trip_ms) } };
}

Json wait_json(double waited_ms)
{
    return { { "ok", true }, { "waited_ms", std::llround(waited_ms) } };
}

Json version_json(const VersionInfo& info)
{
    return { { "ok", true }, { "version", info.version }, { "commit", info.commit }, { "libpq", info.libpq },
        { "static", info.is_static }, { "tls", info.tls }, { "migrations", info.migrations }, { "checks", info.checks },
        { "migrations_digest", info.migrations_digest }, { "migrations_source", info.migrations_source },
        { "packed_at", info.packed_at.empty() ? Json() : Json(info.packed_at) },
        { "packed_from", info.packed_from.empty() ? Json() : Json(info.packed_from) } };
}

Json pack_json(const PackedInfo& info)
{
    return { { "ok", true }, { "output", info.output }, { "base", info.base.empty() ? Json() : Json(info.base) },
        { "replaced_payload", info.replaced_payload }, { "migrations", info.migrations }, { "checks", info.checks },
        { "migrations_digest", info.digest }, { "packed_from", info.packed_from }, { "packed_at", info.packed_at },
        { "payload_bytes", info.payload_bytes }, { "bytes", info.bytes } };
}

Json unpack_json(const std::string& directory, const std::vector<std::string>& files, const std::string& digest,
    const std::string& packed_from, const std::string& packed_at)
{
    return { { "ok", true }, { "directory", directory }, { "files", files }, { "migrations_digest", digest },
        { "packed_from", packed_from }, { "packed_at", packed_at } };
}

Json up_json(const UpInfo& info)
{
    return { { "ok", true }, { "backend", info.backend }, { "already_running", info.already_running },
        { "url", info.url }, { "server_version", info.server_version }, { "database_created", info.database_created },
        { "where", info.where }, { "log", info.log } };
}

Json down_json(bool found, bool purged, const std::vector<std::string>& messages)
{
    return { { "ok", true }, { "found", found }, { "purged", purged }, { "messages", messages } };
}

Json reset_json(const std::string& database, const std::string& method, std::size_t reverted, const Json& steps,
    const std::string& guard)
{
    return { { "ok", true }, { "database", database }, { "method", method }, { "reverted", reverted },
        { "steps", steps }, { "guard", guard } };
}

Json error_json(const Error& error, const Json& steps, const std::vector<std::string>& changes)
{
    std::string sqlstate;
    if (const auto* sql = dynamic_cast<const db::SqlError*>(&error)) {
        sqlstate = sql->sqlstate();
    } else if (const auto* migration = dynamic_cast<const migrate::MigrationError*>(&error)) {
        sqlstate = migration->sqlstate();
    }
    Json detail = { { "message", error.what() }, { "details", error.details() }, { "exit_code", error.exit_status() } };
    detail["sqlstate"] = sqlstate.empty() ? Json(nullptr) : Json(sqlstate);
    return { { "ok", false }, { "steps", steps }, { "changes", changes }, { "error", detail } };
}

Json drift_json(const schema::DriftReport& report, const std::string& database)
{
    const auto items = [](const std::vector<schema::DriftItem>& list) {
        Json out = Json::array();
        for (const auto& item : list) {
            out.push_back({ { "kind", item.kind }, { "name", item.name }, { "database", item.database },
                { "migrations", item.migrations } });
        }
        return out;
    };
    return { { "ok", report.matches() }, { "drifted", !report.matches() }, { "database", database },
        { "history_table", report.history_table }, { "migrations_applied", report.migrations_applied },
        { "not_applied", report.not_applied }, { "objects", report.compared },
        { "only_in_database", items(report.only_in_database) },
        { "only_in_migrations", items(report.only_in_migrations) }, { "different", items(report.different) } };
}

} // namespace vidb::cli
