#pragma once

#include <nlohmann/json.hpp>

#include <string>
#include <string_view>

namespace vidb {

// Every --json document and machine-readable report is built with nlohmann-json;
// ordered_json keeps keys in the order the manual documents them.
using Json = nlohmann::ordered_json;

// One line of JSON. Text from the server or the file system need not be valid UTF-8
// (a SQL_ASCII database, a Latin-1 file name): bad bytes become U+FFFD instead of an
// exception that would lose the whole document.
std::string json_dump(const Json& document);

// A JSON string literal (quotes included) for `text`: also a valid YAML scalar.
std::string json_string(std::string_view text);

} // namespace vidb
