#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace vidb::config {

class Environment;

// The connection string to use and where it came from.
struct DatabaseTarget {
    std::string conninfo; // URI or keyword/value; empty means libpq's PG* defaults
    std::string source; // "--url", "DATABASE_URL (environment)", "DATABASE_URL (.env)", "PG* defaults"
    std::vector<std::string> notes; // what vidb changed in or left out of an application's URL
    std::string schema; // Prisma's ?schema=NAME, "" when the URL has none
};

// --url wins, then DATABASE_URL from the environment, then from the env file; an
// application's URL is made libpq's (normalize_url).
DatabaseTarget resolve_database_target(const std::string& url_flag, const Environment& env);

// SQLAlchemy-style schemes (postgresql+asyncpg://, postgres+psycopg2://) become plain
// postgresql:// so libpq accepts them; anything else is returned unchanged.
std::string normalize_scheme(std::string_view url);

// An application's database URL as libpq takes it. Drivers add query parameters libpq
// does not know (and refuses): asyncpg's ssl= becomes sslmode= (true/on/1: require,
// false/off/0: disable, libpq's mode names as they are); Prisma's schema= is taken out
// into `schema`; pool and driver settings (pgbouncer, connection_limit, pool_timeout,
// prepared_statement_cache_size, statement_cache_size, socket_timeout, sslaccept, ...)
// are left out. Each change gets a note. Keyword/value strings are returned unchanged.
struct NormalizedUrl {
    std::string url;
    std::vector<std::string> notes;
    std::string schema;
};
NormalizedUrl normalize_url(std::string_view url);

} // namespace vidb::config
