#include "db/scratch_database.h"

#include "common/error.h"
#include "db/error.h"

#include <fmt/format.h>

#include <random>
#include <utility>

namespace vidb::db {

namespace {

[[noreturn]] void cannot_create(const std::string& user, const std::string& why, const std::string& purpose)
{
    throw Error(ExitCode::failure, fmt::format("cannot create a scratch database: {} {}", user, why),
        { purpose,
            fmt::format("grant the right (ALTER ROLE {} CREATEDB) or run it as a role that has it, e.g. the CI "
                        "role that runs the migrations",
                user) });
}

} // namespace

CreateDatabaseRight create_database_right(Connection& admin)
{
    const auto row = admin.exec("SELECT current_user, coalesce((SELECT rolcreatedb OR rolsuper FROM "
                                "pg_catalog.pg_roles WHERE rolname = current_user), false)");
    return { std::string(row.get(0, 0)), row.get_bool(0, 1) };
}

ScratchDatabase::ScratchDatabase(
    Connection& admin, const Conninfo& conninfo, const std::string& prefix, const std::string& purpose)
    : m_admin(admin)
{
    const CreateDatabaseRight right = create_database_right(admin);
    if (!right.allowed) {
        cannot_create(right.user, "lacks the CREATEDB privilege", purpose);
    }
    std::random_device device;
    const std::string name = fmt::format("{}_{:08x}", prefix, device());
    try {
        admin.exec("CREATE DATABASE " + admin.quote_identifier(name));
    } catch (const SqlError& error) {
        if (error.sqlstate() == "42501") {
            cannot_create(right.user, "may not: " + error.server().message, purpose);
        }
        throw;
    }
    m_name = name;
    try {
        m_connection.emplace(Connection::open(conninfo.with_database(name).text));
        m_connection->make_interruptible();
    } catch (...) {
        drop(); // the destructor does not run for an object whose constructor threw
        throw;
    }
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

} // namespace vidb::db
