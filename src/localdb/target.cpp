#include "localdb/target.h"

#include "common/error.h"
#include "config/database_url.h"
#include "config/environment.h"
#include "db/conninfo.h"

#include <arpa/inet.h>
#include <charconv>

namespace vidb::localdb {

namespace {

int parse_port(const std::string& text, const std::string& where)
{
    int port = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), port);
    if (text.empty() || ec != std::errc {} || end != text.data() + text.size() || port < 1 || port > 65535) {
        throw UsageError(where + ": expected a TCP port (1-65535), got '" + text + "'");
    }
    return port;
}

// libpq's keyword/value quoting: single quotes, backslash before ' and \.
// Percent-encodes everything but RFC 3986's unreserved characters.
std::string url_encode(const std::string& text)
{
    static const char* hex = "0123456789ABCDEF";
    std::string out;
    for (const unsigned char c : text) {
        if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~') {
            out += static_cast<char>(c);
        } else {
            out += '%';
            out += hex[c >> 4];
            out += hex[c & 15];
        }
    }
    return out;
}

} // namespace

bool is_loopback(const std::string& host)
{
    if (host == "localhost" || host == "::1") {
        return true;
    }
    in_addr v4 {};
    return inet_pton(AF_INET, host.c_str(), &v4) == 1 && (ntohl(v4.s_addr) >> 24) == 127;
}

std::string conninfo_with_database(std::map<std::string, std::string> options, const std::string& database)
{
    options["dbname"] = database;
    return db::keyword_value_string(options);
}

std::string LocalTarget::conninfo(const std::string& database) const
{
    std::map<std::string, std::string> all = options;
    all["host"] = host;
    all["port"] = std::to_string(port);
    all["user"] = user;
    all["password"] = password;
    all.erase("hostaddr"); // host carries the address; hostaddr would override it
    return conninfo_with_database(std::move(all), database);
}

std::string LocalTarget::display_url() const
{
    const std::string shown_host = host.find(':') != std::string::npos ? "[" + host + "]" : host;
    return "postgresql://" + url_encode(user) + ":***@" + shown_host + ":" + std::to_string(port) + "/"
        + url_encode(dbname);
}

std::string LocalTarget::docker_address() const
{
    return listen == "localhost" ? "127.0.0.1" : listen;
}

LocalTarget target_from_url(const db::Conninfo& info, const std::string& source, bool require_password)
{
    LocalTarget target;
    target.source = source;
    target.options = info.options;
    const std::string hostaddr = info.effective("hostaddr");
    const std::string host = hostaddr.empty() ? info.effective("host") : hostaddr;
    if (host.find(',') != std::string::npos) {
        throw UsageError(
            "vidb up and down manage one local server, but " + source + " lists several hosts (" + host + ")");
    }
    if (host.empty() || host.front() == '/' || host.front() == '@') {
        throw UsageError("vidb up serves PostgreSQL over TCP, but " + source + " connects through a Unix socket"
                + (host.empty() ? "" : " (" + host + ")"),
            { "use host localhost or 127.0.0.1, e.g. postgresql://app:PASSWORD@127.0.0.1:15432/app" });
    }
    if (!is_loopback(host)) {
        throw UsageError("vidb up and down manage a PostgreSQL server on this machine, but " + source + " points at "
                + host + ", which is not a local address",
            { "for a local development database use host localhost or 127.0.0.1 in DATABASE_URL",
                "to use the server at " + host + " as it is, skip vidb up" });
    }
    target.host = host;
    target.listen = host;
    target.port = parse_port(info.effective("port"), source + " port");
    target.user = info.effective("user");
    if (target.user.empty()) {
        target.user = "postgres";
    }
    target.dbname = info.effective("dbname");
    if (target.dbname.empty()) {
        target.dbname = target.user; // libpq's own default
    }
    target.password = info.effective("password");
    if (target.password.empty() && require_password) {
        throw UsageError(
            "vidb up sets the password of user " + target.user + " from " + source + ", but it has no password",
            { "put one in the URL after the user name (" + target.user + ":PASSWORD@" + host
                + "), or set PGPASSWORD" });
    }
    return target;
}

LocalTarget resolve_local_target(const std::string& url_flag, const config::Environment& env, bool require_password)
{
    const auto resolved = config::resolve_database_target(url_flag, env);
    if (resolved.conninfo.empty()) {
        return target_from_postgres_vars(env, require_password);
    }
    return target_from_url(db::Conninfo::parse(resolved.conninfo), resolved.source, require_password);
}

LocalTarget target_from_postgres_vars(const config::Environment& env, bool require_password)
{
    LocalTarget target;
    target.source = "POSTGRES_* variables";
    target.host = "127.0.0.1";
    target.listen = target.host;
    target.user = env.get_or("POSTGRES_USER", "postgres");
    target.password = env.get_or("POSTGRES_PASSWORD", "");
    target.dbname = env.get_or("POSTGRES_DB", target.user);
    target.port = parse_port(env.get_or("POSTGRES_PORT", "5432"), "POSTGRES_PORT");
    if (target.password.empty() && require_password) {
        throw UsageError("no DATABASE_URL: set it (or POSTGRES_PASSWORD) in the environment or in .env",
            { "cp .env.template .env gives a working local setup" });
    }
    return target;
}

} // namespace vidb::localdb
