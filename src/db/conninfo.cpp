#include "db/conninfo.h"

#include "common/error.h"
#include "config/secrets.h"

#include <libpq-fe.h>

#include <algorithm>
#include <cctype>
#include <memory>
#include <string_view>

namespace vidb::db {

namespace {

struct OptionsDeleter {
    void operator()(PQconninfoOption* options) const noexcept { PQconninfoFree(options); }
};
using OwnedOptions = std::unique_ptr<PQconninfoOption, OptionsDeleter>;

std::string first_line(const char* text)
{
    std::string line = text ? text : "";
    if (const auto newline = line.find('\n'); newline != std::string::npos) {
        line.resize(newline);
    }
    return line;
}

// libpq quotes what it choked on, which may be (part of) a password, quotes and all. Only
// an option name at the end is worth echoing (`invalid connection option "hots"`);
// otherwise the message stops before its first quote.
std::string without_quoted_values(const std::string& message)
{
    const std::size_t open = message.find('"');
    if (open == std::string::npos) {
        return message;
    }
    const std::string_view quoted = std::string_view(message).substr(open);
    const std::string_view name = quoted.size() >= 3 && quoted.back() == '"' ? quoted.substr(1, quoted.size() - 2) : "";
    if (!name.empty() && std::all_of(name.begin(), name.end(), [](char c) {
            return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
        })) {
        return message;
    }
    std::string cut = message.substr(0, open);
    while (!cut.empty() && (cut.back() == ' ' || cut.back() == ':')) {
        cut.pop_back();
    }
    return cut;
}

// "mysql" for "mysql://...": a URL scheme, or "" when the text does not start with one.
std::string_view url_scheme(std::string_view text)
{
    const std::size_t end = text.find("://");
    if (end == std::string_view::npos || end == 0) {
        return "";
    }
    const std::string_view scheme = text.substr(0, end);
    for (const char c : scheme) {
        if (!std::isalnum(static_cast<unsigned char>(c)) && c != '+' && c != '-' && c != '.') {
            return "";
        }
    }
    return scheme;
}

bool is_port_list(const std::string& port)
{
    return port.find_first_not_of("0123456789,") == std::string::npos;
}

} // namespace

std::string percent_encoding_hint()
{
    return "percent-encode special characters in the user name and password: '@' as %40, '/' as %2F, "
           "':' as %3A, '#' as %23, '?' as %3F, '%' as %25, a space as %20";
}

bool is_url(const std::string& text)
{
    return !url_scheme(text).empty();
}

Conninfo Conninfo::parse(const std::string& text)
{
    Conninfo info;
    info.text = text;
    if (text.empty()) {
        return info;
    }
    const std::string_view scheme = url_scheme(text);
    if (!scheme.empty() && scheme != "postgresql" && scheme != "postgres") {
        throw UsageError("invalid database URL: unsupported scheme '" + std::string(scheme)
            + "://'; vidb connects to PostgreSQL (postgresql:// or postgres://)");
    }
    char* error = nullptr;
    OwnedOptions options(PQconninfoParse(text.c_str(), &error));
    if (!options) {
        std::string message = first_line(error);
        PQfreemem(error);
        // The word libpq quotes may be a mistyped URL, password and all ("postgres//u:pw@h").
        if (message.starts_with("missing \"=\" after ")) {
            message = "it is neither a postgresql:// URL nor keyword=value pairs (a word has no \"=\")";
        }
        std::vector<std::string> details { "expected postgresql://host:5432/dbname (user:password@ before the "
                                           "host) or \"host=... dbname=...\"" };
        if (!scheme.empty()) {
            details.push_back(percent_encoding_hint());
        }
        throw UsageError("invalid database URL: " + config::redact(without_quoted_values(message)), details);
    }
    for (PQconninfoOption* option = options.get(); option->keyword != nullptr; ++option) {
        if (option->val != nullptr) {
            info.options[option->keyword] = option->val;
        }
    }
    // A '/' or '@' left unencoded in a URL's password moves part of it into the port, host
    // or database name, which later messages would quote: refuse without echoing any.
    if (!scheme.empty()) {
        const auto has_at = [&](const char* keyword) {
            const auto it = info.options.find(keyword);
            return it != info.options.end() && it->second.find('@') != std::string::npos;
        };
        const auto port = info.options.find("port");
        if ((port != info.options.end() && !is_port_list(port->second)) || has_at("host") || has_at("dbname")) {
            throw UsageError("invalid database URL: it has more than one '@' or a port that is not a number",
                { percent_encoding_hint() });
        }
    }
    return info;
}

std::string keyword_value_string(const std::map<std::string, std::string>& options)
{
    // keyword='value' with \\ and \' escaped, which libpq's keyword/value parser undoes.
    std::string text_out;
    for (const auto& [keyword, value] : options) {
        std::string quoted;
        for (const char c : value) {
            if (c == '\\' || c == '\'') {
                quoted += '\\';
            }
            quoted += c;
        }
        text_out += (text_out.empty() ? "" : " ") + keyword + "='" + quoted + "'";
    }
    return text_out;
}

Conninfo Conninfo::with_database(const std::string& dbname) const
{
    std::map<std::string, std::string> changed = options;
    changed["dbname"] = dbname;
    return parse(keyword_value_string(changed));
}

std::string Conninfo::effective(const std::string& keyword) const
{
    if (const auto it = options.find(keyword); it != options.end() && !it->second.empty()) {
        return it->second;
    }
    OwnedOptions defaults(PQconndefaults());
    for (PQconninfoOption* option = defaults.get(); option && option->keyword != nullptr; ++option) {
        if (keyword == option->keyword && option->val != nullptr) {
            return option->val;
        }
    }
    return "";
}

std::string Conninfo::describe() const
{
    std::string host = effective("host");
    if (host.empty()) {
        host = effective("hostaddr");
    }
    if (host.empty()) {
        host = "local socket";
    }
    const std::string port = effective("port");
    return effective("user") + "@" + host + (port.empty() ? "" : ":" + port) + "/" + effective("dbname");
}

bool Conninfo::is_local() const
{
    std::string host = effective("hostaddr");
    if (host.empty()) {
        host = effective("host");
    }
    if (host.empty() || host.front() == '/' || host.front() == '@') {
        return true; // Unix socket
    }
    // Several hosts: local only if each is.
    std::size_t start = 0;
    while (start <= host.size()) {
        const std::size_t comma = std::min(host.find(',', start), host.size());
        const std::string one = host.substr(start, comma - start);
        const bool local
            = one.empty() || one.front() == '/' || one == "localhost" || one == "::1" || one.starts_with("127.");
        if (!local) {
            return false;
        }
        start = comma + 1;
    }
    return true;
}

} // namespace vidb::db
