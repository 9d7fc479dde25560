#pragma once

#include <map>
#include <string>

namespace vidb::config {
class Environment;
}
namespace vidb::db {
struct Conninfo;
}

namespace vidb::localdb {

// The server `vidb up` must provide so that DATABASE_URL works as it is.
struct LocalTarget {
    std::string host; // as the client will use it: "localhost", "127.0.0.1", "::1"
    std::string listen; // what the server listens on: "localhost" or that address
    int port = 5432;
    std::string user;
    std::string password;
    std::string dbname;
    std::string source; // "DATABASE_URL (.env)", "POSTGRES_* variables", ... for messages
    // Every libpq option of the URL (sslmode, options, ...), kept for connecting.
    std::map<std::string, std::string> options;

    // A keyword/value connection string to `database` on this server, with the password.
    std::string conninfo(const std::string& database) const;
    // postgresql://user:***@host:port/dbname: safe to print.
    std::string display_url() const;
    // Address for a published Docker port: "localhost" becomes 127.0.0.1.
    std::string docker_address() const;
};

// From a parsed DATABASE_URL: host, port, user and database are what libpq would use
// (PG* variables and its defaults included). UsageError (exit 2), saying why, when the
// host is not this machine, is a Unix socket, or there is no password to set.
LocalTarget target_from_url(const db::Conninfo& info, const std::string& source, bool require_password = true);

// Without any DATABASE_URL: the postgres image's variables POSTGRES_USER (default
// postgres), POSTGRES_PASSWORD (required), POSTGRES_DB (default: the user) and
// POSTGRES_PORT (default 5432), on 127.0.0.1.
LocalTarget target_from_postgres_vars(const config::Environment& env, bool require_password = true);

// --url, else DATABASE_URL (environment, then .env), else the POSTGRES_* variables.
LocalTarget resolve_local_target(
    const std::string& url_flag, const config::Environment& env, bool require_password = true);

// A keyword/value connection string with `options` (libpq's, as Conninfo holds them)
// but `database` as dbname.
std::string conninfo_with_database(std::map<std::string, std::string> options, const std::string& database);

// Loopback: "localhost", 127.0.0.0/8 or ::1.
bool is_loopback(const std::string& host);

} // namespace vidb::localdb
