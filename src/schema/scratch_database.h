#pragma once

#include "db/connection.h"
#include "db/conninfo.h"

#include <optional>
#include <string>

namespace vidb::schema {

// A throwaway database on the same server (CREATE DATABASE <prefix>_<random>), dropped
// by drop() or the destructor, failure and Ctrl-C included (its connection is
// interruptible, so a signal cancels the running query and unwinds to here).
class ScratchDatabase {
public:
    // Throws Error (exit 1) with what to do when the role may not create databases.
    ScratchDatabase(db::Connection& admin, const db::Conninfo& conninfo, const std::string& prefix);
    ScratchDatabase(const ScratchDatabase&) = delete;
    ScratchDatabase& operator=(const ScratchDatabase&) = delete;
    ~ScratchDatabase();

    db::Connection& connection() { return *m_connection; }
    const std::string& name() const { return m_name; }
    // Drops it; the problem (and the DROP to run by hand) when it could not.
    std::optional<std::string> drop() noexcept;

private:
    db::Connection& m_admin;
    std::string m_name;
    std::optional<db::Connection> m_connection;
};

} // namespace vidb::schema
