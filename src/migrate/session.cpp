#include "migrate/session.h"

#include "common/error.h"

#include <algorithm>
#include <cctype>
#include <optional>

namespace vidb::migrate {

namespace {

// A name as it would be typed: bare when that reads back the same, else quoted.
std::string sql_name(db::Connection& connection, const std::string& name)
{
    const bool bare = !name.empty() && (std::islower(static_cast<unsigned char>(name[0])) || name[0] == '_')
        && std::all_of(name.begin(), name.end(), [](char c) {
               return std::islower(static_cast<unsigned char>(c)) || std::isdigit(static_cast<unsigned char>(c))
                   || c == '_';
           });
    return bare ? name : connection.quote_identifier(name);
}

// "permission denied for schema public" -> "public"; "" when the message has another form.
std::string object_after(const std::string& message, const std::string& prefix)
{
    const auto at = message.find(prefix);
    return at == std::string::npos ? std::string() : message.substr(at + prefix.size());
}

} // namespace

std::string read_only_fix(db::Connection& connection)
{
    const std::string user = connection.user();
    const std::string database = connection.database();
    try {
        const auto row
            = connection.exec("SELECT pg_catalog.pg_is_in_recovery(), s.setting, s.source "
                              "FROM pg_catalog.pg_settings s WHERE s.name = 'default_transaction_read_only'");
        if (row.get_bool(0, 0)) {
            return "the server is a hot standby (read-only): point the database URL at the primary";
        }
        if (row.get(0, 1) != "on") {
            return "a statement made the transaction read-only (SET TRANSACTION READ ONLY): remove it";
        }
        const std::string source(row.get(0, 2));
        const std::string reconnect = " (as a superuser or the owner; it applies to new connections)";
        if (source == "database") {
            return "default_transaction_read_only is on for database " + database + ": ALTER DATABASE "
                + sql_name(connection, database) + " RESET default_transaction_read_only" + reconnect;
        }
        if (source == "user") {
            return "default_transaction_read_only is on for role " + user + ": ALTER ROLE " + sql_name(connection, user)
                + " RESET default_transaction_read_only" + reconnect;
        }
        if (source == "database user") {
            return "default_transaction_read_only is on for role " + user + " in database " + database + ": ALTER ROLE "
                + sql_name(connection, user) + " IN DATABASE " + sql_name(connection, database)
                + " RESET default_transaction_read_only" + reconnect;
        }
        if (source == "client" || source == "environment variable") {
            return "the connection turns default_transaction_read_only on (options=-c ... in the URL, or "
                   "PGOPTIONS): remove it";
        }
        return "default_transaction_read_only is on in the server configuration (" + source
            + "): ALTER SYSTEM SET default_transaction_read_only = off; SELECT pg_reload_conf();";
    } catch (const Error&) {
        return "default_transaction_read_only is on, or the server is a standby: connect to a writable primary";
    }
}

SchemaName resolve_schema(db::Connection& connection, const std::string& requested)
{
    const auto row
        = connection.exec_params("SELECT s, pg_catalog.quote_ident(s), pg_catalog.current_setting('search_path') "
                                 "FROM (SELECT coalesce($1::text, pg_catalog.current_schema()::text) AS s) x",
            { requested.empty() ? std::nullopt : std::optional<std::string>(requested) });
    if (row.is_null(0, 0)) {
        const std::string user = connection.user();
        throw Error(ExitCode::failure,
            "no schema for vidb's history table: search_path (" + std::string(row.get(0, 2))
                + ") names no existing schema in database " + connection.database(),
            { "create that schema, set a search_path that names one (ALTER ROLE " + sql_name(connection, user)
                + " SET search_path = public), or pass --schema / set VIDB_SCHEMA" });
    }
    return { std::string(row.get(0, 0)), std::string(row.get(0, 1)) };
}

std::vector<std::string> privilege_advice(
    db::Connection& connection, const db::SqlError& error, const std::string& doing, const std::string& schema)
{
    const std::string& state = error.sqlstate();
    if (state != "42501" && state != "25006") {
        return {};
    }
    connection.rollback_if_in_transaction();
    const std::string user = sql_name(connection, connection.user());
    std::vector<std::string> details;
    details.push_back("SQLSTATE " + state + " while vidb was " + doing + " (schema " + schema + ")");
    const std::string& message = error.server().message;
    if (state == "25006") {
        details.push_back("fix: " + read_only_fix(connection));
        return details;
    }
    if (const auto name = object_after(message, "permission denied for schema "); !name.empty()) {
        details.push_back("fix: GRANT CREATE ON SCHEMA " + sql_name(connection, name) + " TO " + user
            + "; (run by the schema's owner or a superuser; since PostgreSQL 15 only the owner of schema public may "
              "create in it), or pass --schema / VIDB_SCHEMA naming a schema this role owns");
    } else if (const auto db_name = object_after(message, "permission denied for database "); !db_name.empty()) {
        details.push_back("fix: GRANT CREATE ON DATABASE " + sql_name(connection, db_name) + " TO " + user
            + "; or create schema " + schema + " first (as its future owner or a superuser)");
    } else if (const auto table = object_after(message, "permission denied for table "); !table.empty()) {
        const std::string qualified
            = table.starts_with("vidb_") ? sql_name(connection, schema) + "." + table : sql_name(connection, table);
        details.push_back("fix: GRANT SELECT, INSERT, UPDATE, DELETE ON " + qualified + " TO " + user
            + "; (run by the table's owner)");
    } else {
        details.push_back("fix: grant " + connection.user()
            + " the privilege the message names (as the object's "
              "owner or a superuser)");
    }
    return details;
}

} // namespace vidb::migrate
