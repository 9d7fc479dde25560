#include "config/environment.h"

#include "common/error.h"
#include "config/env_file.h"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <system_error>

namespace vidb::config {

Environment Environment::load(const std::string& path)
{
    Environment env;
    const bool implicit = path.empty();
    env.m_file_path = implicit ? ".env" : path;
    std::error_code ec;
    if (!std::filesystem::exists(env.m_file_path, ec)) {
        if (implicit) {
            return env;
        }
        throw UsageError("env file " + env.m_file_path + " does not exist");
    }
    std::ifstream in(env.m_file_path, std::ios::binary);
    if (!in || std::filesystem::is_directory(env.m_file_path, ec)) {
        throw UsageError("cannot read env file " + env.m_file_path);
    }
    const std::string text { std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>() };
    // References in the file see the real environment first, as docker compose does.
    auto parsed = parse_env_file(text, [](const std::string& name) -> std::optional<std::string> {
        const char* value = std::getenv(name.c_str());
        return value ? std::optional<std::string>(value) : std::nullopt;
    });
    if (parsed.error) {
        throw UsageError("env file " + env.m_file_path + ", " + *parsed.error);
    }
    env.m_file_values = std::move(parsed.values);
    return env;
}

std::optional<std::string> Environment::get(const std::string& key) const
{
    if (const char* value = std::getenv(key.c_str()); value != nullptr) {
        return std::string(value);
    }
    if (const auto it = m_file_values.find(key); it != m_file_values.end()) {
        return it->second;
    }
    return std::nullopt;
}

std::string Environment::get_or(const std::string& key, const std::string& fallback) const
{
    auto value = get(key);
    return value && !value->empty() ? *value : fallback;
}

std::string Environment::source_of(const std::string& key) const
{
    if (std::getenv(key.c_str()) != nullptr) {
        return "environment";
    }
    return m_file_values.contains(key) ? m_file_path : "";
}

} // namespace vidb::config
