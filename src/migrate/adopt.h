#pragma once

#include "db/connection.h"
#include "migrate/catalog.h"
#include "migrate/history.h"
#include "migrate/repeatable.h"

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace vidb::migrate {

// The tools whose history `vidb adopt --from` reads.
enum class AdoptSource { dbmate, goose, golang_migrate, flyway };

// "dbmate", "goose", "golang-migrate", "flyway"; nothing for another word.
std::optional<AdoptSource> parse_adopt_source(std::string_view word);
const char* adopt_source_name(AdoptSource source);
// The table the tool writes by default: schema_migrations (dbmate, golang-migrate),
// goose_db_version (goose), flyway_schema_history (Flyway).
const char* default_adopt_table(AdoptSource source);

// The other tool's history as it stands, read without changing anything.
struct ForeignHistory {
    std::string table; // schema-qualified, as found
    std::vector<MigrationVersion> applied; // ascending
    // Flyway: the checksum it recorded per applied version (none for a row without one),
    // and the version of its BASELINE row (every version up to it counts as applied).
    std::map<MigrationVersion, std::optional<std::int32_t>> checksums;
    std::optional<MigrationVersion> baseline;
    // Flyway's repeatable rows: the script's file name -> the checksum of its latest run.
    std::map<std::string, std::optional<std::int32_t>> repeatables;
};

// Reads TABLE (as written on the command line, resolved through the search_path) the way
// the tool reads it: dbmate, every row's version; goose, the latest row per version_id
// (by id) with is_applied, version 0 being goose's own first row; golang-migrate, the
// one (version, dirty) row, meaning every version up to it; Flyway, its rows by
// installed_rank (SQL applies, UNDO_SQL and DELETE take back, BASELINE stands for every
// version up to it). Refuses (RefusedError) a missing table, a table whose columns are not
// the tool's, a dirty golang-migrate row, a Flyway row with success = false and a version
// vidb cannot read (not digits, beyond bigint; Flyway: not digits separated by '.' or '_',
// read as Flyway compares them, see MigrationVersion). Flyway's repeatable rows (no
// version) are kept per script in `repeatables`.
ForeignHistory read_foreign_history(db::Connection& connection, AdoptSource source, const std::string& table);

// What adopt or baseline records in vidb's history.
struct RecordPlan {
    std::vector<const Migration*> record; // rows to write, in version order
    std::vector<const Migration*> already; // recorded before with this build's checksum
};

// Matches the other tool's applied versions to the migrations of this binary and to
// vidb's history. Refuses by name: versions the binary does not carry, versions of the
// binary missing from the middle of the old history, a version vidb's history records
// with another checksum, a partial no-transaction run, and (Flyway) a file whose Flyway
// checksum differs from the one Flyway recorded. Each refusal names the command that
// resolves it.
RecordPlan plan_adopt(
    const Catalog& catalog, const HistorySnapshot& vidb_history, AdoptSource source, const ForeignHistory& foreign);

// Flyway's repeatable migrations: those whose file has the checksum Flyway recorded are
// recorded as applied (unless vidb already has them); a changed file is left for
// `vidb migrate` to apply again, as Flyway would. Refuses a repeatable the binary lacks.
struct RepeatableAdoption {
    std::vector<const Repeatable*> record;
    std::vector<const Repeatable*> changed;
};
RepeatableAdoption plan_adopt_repeatables(
    const Catalog& catalog, const std::vector<RepeatableStatus>& vidb_repeatables, const ForeignHistory& foreign);

// Every migration up to and including TO (which must be one of the binary's), checked
// against vidb's history as plan_adopt() does.
RecordPlan plan_baseline(const Catalog& catalog, const HistorySnapshot& vidb_history, const MigrationVersion& to);

// Writes the rows in one transaction: this build's name and checksum, no execution_ms,
// applied_by saying how they came to be recorded ("adopted from dbmate by user@host",
// "baseline by user@host").
// REPEATABLES go to vidb_repeatable_migrations (created if missing) in the same transaction.
void write_records(History& history, const std::vector<const Migration*>& rows, const std::string& applied_by,
    const std::vector<const Repeatable*>& repeatables = {});

} // namespace vidb::migrate
