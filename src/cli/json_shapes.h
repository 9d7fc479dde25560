#pragma once

#include "common/error.h"
#include "common/json.h"
#include "migrate/catalog.h"
#include "migrate/planner.h"
#include "migrate/repeatable.h"
#include "schema/drift.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

// The --json documents of every command, one function per shape, so that each shape
// is unit-tested (tests/unit/test_cli_json_shapes.cpp) and documented in one place
// (MIGRATIONS.md, "JSON output"). Every document is one object with "ok"; a command
// that fails prints error_json() instead of its own shape.
namespace vidb::migrate {

// A version in --json documents: an integer version as the number it always was, any
// other (Flyway's 17.1) as its text, a string.
void to_json(Json& json, const MigrationVersion& version);

} // namespace vidb::migrate

namespace vidb::cli {

// One migration that ran: {"version","name","direction":"up"|"down","ms"}.
Json step_json(const migrate::Migration& migration, bool up, long long ms);

// "0001_name" labels, in order.
Json labels_json(const std::vector<const migrate::Migration*>& migrations);

// `unknown`: applied versions newer than this binary; `missing`: applied versions whose
// files this binary lacks although it carries newer ones.
Json migrate_json(bool dry_run, const std::vector<const migrate::Migration*>& planned, const Json& steps,
    const std::vector<migrate::MigrationVersion>& unknown, const std::vector<migrate::MigrationVersion>& missing,
    long long ms);
// `planned`: what is (or, with --dry-run, would be) reverted, newest first.
Json revert_json(bool dry_run, const std::vector<const migrate::Migration*>& planned, const Json& steps);
Json redo_json(const migrate::Migration& migration, const Json& steps);
Json repair_json(const migrate::MigrationVersion& version, const std::string& action, const Json& steps);
// `repair V --accept-checksum`: the recorded checksum before and after.
Json accept_checksum_json(
    const migrate::MigrationVersion& version, const std::string& old_checksum, const std::string& new_checksum);

// `adopt --from TOOL`: the other tool's table, the rows written (or, with --dry-run, that
// would be) and those vidb's history already held: {"ok","from","table","dry_run",
// "recorded":[labels],"already":[labels]}.
Json adopt_json(const std::string& from, const std::string& table, bool dry_run,
    const std::vector<const migrate::Migration*>& recorded, const std::vector<const migrate::Migration*>& already);
// `baseline --to V`: {"ok","to","dry_run","recorded":[labels],"already":[labels]}.
Json baseline_json(const std::string& to, bool dry_run, const std::vector<const migrate::Migration*>& recorded,
    const std::vector<const migrate::Migration*>& already);

// `unlock`: the lock row it removed (null when no lock was held).
struct UnlockInfo {
    std::string holder;
    std::string since;
    double silent_s = 0;
    bool forced = false; // the holder's heartbeat was fresh
};
Json unlock_json(const std::optional<UnlockInfo>& removed);

struct StatusServer {
    std::string database;
    std::string server_version;
    bool history_table = false;
    // "user@host pid N" of a vidb holding the migration lock with a fresh heartbeat: a
    // partial migration without a recorded error is then still running.
    std::optional<std::string> running_by;
};
// How a partial migration's run ended: "failed" (a statement failed; its error is
// recorded), "running" (a live vidb holds the lock) or "cut_short" (no error recorded and
// nobody running: killed, or its connection lost, so the next statement may have run).
std::string partial_run_state(const migrate::PartialMigration& partial, const StatusServer& server);
Json status_json(const std::vector<migrate::StatusEntry>& entries, const StatusServer& server);

Json list_json(const migrate::Catalog& catalog);
// Repeatable migrations: `status` lists [{"name","file","state","checksum","applied_checksum","applied_at"}];
// `migrate` names those it applied (or would) as ["R__name"…].
Json repeatables_status_json(const std::vector<migrate::RepeatableStatus>& status);
Json repeatable_labels_json(const std::vector<const migrate::Repeatable*>& repeatables);
Json show_json(const migrate::Migration& migration, bool down);
// One file for the one-file layouts (dbmate, goose) and Flyway, two for up/down pairs.
Json new_json(const std::string& up_file, const std::optional<std::string>& down_file);

struct PingInfo {
    std::string server_version;
    std::string database;
    std::string user;
    std::string host;
    std::string port;
    bool ssl = false;
    double connect_ms = 0;
    double round_trip_ms = 0;
};
Json ping_json(const PingInfo& ping);
Json wait_json(double waited_ms);

struct VersionInfo {
    std::string version;
    std::string commit;
    std::string libpq;
    bool is_static = false;
    std::string tls;
    std::size_t migrations = 0;
    std::size_t checks = 0;
    std::string migrations_digest;
    std::string migrations_source; // "compiled-in" | "packed"
    std::string packed_at; // packed only (else null)
    std::string packed_from; // the folder's name; packed only (else null)
};
Json version_json(const VersionInfo& info);

// `vidb pack`: {"ok","output","base" (null: this vidb),"replaced_payload","migrations","checks",
// "migrations_digest","packed_from","packed_at","payload_bytes","bytes"}.
struct PackedInfo {
    std::string output;
    std::string base;
    bool replaced_payload = false;
    std::size_t migrations = 0;
    std::size_t checks = 0;
    std::string digest;
    std::string packed_from;
    std::string packed_at;
    std::size_t payload_bytes = 0;
    std::size_t bytes = 0;
};
Json pack_json(const PackedInfo& info);
// `vidb unpack`: {"ok","directory","files","migrations_digest","packed_from","packed_at"}.
Json unpack_json(const std::string& directory, const std::vector<std::string>& files, const std::string& digest,
    const std::string& packed_from, const std::string& packed_at);

struct UpInfo {
    std::string backend;
    bool already_running = false;
    std::string url;
    std::string server_version;
    bool database_created = false;
    std::string where;
    std::string log;
};
Json up_json(const UpInfo& info);
Json down_json(bool found, bool purged, const std::vector<std::string>& messages);

// `method`: "recreated" or "reverted"; `guard`: why no --yes was needed ("--yes", or
// the disposable-database rule that held).
Json reset_json(const std::string& database, const std::string& method, std::size_t reverted, const Json& steps,
    const std::string& guard);

// `drift`: "ok" is true when the database matches; "history_table": whether the database
// has vidb's history table (false: compared with an empty schema); each difference is {"kind","name",
// "database","migrations"} with the SQL of each side ("" for the side that lacks it);
// `not_applied`: versions this binary carries that the database has not applied (left
// out of the comparison).
Json drift_json(const schema::DriftReport& report, const std::string& database);

// What a failed command prints on stdout with --json: the migrations it ran and the
// other changes it made before the failure, and the error with the server's SQLSTATE
// when there is one (null otherwise).
Json error_json(const Error& error, const Json& steps, const std::vector<std::string>& changes);

} // namespace vidb::cli
