#include "cli/command_line.h"

#include <CLI/CLI.hpp>

#include <gtest/gtest.h>

using vidb::cli::unknown_command;

namespace {

struct Fixture {
    CLI::App app { "test" };
    std::string url, brand_new;
    bool json = false;

    Fixture()
    {
        app.add_option("--url", url);
        // A global option added after the old hand-kept list was written: its value must
        // not be taken for a command.
        app.add_option("--brand-new-option", brand_new);
        app.add_flag("--json", json);
        app.add_subcommand("status");
        app.add_subcommand("migrate");
    }
};

} // namespace

TEST(UnknownCommand, SkipsTheValuesOfOptionsThatTakeOne)
{
    Fixture f;
    EXPECT_EQ(unknown_command(f.app, { "--brand-new-option", "value", "statsu" }), "statsu");
    EXPECT_EQ(unknown_command(f.app, { "--url", "postgresql://h/db", "migrat" }), "migrat");
    EXPECT_EQ(unknown_command(f.app, { "--url=postgresql://h/db", "migrat" }), "migrat");
}

TEST(UnknownCommand, FlagsTakeNoValue)
{
    Fixture f;
    EXPECT_EQ(unknown_command(f.app, { "--json", "statsu" }), "statsu");
}

TEST(UnknownCommand, KnownCommandsAreNotTypos)
{
    Fixture f;
    EXPECT_EQ(unknown_command(f.app, { "--brand-new-option", "x", "status", "extra" }), "");
    EXPECT_EQ(unknown_command(f.app, {}), "");
}

TEST(CliCommandLine, CommandsThatLoadMigrationsFirst)
{
    using vidb::cli::needs_migrations;
    for (const char* command : { "migrate", "revert", "redo", "status", "list", "show", "selftest", "reset", "repair",
             "drift", "lint", "version", "a-command-added-later" }) {
        EXPECT_TRUE(needs_migrations(command)) << command;
    }
    for (const char* command : { "ping", "wait", "up", "down", "new", "unlock", "pack", "unpack", "schema" }) {
        EXPECT_FALSE(needs_migrations(command)) << command;
    }
}
