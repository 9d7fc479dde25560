#include "schema/scratch_database.h"

#include "common/error.h"
#include "db/error.h"

#include <fmt/format.h>

#include <random>
#include <utility>

namespace vidb::schema {

namespace {

[[noreturn]] void cannot_create(const std::string& user, const std::string& why)
{
    throw Error(ExitCode::failure, fmt::format("cannot create a scratch database: {} {}", user, why),
        { "vidb drift builds what the migrations make in a scratch database on the same server, compares, and "
          "drops it; the target database itself is only read",
            fmt::format("grant the right (ALTER ROLE {} CREATEDB) or run it as a role that has it, e.g. the CI "
                        "role that runs the migrations",
                user) });
}

} // namespace

ScratchDatabase::ScratchDatabase(db::Connection& admin, const db::Conninfo& conninfo, const std::string& prefix)
    : m_admin(admin)
{
    const auto row
        = admin.exec("SELECT current_user, coalesce((SELECT rolcreatedb OR rolsuper FROM pg_catalog.pg_roles "
                     "WHERE rolname = current_user), false)");
    const std::string user(row.get(0, 0));
    if (!row.get_bool(0, 1)) {
        cannot_create(user, "lacks the CREATEDB privilege");
    }
    std::random_device device;
    const std::string name = fmt::format("{}_{:08x}", prefix, device());
    try {
        admin.exec("CREATE DATABASE " + admin.quote_identifier(name));
    } catch (const db::SqlError& error) {
        if (error.sqlstate() == "42501") {
            cannot_create(user, "may not: " + error.server().message);
        }
        throw;
    }
    m_name = name;
    m_connection.emplace(db::Connection::open(conninfo.with_database(name).text));
    m_connection->make_interruptible();
}

ScratchDatabase::~ScratchDatabase()
{
    drop();
}

std::optional<std::string> ScratchDatabase::drop() noexcept
{
    m_connection.reset(); // a database with sessions cannot be dropped
    if (m_name.empty()) {
        return std::nullopt;
    }
    const std::string name = std::exchange(m_name, "");
    try {
        m_admin.rollback_if_in_transaction();
        // WITH (FORCE) (13+) also ends sessions a pooler keeps open.
        m_admin.exec("DROP DATABASE IF EXISTS " + m_admin.quote_identifier(name) + " WITH (FORCE)");
        return std::nullopt;
    } catch (const std::exception& error) {
        return fmt::format(
            "could not drop the scratch database {}: {}; drop it by hand: DROP DATABASE {}", name, error.what(), name);
    }
}

} // namespace vidb::schema
