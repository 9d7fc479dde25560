// libFuzzer target for connection settings and connection errors: libpq's messages
// taken apart (parse_libpq_message), .env parsing (with ${VAR} expansion),
// connection strings (libpq's parser behind Conninfo::parse, normalize_url's scheme and
// query rewriting, with_database) and redact(). Nothing may crash; .env errors and URL
// errors are one line and never quote a value; a password written where connection
// strings carry one never survives redact(), and a password shows in no error and no
// other setting.
//
// The first byte picks a shape:
//   0  the rest is a .env file and a connection string, as is;
//   1  postgresql://user:<password>@<rest>       (the password is "Zq9" + first line)
//   2  host=h password=<password> <rest>          (same password)
//   3  postgresql+asyncpg://user:<password>@<rest>
// "Zq9" marks the password: when nothing else contains it, it may not appear in any
// error message nor in any parsed setting but the password, not even in part (a fragment
// that starts the password, as when an unencoded '/' or '@' cuts it in two).
#include "common/error.h"
#include "config/database_url.h"
#include "config/env_file.h"
#include "config/secrets.h"
#include "db/conninfo.h"
#include "db/libpq_message.h"

#include <cctype>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

namespace {

constexpr std::string_view k_marker = "Zq9";

void check(bool condition)
{
    if (!condition) {
        std::abort();
    }
}

bool valid_key(std::string_view key)
{
    if (key.empty() || std::isdigit(static_cast<unsigned char>(key.front()))) {
        return false;
    }
    for (const char c : key) {
        if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_') {
            return false;
        }
    }
    return true;
}

bool contains(std::string_view text, std::string_view part)
{
    return !part.empty() && text.find(part) != std::string_view::npos;
}

// The password still in redact(text), where `text` holds it in a password position.
// Not judged: passwords with a '*' (the mask itself may form them), a quote, '<', '>' or
// a line break (they end a URL or a value in running text) and ones under 6 bytes.
bool leaks(std::string_view text, std::string_view password)
{
    return password.size() >= 6 && password.find_first_of("*\"'<>\r\n") == std::string_view::npos
        && contains(vidb::config::redact(text), password);
}

void check_env_file(std::string_view text)
{
    const auto parsed = vidb::config::parse_env_file(text);
    if (parsed.error) {
        // "line N: what is wrong", never the line's content.
        const std::string& error = *parsed.error;
        check(error.starts_with("line ") && error.find('\n') == std::string::npos);
        const std::string_view what = std::string_view(error).substr(error.find(": ") + 2);
        check(what == "expected KEY=VALUE" || what == "invalid variable name"
            || what == "unterminated or malformed quoted value" || what == "unterminated ${ reference"
            || what == "invalid ${...} reference" || what.ends_with(" is required") || what.ends_with(" says why)"));
        return;
    }
    // Written back in double quotes, every value reads back unchanged.
    std::string written;
    for (const auto& [key, value] : parsed.values) {
        check(valid_key(key));
        written += key + "=\"";
        for (const char c : value) {
            if (c == '\\' || c == '"' || c == '$') {
                written += '\\';
                written += c;
            } else if (c == '\n') {
                written += "\\n";
            } else {
                written += c;
            }
        }
        written += "\"\n";
    }
    const auto again = vidb::config::parse_env_file(written);
    check(!again.error && again.values == parsed.values);
}

void check_conninfo(const std::string& input, std::string_view password, bool marked)
{
    const auto normalized = vidb::config::normalize_url(input);
    const std::string& text = normalized.url;
    if (input.find("://") == std::string::npos) {
        check(text == input && normalized.notes.empty());
    }
    check(!marked || !leaks(input, password));
    for (const auto& note : normalized.notes) {
        check(!marked || !contains(note, k_marker));
    }
    try {
        const auto info = vidb::db::Conninfo::parse(text);
        // What messages quote (host, port, user, dbname, describe()) never holds any of it.
        for (const auto& [keyword, value] : info.options) {
            check(!marked || keyword == "password" || !contains(value, k_marker));
        }
        if (text.empty() || text.find('\0') != std::string::npos) {
            return;
        }
        // Another database, every other setting kept (quoting survives libpq's parser).
        const std::string dbname = "d b'\\" + std::string(password.substr(0, password.find('\0')));
        const auto moved = info.with_database(dbname);
        auto expected = info.options;
        expected["dbname"] = dbname;
        check(moved.options == expected);
    } catch (const vidb::UsageError& error) {
        const std::string message = error.what();
        check(message.find('\n') == std::string::npos);
        if (marked) {
            check(!contains(message, k_marker));
        }
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    if (size == 0) {
        return 0;
    }
    const int shape = data[0] % 4;
    const std::string_view rest(reinterpret_cast<const char*>(data) + 1, size - 1);
    if (shape == 0) {
        // libpq's message taken apart: whole lines, a SQLSTATE of its shape or none.
        const auto message = vidb::db::parse_libpq_message(rest);
        check(message.headline.find('\n') == std::string::npos);
        check(message.sqlstate.empty() || message.sqlstate.size() == 5);
        for (const auto& line : message.details) {
            check(!line.empty() && line.find('\n') == std::string::npos);
        }
        check_env_file(rest);
        check_conninfo(std::string(rest), "", false);
        return 0;
    }
    const std::size_t newline = rest.find('\n');
    const std::string password = std::string(k_marker) + std::string(rest.substr(0, newline));
    const std::string tail(newline == std::string_view::npos ? std::string_view() : rest.substr(newline + 1));
    std::string input;
    switch (shape) {
    case 1:
        input = "postgresql://user:" + password + "@" + tail;
        break;
    case 2:
        input = "host=h password=" + password + " " + tail;
        break;
    default:
        input = "postgresql+asyncpg://user:" + password + "@" + tail;
        break;
    }
    check_env_file("DATABASE_URL=" + input);
    // A NUL ends the string for libpq: what follows it is not part of the connection string.
    // The password holds the marker once: a fragment that starts with it starts the password.
    const bool marked = input.find(k_marker) == input.rfind(k_marker) && input.find('\0') == std::string::npos;
    check_conninfo(input, password, marked);
    return 0;
}
