#include "localdb/process.h"

#include <gtest/gtest.h>

#include <cstdlib>

namespace vidb::localdb {
namespace {

std::string sh()
{
    return find_program("sh").value_or("/bin/sh");
}

TEST(Process, CapturesOutputAndExitCode)
{
    const Outcome outcome = run({ .argv = { sh(), "-c", "echo out; echo err >&2; exit 3" } });
    EXPECT_EQ(outcome.exit_code, 3);
    EXPECT_FALSE(outcome.ok());
    EXPECT_NE(outcome.output.find("out\n"), std::string::npos);
    EXPECT_NE(outcome.output.find("err\n"), std::string::npos);
}

TEST(Process, ArgumentsAreNotReparsed)
{
    const Outcome outcome = run({ .argv = { sh(), "-c", "printf '%s|' \"$@\"", "sh", "a b", "$(nope)", "'" } });
    EXPECT_TRUE(outcome.ok());
    EXPECT_EQ(outcome.output, "a b|$(nope)|'|");
}

TEST(Process, FeedsStdin)
{
    Command command { .argv = { sh(), "-c", "read line; echo \"got $line\"" } };
    command.input = "secret\n";
    EXPECT_EQ(run(command).output, "got secret\n");
}

TEST(Process, ChildEnvironmentDropsSecrets)
{
    setenv("PGPASSWORD", "leak", 1);
    setenv("DATABASE_URL", "postgresql://u:leak@h/d", 1);
    Command command { .argv = { sh(), "-c", "echo \"[$PGPASSWORD$DATABASE_URL$EXTRA]\"" } };
    command.env = child_environment({ "EXTRA=yes" });
    EXPECT_EQ(run(command).output, "[yes]\n");
    unsetenv("PGPASSWORD");
    unsetenv("DATABASE_URL");
}

TEST(Process, TimesOut)
{
    const Outcome outcome = run({ .argv = { sh(), "-c", "sleep 30" }, .timeout = std::chrono::milliseconds(200) });
    EXPECT_TRUE(outcome.timed_out);
    EXPECT_FALSE(outcome.ok());
}

TEST(Process, DoesNotWaitForALeftoverDaemon)
{
    // A grandchild left running with our pipe as its stdout must not keep run() waiting.
    const auto start = std::chrono::steady_clock::now();
    const Outcome outcome = run({ .argv = { sh(), "-c", "sleep 5 & echo started" } });
    EXPECT_TRUE(outcome.ok());
    EXPECT_EQ(outcome.output, "started\n");
    EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(3));
}

TEST(Process, MissingProgram)
{
    const Outcome outcome = run({ .argv = { "/nonexistent/program" } });
    EXPECT_EQ(outcome.exit_code, 127);
    EXPECT_NE(outcome.output.find("cannot run /nonexistent/program"), std::string::npos);
}

TEST(Process, LastLines)
{
    EXPECT_EQ(last_lines("a\nb\n\nc\n", 2), (std::vector<std::string> { "b", "c" }));
}

} // namespace
} // namespace vidb::localdb
