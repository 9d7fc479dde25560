#pragma once

#include <map>
#include <string>

namespace vidb::db {

// A connection string checked by libpq's own parser (PQconninfoParse), with the
// options it sets. Throws UsageError (password-free) when libpq rejects it.
struct Conninfo {
    std::string text;
    std::map<std::string, std::string> options;

    static Conninfo parse(const std::string& text);

    // The same connection settings with another database (host, user, password, TLS and
    // every other option kept). Built from the parsed options, not by string surgery:
    // libpq expands only the first dbname of a connection string.
    Conninfo with_database(const std::string& dbname) const;

    // The effective value of an option: the string's own, else libpq's default
    // (PG* environment variables included), else "".
    std::string effective(const std::string& keyword) const;
    // "user@host:port/dbname" for messages: never the password.
    std::string describe() const;
    // Loopback address, "localhost" or a Unix socket directory.
    bool is_local() const;
};

// The advice for a URL that libpq refuses or reads wrongly: special characters in the
// user name or password must be percent-encoded.
std::string percent_encoding_hint();
// Whether `text` is a URL (scheme://...) rather than keyword/value pairs.
bool is_url(const std::string& text);

// The options as a libpq keyword/value string, every value quoted and escaped.
std::string keyword_value_string(const std::map<std::string, std::string>& options);

} // namespace vidb::db
