#include "db/conninfo.h"

#include "config/secrets.h"
#include "common/error.h"

#include <libpq-fe.h>

#include <memory>

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

} // namespace

Conninfo Conninfo::parse(const std::string& text)
{
    Conninfo info;
    info.text = text;
    if (text.empty()) {
        return info;
    }
    char* error = nullptr;
    OwnedOptions options(PQconninfoParse(text.c_str(), &error));
    if (!options) {
        std::string message = first_line(error);
        PQfreemem(error);
        // libpq's message may quote part of the string; the URL's password must not leak.
        throw UsageError("invalid database URL: " + config::redact(message),
                         {"expected postgresql://user:password@host:5432/dbname or \"host=... dbname=...\""});
    }
    for (PQconninfoOption* option = options.get(); option->keyword != nullptr; ++option) {
        if (option->val != nullptr) {
            info.options[option->keyword] = option->val;
        }
    }
    if (const auto password = info.options.find("password"); password != info.options.end()) {
        config::add_secret(password->second);
    }
    return info;
}

Conninfo Conninfo::with_database(const std::string& dbname) const
{
    std::map<std::string, std::string> changed = options;
    changed["dbname"] = dbname;
    // keyword='value' with \\ and \' escaped, which libpq's keyword/value parser undoes.
    std::string text_out;
    for (const auto& [keyword, value] : changed) {
        std::string quoted;
        for (const char c : value) {
            if (c == '\\' || c == '\'') {
                quoted += '\\';
            }
            quoted += c;
        }
        text_out += (text_out.empty() ? "" : " ") + keyword + "='" + quoted + "'";
    }
    return parse(text_out);
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
        const bool local = one.empty() || one.front() == '/' || one == "localhost" || one == "::1"
                           || one.starts_with("127.");
        if (!local) {
            return false;
        }
        start = comma + 1;
    }
    return true;
}

} // namespace vidb::db
