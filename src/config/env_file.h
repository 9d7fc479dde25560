#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace vidb::config {

// Variables read from a dotenv file: KEY=VALUE, `export KEY=VALUE`, '#' comments,
// single quotes (literal) and double quotes (with \n, \" and \\ escapes).
struct EnvFileParse {
    std::map<std::string, std::string> values;
    std::optional<std::string> error; // "line N: what is wrong"
};

EnvFileParse parse_env_file(std::string_view text);

} // namespace vidb::config
