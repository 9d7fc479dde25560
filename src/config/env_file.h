#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace vidb::config {

// Variables read from a dotenv file: KEY=VALUE, `export KEY=VALUE`, '#' comments,
// single quotes (literal) and double quotes (with \n, \", \\ and \$ escapes); a UTF-8
// byte order mark at the start is skipped. References expand as docker compose expands
// them, in unquoted and double-quoted values (single-quoted ones stay literal):
// $NAME, ${NAME}, ${NAME:-default} (unset or empty), ${NAME-default} (unset),
// ${NAME:+other} / ${NAME+other}, ${NAME:?message} / ${NAME?message} (an error
// when unset), and $$ for a '$'. NAME is looked up with `lookup` (the process
// environment) first, then among the file's earlier lines; unset is "".
struct EnvFileParse {
    std::map<std::string, std::string> values;
    std::optional<std::string> error; // "line N: what is wrong"
};

using EnvLookup = std::function<std::optional<std::string>(const std::string& name)>;

EnvFileParse parse_env_file(std::string_view text, const EnvLookup& lookup = {});

} // namespace vidb::config
