#include "schema/drift.h"

#include "common/error.h"
#include "db/interrupt.h"
#include "db/scratch_database.h"
#include "migrate/applier.h"
#include "migrate/catalog_reader.h"
#include "migrate/history.h"

#include <map>
#include <set>

namespace vidb::schema {

namespace {

std::map<std::string, const SchemaObject*> by_key(const std::vector<SchemaObject>& objects)
{
    std::map<std::string, const SchemaObject*> out;
    for (const auto& object : objects) {
        out.emplace(object.key(), &object);
    }
    return out;
}

// Two versions of one table: its columns one by one, then whatever else its CREATE says.
void compare_table(const SchemaObject& database, const SchemaObject& migrations, DriftReport& report)
{
    std::map<std::string, std::string> theirs(migrations.parts.begin(), migrations.parts.end());
    std::map<std::string, std::string> ours(database.parts.begin(), database.parts.end());
    bool columns_differ = false;
    for (const auto& [column, definition] : database.parts) {
        const auto it = theirs.find(column);
        const std::string name = database.name + "." + column;
        if (it == theirs.end()) {
            report.only_in_database.push_back({ "column", name, definition, "" });
            columns_differ = true;
        } else if (it->second != definition) {
            report.different.push_back({ "column", name, definition, it->second });
            columns_differ = true;
        }
    }
    for (const auto& [column, definition] : migrations.parts) {
        if (!ours.contains(column)) {
            report.only_in_migrations.push_back({ "column", database.name + "." + column, "", definition });
            columns_differ = true;
        }
    }
    if (!columns_differ) {
        // Same columns, yet another CREATE: their order, partitioning, storage options.
        report.different.push_back({ "table", database.name, database.sql, migrations.sql });
    }
}

} // namespace

DriftReport compare_schemas(const std::vector<SchemaObject>& database, const std::vector<SchemaObject>& migrations)
{
    DriftReport report;
    report.compared = database.size();
    const auto theirs = by_key(migrations);
    const auto ours = by_key(database);
    for (const auto& object : database) {
        const auto it = theirs.find(object.key());
        if (it == theirs.end()) {
            report.only_in_database.push_back({ object.kind, object.name, object.sql, "" });
        } else if (it->second->sql != object.sql) {
            if (object.kind == "table") {
                compare_table(object, *it->second, report);
            } else {
                report.different.push_back({ object.kind, object.name, object.sql, it->second->sql });
            }
        }
    }
    for (const auto& object : migrations) {
        if (!ours.contains(object.key())) {
            report.only_in_migrations.push_back({ object.kind, object.name, "", object.sql });
        }
    }
    return report;
}

DriftReport check_drift(db::Connection& target, const db::Conninfo& conninfo, const migrate::Catalog& catalog,
    const std::string& history_schema)
{
    migrate::History target_history(target, history_schema);
    const auto snapshot = target_history.read();
    std::set<migrate::MigrationVersion> applied;
    for (const auto& row : snapshot.applied) {
        applied.insert(row.version);
    }
    const auto database = migrate::read_schema(target, {});

    db::ScratchDatabase scratch(target, conninfo, "vidb_drift",
        "vidb drift builds what the migrations make in a scratch database on the same server, compares, and drops "
        "it; the target database itself is only read");
    migrate::History history(scratch.connection(), history_schema);
    history.ensure();
    migrate::SilentReporter reporter;
    migrate::ApplyOptions options;
    options.lock_timeout = ""; // nobody else uses the scratch database
    options.applied_by = "vidb drift";
    migrate::Applier applier(history, reporter, options);
    std::size_t count = 0;
    std::vector<migrate::MigrationVersion> not_applied;
    try {
        for (const auto& migration : catalog.migrations()) {
            if (!applied.contains(migration.version)) {
                not_applied.push_back(migration.version);
                continue;
            }
            db::throw_if_interrupted();
            applier.apply(migration);
            ++count;
        }
    } catch (const Error& error) {
        // Its words ("nothing of it was applied") are about the scratch database: say so.
        auto details = error.details();
        details.push_back("this happened in the scratch database " + scratch.name()
            + ", which is dropped; the target database " + target.database() + " was only read");
        throw Error(error.code(),
            "drift: applying the migrations in a scratch database failed: " + std::string(error.what()), details);
    }
    const auto built = migrate::read_schema(scratch.connection(), {});
    if (const auto problem = scratch.drop()) {
        throw Error(ExitCode::failure, *problem);
    }
    DriftReport report = compare_schemas(database, built);
    report.migrations_applied = count;
    report.not_applied = std::move(not_applied);
    report.history_table = snapshot.exists;
    report.history_where = target_history.table();
    return report;
}

} // namespace vidb::schema
