#pragma once

#include "db/connection.h"
#include "db/conninfo.h"
#include "db/scratch_database.h"
#include "migrate/catalog.h"
#include "migrate/history.h"
#include "selftest/catalog_snapshot.h"
#include "selftest/check_result.h"

#include <optional>
#include <string>
#include <vector>

namespace vidb::selftest {

struct RoundtripOptions {
    db::Conninfo conninfo; // of the database under test; the scratch one differs in dbname only
    std::string schema; // of vidb's history table ("" = default)
    std::string read_only_reason; // set: the server cannot create a database, skip
};

// --roundtrip: proves the down migrations in a scratch database (CREATE DATABASE
// vidb_roundtrip_<random>). The steps run in order; the scratch database lives
// from apply_all() until cleanup(), which the destructor also calls, so it is dropped
// on failure and on Ctrl-C (the running query is cancelled and the step fails).
class Roundtrip {
public:
    Roundtrip(db::Connection& admin, const migrate::Catalog& catalog, RoundtripOptions options);
    Roundtrip(const Roundtrip&) = delete;
    Roundtrip& operator=(const Roundtrip&) = delete;
    ~Roundtrip();

    // Apply every migration, one by one, snapshotting the catalog after each.
    Outcome apply_all();
    // Revert every migration, newest first; after each down the schema must be what it
    // was before that migration's up. Names every object a down left behind.
    Outcome revert_all();
    // Apply everything again: the schema must equal the first apply's.
    Outcome apply_again();
    // With repeatable migrations: apply each once, then each a second time; the second
    // application must leave the catalog as the first left it (names the one that does not).
    Outcome repeat_repeatables();
    // Drops the scratch database; the problem when it could not (vidb left it behind).
    std::optional<std::string> cleanup() noexcept;

private:
    std::string precondition();
    void create_scratch();
    Outcome interrupted_or_failed(const std::exception& error);

    db::Connection& m_admin;
    const migrate::Catalog& m_catalog;
    RoundtripOptions m_options;
    std::string m_skip; // why the whole roundtrip is skipped
    std::optional<db::ScratchDatabase> m_scratch;
    std::optional<migrate::History> m_history;
    std::vector<CatalogSnapshot> m_snapshots; // [0]: before any migration, [i]: after the i-th
    bool m_applied = false;
    bool m_reverted = false;
    bool m_applied_again = false;
};

} // namespace vidb::selftest
