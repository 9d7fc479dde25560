#pragma once

#include "db/connection.h"
#include "db/conninfo.h"

#include <optional>
#include <string>

namespace vidb::db {

// Whether the connected role may create databases (CREATEDB, or a superuser), and its name.
struct CreateDatabaseRight {
    std::string user;
    bool allowed = false;
};
CreateDatabaseRight create_database_right(Connection& admin);

// A throwaway database on the same server (CREATE DATABASE <prefix>_<random>) for
// `selftest --roundtrip`, `drift` and `lint --trace`, dropped by drop() or the destructor,
// failure and Ctrl-C included (its connection is interruptible, so a signal cancels the
// running query and unwinds to here).
class ScratchDatabase {
public:
    // Throws Error (exit 1) when the role may not create databases: the first detail line
    // is `purpose` (what the command does with the database), then the GRANT that fixes it.
    ScratchDatabase(Connection& admin, const Conninfo& conninfo, const std::string& prefix, const std::string& purpose);
    ScratchDatabase(const ScratchDatabase&) = delete;
    ScratchDatabase& operator=(const ScratchDatabase&) = delete;
    ~ScratchDatabase();

    Connection& connection() { return *m_connection; }
    const std::string& name() const { return m_name; }
    // Drops it; the problem (and the DROP to run by hand) when it could not.
    std::optional<std::string> drop() noexcept;

private:
    Connection& m_admin;
    std::string m_name;
    std::optional<Connection> m_connection;
};

} // namespace vidb::db
