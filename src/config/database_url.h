#pragma once

#include <string>
#include <string_view>

namespace vidb::config {

class Environment;

// The connection string to use and where it came from.
struct DatabaseTarget {
    std::string conninfo; // URI or keyword/value; empty means libpq's PG* defaults
    std::string source; // "--url", "DATABASE_URL (environment)", "DATABASE_URL (.env)", "PG* defaults"
};

// --url wins, then DATABASE_URL from the environment, then from the env file.
DatabaseTarget resolve_database_target(const std::string& url_flag, const Environment& env);

// SQLAlchemy-style schemes (postgresql+asyncpg://, postgres+psycopg2://) become plain
// postgresql:// so libpq accepts them; anything else is returned unchanged.
std::string normalize_scheme(std::string_view url);

} // namespace vidb::config
