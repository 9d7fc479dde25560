#include "localdb/ready.h"

#include "common/error.h"
#include "db/connection.h"
#include "db/error.h"
#include "db/interrupt.h"

#include <thread>

namespace vidb::localdb {

namespace {

// Creates the database unless it exists; true when it did. Asking first keeps a
// "database does not exist" FATAL out of the server log.
bool ensure_database(db::Connection& maintenance, const std::string& dbname)
{
    if (maintenance.exec_params("SELECT 1 FROM pg_catalog.pg_database WHERE datname = $1", { dbname }).rows() > 0) {
        return false;
    }
    try {
        maintenance.exec("CREATE DATABASE " + maintenance.quote_identifier(dbname));
    } catch (const db::SqlError& error) {
        // A concurrent vidb up made it first: duplicate_database, or the catalog's unique index.
        if (error.sqlstate() == "42P04" || error.sqlstate() == "23505") {
            return false;
        }
        throw Error(ExitCode::failure, "could not create database " + dbname + ": " + error.what());
    }
    return true;
}

} // namespace

Readiness wait_until_ready(const LocalTarget& target, std::chrono::milliseconds timeout, const std::string& where)
{
    using clock = std::chrono::steady_clock;
    const auto deadline = clock::now() + timeout;
    auto delay = std::chrono::milliseconds(100);
    // The maintenance database; template1 when someone dropped postgres.
    std::string maintenance = "postgres";
    for (;;) {
        try {
            db::Connection connection = db::Connection::open(target.conninfo(maintenance), 5);
            Readiness readiness;
            readiness.database_created = ensure_database(connection, target.dbname);
            readiness.server_version = db::Connection::open(target.conninfo(target.dbname)).server_version_text();
            return readiness;
        } catch (const db::ConnectionError& error) {
            const std::string message = error.what();
            // By SQLSTATE, not by the server's (translatable) words.
            if (error.failure() == db::ConnectFailure::no_database && maintenance == "postgres") {
                maintenance = "template1";
                continue;
            }
            if (error.failure() == db::ConnectFailure::credentials) {
                throw Error(ExitCode::failure,
                    "the local server in " + where + " refuses user " + target.user + ": " + message,
                    { "it was created with another user or password than " + target.source + " now has",
                        "put the old ones back, or start over with vidb down --purge (deletes its data) and vidb up" });
            }
            if (clock::now() >= deadline) {
                throw Error(ExitCode::timeout,
                    "PostgreSQL in " + where + " did not accept connections in time: " + message,
                    { "a slow first start (or image download) may need longer: vidb up --wait-timeout 5m" });
            }
        }
        db::throw_if_interrupted();
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - clock::now());
        std::this_thread::sleep_for(std::max(std::min(delay, left), std::chrono::milliseconds(0)));
        delay = std::min(delay * 2, std::chrono::milliseconds(1000));
    }
}

} // namespace vidb::localdb
