#include "cli/command_line.h"

#include <CLI/CLI.hpp>

#include <set>

namespace vidb::cli {

namespace {

bool takes_value(const CLI::App& app, const std::string& word)
{
    for (const CLI::Option* option : app.get_options()) {
        if (option->check_name(word)) {
            return option->get_expected_min() > 0;
        }
    }
    return false;
}

} // namespace

std::string unknown_command(const CLI::App& app, const std::vector<std::string>& args)
{
    for (std::size_t i = 0; i < args.size(); ++i) {
        const std::string& word = args[i];
        if (word.starts_with("-")) {
            if (word.find('=') == std::string::npos && takes_value(app, word)) {
                ++i; // its value
            }
            continue;
        }
        for (const CLI::App* command : app.get_subcommands({})) {
            if (command->check_name(word)) {
                return "";
            }
        }
        return word;
    }
    return "";
}

bool needs_migrations(const std::string& command)
{
    static const std::set<std::string, std::less<>> k_without
        = { "ping", "wait", "up", "down", "new", "unlock", "pack", "unpack", "schema" };
    return !k_without.contains(command);
}

} // namespace vidb::cli
