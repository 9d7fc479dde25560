#include "config/database_url.h"

#include "config/environment.h"

#include <algorithm>
#include <array>
#include <cctype>

namespace vidb::config {

namespace {

// Parameters of application drivers and ORMs that mean nothing to libpq (connection
// pools, statement caches, ORM switches).
constexpr std::array<std::string_view, 12> k_driver_only {
    "pgbouncer",
    "connection_limit",
    "pool_timeout",
    "pool_size",
    "max_pool_size",
    "prepared_statement_cache_size",
    "statement_cache_size",
    "socket_timeout",
    "sslaccept",
    "statement_timeout_ms",
    "single_use_connections",
    "prepareThreshold",
};

std::string lower(std::string_view text)
{
    std::string out(text);
    std::transform(
        out.begin(), out.end(), out.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return out;
}

// Where libpq's URI parser finds the query: after the user info (which ends at an '@'
// seen before any '/'), then the host list, then '?' (with or without a /dbname first).
std::size_t query_start(std::string_view url)
{
    const std::size_t start = url.find("://") + 3;
    std::size_t p = url.find_first_of("@/", start);
    std::size_t host = start;
    if (p != std::string_view::npos && url[p] == '@') {
        host = p + 1;
    }
    return url.find('?', host);
}

// "ssl=VALUE" of asyncpg as libpq's sslmode, or "" when VALUE means nothing to vidb.
std::string sslmode_for(std::string_view value)
{
    const std::string v = lower(value);
    if (v == "true" || v == "on" || v == "1" || v == "yes") {
        return "require";
    }
    if (v == "false" || v == "off" || v == "0" || v == "no") {
        return "disable";
    }
    for (const std::string_view mode : { "disable", "allow", "prefer", "require", "verify-ca", "verify-full" }) {
        if (v == mode) {
            return v;
        }
    }
    return "";
}

// %XX decoding for a parameter's value (Prisma's schema name); invalid escapes stay.
std::string percent_decode(std::string_view text)
{
    std::string out;
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '%' && i + 2 < text.size() && std::isxdigit(static_cast<unsigned char>(text[i + 1]))
            && std::isxdigit(static_cast<unsigned char>(text[i + 2]))) {
            out.push_back(static_cast<char>(std::stoi(std::string(text.substr(i + 1, 2)), nullptr, 16)));
            i += 2;
        } else {
            out.push_back(text[i]);
        }
    }
    return out;
}

} // namespace

std::string normalize_scheme(std::string_view url)
{
    const std::size_t sep = url.find("://");
    if (sep == std::string_view::npos) {
        return std::string(url);
    }
    const std::string_view scheme = url.substr(0, sep);
    const std::size_t plus = scheme.find('+');
    if (plus == std::string_view::npos) {
        return std::string(url);
    }
    const std::string_view base = scheme.substr(0, plus);
    if (base != "postgresql" && base != "postgres") {
        return std::string(url);
    }
    return "postgresql" + std::string(url.substr(sep));
}

NormalizedUrl normalize_url(std::string_view url)
{
    NormalizedUrl result { normalize_scheme(url), {}, "" };
    const std::string_view text = result.url;
    const std::size_t sep = text.find("://");
    if (sep == std::string_view::npos || (text.substr(0, sep) != "postgresql" && text.substr(0, sep) != "postgres")) {
        return result;
    }
    const std::size_t question = query_start(text);
    if (question == std::string_view::npos) {
        return result;
    }
    std::string kept;
    std::string ssl_value;
    bool has_sslmode = false;
    std::vector<std::string_view> params;
    for (std::size_t pos = question + 1; pos <= text.size();) {
        const std::size_t amp = std::min(text.find('&', pos), text.size());
        params.push_back(text.substr(pos, amp - pos));
        pos = amp + 1;
    }
    for (const auto param : params) {
        const std::string key(param.substr(0, param.find('=')));
        has_sslmode = has_sslmode || key == "sslmode";
    }
    for (const auto param : params) {
        const std::size_t eq = param.find('=');
        const std::string key(param.substr(0, eq));
        const std::string_view value = eq == std::string_view::npos ? std::string_view() : param.substr(eq + 1);
        if (key == "ssl") {
            const std::string mode = sslmode_for(value);
            if (has_sslmode) {
                result.notes.push_back("left out ssl= of the URL: its sslmode= decides");
                continue;
            }
            if (mode.empty()) {
                result.notes.push_back("left out ssl= of the URL: vidb knows true/false and libpq's sslmode names");
                continue;
            }
            kept += (kept.empty() ? "" : "&") + std::string("sslmode=") + mode;
            result.notes.push_back("read the URL's ssl= as sslmode=" + mode);
            continue;
        }
        if (key == "schema") {
            result.schema = percent_decode(value);
            result.notes.push_back(
                "read the URL's schema= (Prisma) as vidb's schema: the history table lives in " + result.schema);
            continue;
        }
        if (std::find(k_driver_only.begin(), k_driver_only.end(), key) != k_driver_only.end()) {
            result.notes.push_back("left out " + key + "= of the URL: a setting of the application's driver");
            continue;
        }
        if (param.empty()) {
            continue;
        }
        kept += (kept.empty() ? "" : "&") + std::string(param);
    }
    if (result.notes.empty()) {
        return result;
    }
    result.url = std::string(text.substr(0, question)) + (kept.empty() ? "" : "?" + kept);
    return result;
}

DatabaseTarget resolve_database_target(const std::string& url_flag, const Environment& env)
{
    const auto target = [](const std::string& url, std::string source) {
        NormalizedUrl normalized = normalize_url(url);
        return DatabaseTarget { std::move(normalized.url), std::move(source), std::move(normalized.notes),
            std::move(normalized.schema) };
    };
    if (!url_flag.empty()) {
        return target(url_flag, "--url");
    }
    if (const auto value = env.get("DATABASE_URL"); value && !value->empty()) {
        return target(*value, "DATABASE_URL (" + env.source_of("DATABASE_URL") + ")");
    }
    return { "", "PG* defaults", {}, "" };
}

} // namespace vidb::config
