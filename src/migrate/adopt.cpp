#include "migrate/adopt.h"

#include "common/error.h"
#include "migrate/planner.h"
#include "migrate/source_layout.h"

#include <algorithm>
#include <map>
#include <set>

namespace vidb::migrate {

namespace {

std::string versions_text(const Catalog& catalog, const std::vector<MigrationVersion>& versions)
{
    std::string out;
    const std::size_t shown = std::min<std::size_t>(versions.size(), 10);
    for (std::size_t i = 0; i < shown; ++i) {
        out += (out.empty() ? "" : ", ") + format_version(catalog, versions[i]);
    }
    if (versions.size() > shown) {
        out += " and " + std::to_string(versions.size() - shown) + " more";
    }
    return out;
}

// dbmate's, goose's and golang-migrate's versions: one integer that fits bigint.
std::optional<MigrationVersion> version_of(std::string_view text)
{
    if (text.empty() || text.size() > 19 || text.find_first_not_of("0123456789") != std::string_view::npos) {
        return std::nullopt;
    }
    const auto version = MigrationVersion::parse(text);
    if (!version || !version->is_integer()) {
        return std::nullopt;
    }
    return version;
}

// The columns of a table: name -> type as format_type() spells it.
std::map<std::string, std::string> columns_of(db::Connection& connection, const std::string& regclass)
{
    const auto rows = connection.exec_params("SELECT attname::text, pg_catalog.format_type(atttypid, atttypmod) FROM "
                                             "pg_catalog.pg_attribute WHERE attrelid = $1::regclass AND attnum > 0 AND "
                                             "NOT attisdropped",
        { regclass });
    std::map<std::string, std::string> columns;
    for (int row = 0; row < rows.rows(); ++row) {
        columns.emplace(std::string(rows.get(row, 0)), std::string(rows.get(row, 1)));
    }
    return columns;
}

// What each tool's table looks like (the columns adopt reads), to refuse another tool's table.
void check_shape(AdoptSource source, const std::string& table, const std::map<std::string, std::string>& columns)
{
    const auto type = [&](const std::string& name) {
        const auto it = columns.find(name);
        return it == columns.end() ? std::string() : it->second;
    };
    std::string expected;
    bool ok = false;
    switch (source) {
    case AdoptSource::dbmate:
        expected = "version character varying";
        ok = (type("version").starts_with("character varying") || type("version") == "text") && type("dirty").empty();
        break;
    case AdoptSource::goose:
        expected = "id, version_id bigint, is_applied boolean";
        ok = type("version_id") == "bigint" && type("is_applied") == "boolean" && !type("id").empty();
        break;
    case AdoptSource::golang_migrate:
        expected = "version bigint, dirty boolean";
        ok = type("version") == "bigint" && type("dirty") == "boolean";
        break;
    case AdoptSource::flyway:
        expected = "installed_rank integer, version, type, checksum integer, success boolean, …";
        ok = type("installed_rank") == "integer" && !type("version").empty() && !type("type").empty()
            && type("checksum") == "integer" && type("success") == "boolean";
        break;
    }
    if (!ok) {
        std::string found;
        for (const auto& [name, column_type] : columns) {
            found += (found.empty() ? "" : ", ") + name + " " + column_type;
        }
        throw RefusedError(table + " is not " + adopt_source_name(source) + "'s history table: it has (" + found + "), "
                + adopt_source_name(source) + " writes (" + expected + ")",
            { "nothing was changed; name the tool that migrated this database with --from, or its table with "
              "--table" });
    }
}

} // namespace

std::optional<AdoptSource> parse_adopt_source(std::string_view word)
{
    for (const AdoptSource source :
        { AdoptSource::dbmate, AdoptSource::goose, AdoptSource::golang_migrate, AdoptSource::flyway }) {
        if (word == adopt_source_name(source)) {
            return source;
        }
    }
    return std::nullopt;
}

const char* adopt_source_name(AdoptSource source)
{
    switch (source) {
    case AdoptSource::dbmate:
        return "dbmate";
    case AdoptSource::goose:
        return "goose";
    case AdoptSource::golang_migrate:
        return "golang-migrate";
    case AdoptSource::flyway:
        return "flyway";
    }
    return "dbmate";
}

const char* default_adopt_table(AdoptSource source)
{
    switch (source) {
    case AdoptSource::goose:
        return "goose_db_version";
    case AdoptSource::flyway:
        return "flyway_schema_history";
    default:
        return "schema_migrations";
    }
}

ForeignHistory read_foreign_history(db::Connection& connection, AdoptSource source, const std::string& table)
{
    const std::string tool = adopt_source_name(source);
    const auto found
        = connection.exec_params("SELECT pg_catalog.quote_ident(n.nspname) || '.' || pg_catalog.quote_ident(c.relname) "
                                 "FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON "
                                 "n.oid = c.relnamespace WHERE c.oid = pg_catalog.to_regclass($1)",
            { table });
    if (found.rows() == 0) {
        throw RefusedError("no table " + table + " here: " + tool + " has not migrated this database (or not with "
                + "this table, schema or search_path)",
            { "nothing was changed; name the table with --table SCHEMA.TABLE (as " + tool
                + " was configured), or connect to the database it migrated" });
    }
    ForeignHistory history;
    history.table = std::string(found.get(0, 0));
    check_shape(source, history.table, columns_of(connection, history.table));
    std::set<MigrationVersion> applied;
    const auto refuse_version = [&](std::string_view text) {
        throw RefusedError(history.table + " holds version '" + std::string(text)
                + "', which is not a version vidb can match to a file (digits, at most a bigint)",
            { "nothing was changed; see vidb list for the versions of this binary" });
    };
    switch (source) {
    case AdoptSource::dbmate: {
        const auto rows = connection.exec("SELECT version::text FROM " + history.table);
        for (int row = 0; row < rows.rows(); ++row) {
            const auto version = version_of(rows.get(row, 0));
            if (!version) {
                refuse_version(rows.get(row, 0));
            }
            applied.insert(*version);
        }
        break;
    }
    case AdoptSource::goose: {
        // goose's own reading: rows newest first, the first row seen for a version decides
        // (is_applied false: it was rolled back). Version 0 is the row goose writes when it
        // creates the table.
        const auto rows
            = connection.exec("SELECT version_id::text, is_applied FROM " + history.table + " ORDER BY id DESC");
        std::set<MigrationVersion> seen;
        for (int row = 0; row < rows.rows(); ++row) {
            const auto version = version_of(rows.get(row, 0));
            if (!version) {
                refuse_version(rows.get(row, 0));
            }
            if (*version == MigrationVersion() || !seen.insert(*version).second) {
                continue;
            }
            if (rows.get_bool(row, 1)) {
                applied.insert(*version);
            }
        }
        break;
    }
    case AdoptSource::golang_migrate: {
        const auto rows = connection.exec("SELECT version::text, dirty FROM " + history.table);
        if (rows.rows() > 1) {
            throw RefusedError(history.table + " has " + std::to_string(rows.rows())
                    + " rows; golang-migrate keeps exactly one (the current version)",
                { "nothing was changed; check with golang-migrate's `migrate version` which is current" });
        }
        if (rows.rows() == 1) {
            const auto version = version_of(rows.get(0, 0));
            if (!version) {
                refuse_version(rows.get(0, 0));
            }
            if (rows.get_bool(0, 1)) {
                throw RefusedError("golang-migrate's history is dirty at version " + std::string(rows.get(0, 0))
                        + ": that migration failed part way, so what it left is unknown",
                    { "nothing was changed; repair the database by hand, then mark the version that is really "
                      "applied with `migrate -path DIR -database URL force VERSION`, and run vidb adopt again" });
            }
            // Every version up to it: filled in against the binary's versions by plan_adopt().
            applied.insert(*version);
        }
        break;
    }
    case AdoptSource::flyway: {
        // Flyway's own reading (flyway-core's applied-migration list): rows in installed_rank
        // order; an UNDO_SQL or DELETE row takes its version back, a BASELINE row stands for
        // everything up to it, SCHEMA rows are Flyway's record of schemas it created.
        const auto rows = connection.exec(
            "SELECT version, type, checksum, success, script FROM " + history.table + " ORDER BY installed_rank");
        for (int row = 0; row < rows.rows(); ++row) {
            const std::string type(rows.get(row, 1));
            const std::string script(rows.get(row, 4));
            if (!rows.get_bool(row, 3)) {
                throw RefusedError("Flyway's history records a failed migration: " + script + " (success = false)",
                    { "nothing was changed; repair the database by hand, remove the failed row with `flyway repair`, "
                      "and run vidb adopt again" });
            }
            if (type == "SCHEMA") {
                continue;
            }
            if (rows.is_null(row, 0)) { // a repeatable migration: its latest run counts
                const std::string file = script.substr(script.rfind('/') + 1);
                if (type == "DELETE") {
                    history.repeatables.erase(file);
                } else {
                    history.repeatables[file]
                        = rows.is_null(row, 2) ? std::nullopt : std::optional<std::int32_t>(rows.get_int(row, 2));
                }
                continue;
            }
            // As Flyway writes it: "2", "2.1" (a V2_1__ file's version is written with dots).
            const std::string text(rows.get(row, 0));
            const auto version = MigrationVersion::parse(text);
            if (!version) {
                throw RefusedError("Flyway's history records version '" + text + "' (" + script
                        + "), which is not a Flyway version vidb reads (digits separated by '.' or '_')",
                    { "nothing was changed; see MIGRATIONS.md, \"From Flyway\"" });
            }
            if (type == "BASELINE") {
                history.baseline = std::max(history.baseline.value_or(MigrationVersion()), *version);
            } else if (type == "UNDO_SQL" || type == "DELETE") {
                applied.erase(*version);
                history.checksums.erase(*version);
            } else {
                applied.insert(*version);
                history.checksums[*version]
                    = rows.is_null(row, 2) ? std::nullopt : std::optional<std::int32_t>(rows.get_int(row, 2));
            }
        }
        break;
    }
    }
    history.applied.assign(applied.begin(), applied.end());
    return history;
}

namespace {

// Checks the wanted rows against vidb's own history and splits them into new and already
// recorded.
RecordPlan check_against_vidb(
    const Catalog& catalog, const HistorySnapshot& vidb_history, const std::vector<const Migration*>& wanted)
{
    if (!vidb_history.partial.empty()) {
        const PartialMigration& partial = vidb_history.partial.front();
        throw RefusedError("migration " + format_version(catalog, partial.version) + "_" + partial.name
                + " stopped part way in vidb's history (a no-transaction run)",
            { "nothing was changed; finish or undo it first with vidb repair "
                + format_version(catalog, partial.version) + " --resume or --forget (see vidb status)" });
    }
    std::map<MigrationVersion, const AppliedMigration*> recorded;
    for (const AppliedMigration& row : vidb_history.applied) {
        recorded.emplace(row.version, &row);
    }
    RecordPlan plan;
    for (const Migration* migration : wanted) {
        const auto it = recorded.find(migration->version);
        if (it == recorded.end()) {
            plan.record.push_back(migration);
        } else if (it->second->checksum == migration->checksum && it->second->name == migration->name) {
            plan.already.push_back(migration);
        } else {
            throw RefusedError("vidb's history already records " + format_version(catalog, migration->version) + "_"
                    + it->second->name + " with another name or checksum than this build's " + label(*migration),
                { "nothing was changed; vidb status shows the difference (drift: vidb repair "
                    + std::string(migration->version_text)
                    + " --accept-checksum once the database matches this build's file)" });
        }
    }
    return plan;
}

} // namespace

RecordPlan plan_adopt(
    const Catalog& catalog, const HistorySnapshot& vidb_history, AdoptSource source, const ForeignHistory& foreign)
{
    const std::string tool = adopt_source_name(source);
    std::vector<MigrationVersion> unknown;
    for (const auto& version : foreign.applied) {
        if (catalog.find(version) == nullptr) {
            unknown.push_back(version);
        }
    }
    if (!unknown.empty()) {
        const std::string fix = source == AdoptSource::golang_migrate
            ? "add that migration's files to the folder and rebuild, or move golang-migrate to a version this "
              "binary has (`migrate ... goto VERSION`)"
            : "add their files to the folder and rebuild (vidb list shows what this binary carries); if they were "
              "removed on purpose, roll them back with "
                + tool + " first ("
                + (source == AdoptSource::dbmate       ? "`dbmate rollback`"
                        : source == AdoptSource::goose ? "`goose down-to VERSION`"
                                                       : "`flyway undo`, or delete their rows by hand")
                + ")";
        throw RefusedError(foreign.table + " records " + std::to_string(unknown.size()) + " version(s) that "
                + "this binary does not carry: " + versions_text(catalog, unknown),
            { "nothing was changed; " + fix });
    }
    if (source == AdoptSource::flyway) {
        for (const auto& [version, recorded] : foreign.checksums) {
            const Migration* migration = catalog.find(version);
            const std::int32_t file = flyway_checksum(migration->up_sql);
            if (recorded && *recorded != file) {
                throw RefusedError(label(*migration)
                        + " differs from the file Flyway applied: Flyway recorded checksum " + std::to_string(*recorded)
                        + ", this build's " + std::string(migration->up_file) + " has " + std::to_string(file),
                    { "nothing was changed; restore the file as Flyway applied it, or, if the edit was deliberate and "
                      "the database matches it, record the new checksum with `flyway repair` and run vidb adopt "
                      "again" });
            }
        }
    }
    std::vector<const Migration*> wanted;
    if (source == AdoptSource::golang_migrate) {
        for (const Migration& migration : catalog.migrations()) {
            if (!foreign.applied.empty() && migration.version <= foreign.applied.back()) {
                wanted.push_back(&migration);
            }
        }
    } else {
        std::vector<MigrationVersion> gaps;
        const std::set<MigrationVersion> applied(foreign.applied.begin(), foreign.applied.end());
        // Flyway's baseline version needs no file: it stands for the schema before the files.
        const MigrationVersion newest = std::max(
            applied.empty() ? MigrationVersion() : *applied.rbegin(), foreign.baseline.value_or(MigrationVersion()));
        for (const Migration& migration : catalog.migrations()) {
            if (applied.contains(migration.version) || (foreign.baseline && migration.version <= *foreign.baseline)) {
                wanted.push_back(&migration);
            } else if (migration.version < newest) {
                gaps.push_back(migration.version);
            }
        }
        if (!gaps.empty()) {
            throw RefusedError(std::to_string(gaps.size()) + " migration(s) of this binary are older than the newest "
                    + tool + " applied (" + format_version(catalog, newest)
                    + ") but were never applied: " + versions_text(catalog, gaps),
                { "nothing was changed; apply them with " + tool + " first ("
                    + (source == AdoptSource::dbmate       ? "`dbmate up` applies them"
                            : source == AdoptSource::goose ? "`goose up -allow-missing`"
                                                           : "`flyway migrate -outOfOrder=true`")
                    + "), or, if what they do is already in the database, run vidb adopt, then record them with "
                      "vidb baseline" });
        }
    }
    return check_against_vidb(catalog, vidb_history, wanted);
}

RepeatableAdoption plan_adopt_repeatables(
    const Catalog& catalog, const std::vector<RepeatableStatus>& vidb_repeatables, const ForeignHistory& foreign)
{
    RepeatableAdoption plan;
    std::vector<std::string> unknown;
    for (const auto& [file, checksum] : foreign.repeatables) {
        const auto it = std::find_if(catalog.repeatables().begin(), catalog.repeatables().end(),
            [&file](const Repeatable& r) { return r.file_name == file; });
        if (it == catalog.repeatables().end()) {
            unknown.push_back(file);
            continue;
        }
        const auto vidb = std::find_if(vidb_repeatables.begin(), vidb_repeatables.end(),
            [&it](const RepeatableStatus& s) { return s.repeatable == &*it; });
        if (vidb != vidb_repeatables.end() && vidb->state != RepeatableState::pending) {
            continue; // vidb records it already: its own state decides
        }
        (checksum == flyway_checksum(it->sql) ? plan.record : plan.changed).push_back(&*it);
    }
    if (!unknown.empty()) {
        std::string list;
        for (const auto& file : unknown) {
            list += (list.empty() ? "" : ", ") + file;
        }
        throw RefusedError(foreign.table + " records repeatable migrations this binary does not carry: " + list,
            { "nothing was changed; add their files to the folder and rebuild, or, if they were removed on "
              "purpose, delete their rows with `flyway repair` after removing them from Flyway's locations" });
    }
    return plan;
}

RecordPlan plan_baseline(const Catalog& catalog, const HistorySnapshot& vidb_history, const MigrationVersion& to)
{
    if (catalog.find(to) == nullptr) {
        throw UsageError("version " + to.text() + " is not one of this binary's migrations (see vidb list)");
    }
    std::vector<const Migration*> wanted;
    for (const Migration& migration : catalog.migrations()) {
        if (migration.version <= to) {
            wanted.push_back(&migration);
        }
    }
    return check_against_vidb(catalog, vidb_history, wanted);
}

void write_records(History& history, const std::vector<const Migration*>& rows, const std::string& applied_by,
    const std::vector<const Repeatable*>& repeatables)
{
    if (rows.empty() && repeatables.empty()) {
        return;
    }
    db::Connection& connection = history.connection();
    std::string sql = "BEGIN;\n";
    // One INSERT per row: a dotted version also writes version_text, an integer one
    // writes what vidb always wrote.
    for (const Migration* row : rows) {
        sql += "INSERT INTO " + history.table() + " (version, name, checksum, applied_by"
            + history.text_column(row->version) + ") VALUES (" + std::to_string(row->version.key()) + ", "
            + connection.quote_literal(row->name) + ", " + connection.quote_literal(row->checksum) + ", "
            + connection.quote_literal(applied_by) + history.text_value(row->version) + ");\n";
    }
    if (!repeatables.empty()) {
        ensure_repeatable_table(history);
        sql += "INSERT INTO " + repeatable_table(history) + " (name, checksum, applied_by) VALUES\n";
        for (std::size_t i = 0; i < repeatables.size(); ++i) {
            sql += std::string(i ? ",\n" : "") + "(" + connection.quote_literal(repeatables[i]->name) + ", "
                + connection.quote_literal(repeatables[i]->checksum) + ", " + connection.quote_literal(applied_by)
                + ")";
        }
        sql += " ON CONFLICT (name) DO NOTHING;\n";
    }
    sql += "COMMIT;";
    db::Transaction transaction(connection); // an error rolls every row back
    connection.exec(sql);
    transaction.commit();
}

} // namespace vidb::migrate
