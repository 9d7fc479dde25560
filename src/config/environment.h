#pragma once

#include <map>
#include <optional>
#include <string>

namespace vidb::config {

// Configuration variables: the process environment first, then the .env file
// (the usual dotenv rule: a real environment variable wins).
class Environment {
public:
    // Loads `path`, or ./.env when path is empty. A missing implicit ./.env is fine;
    // a missing explicit file or a malformed one throws UsageError.
    static Environment load(const std::string& path);

    std::optional<std::string> get(const std::string& key) const;
    std::string get_or(const std::string& key, const std::string& fallback) const;
    // Where `key` came from: "environment", the .env path, or "" when unset.
    std::string source_of(const std::string& key) const;

private:
    std::map<std::string, std::string> m_file_values;
    std::string m_file_path;
};

} // namespace vidb::config
