// vidb lint over sets of files: what vidb sends is linted, source-check problems are
// findings, --since skips older versions.
#include "lint/lint_set.h"

#include <gtest/gtest.h>

namespace vidb::lint {
namespace {

TEST(LintSet, SourceCheckProblemsAreErrorFindingsInLineOrder)
{
    const std::vector<LintInput> inputs
        = { make_input("0001_a.up.sql", 1, "CREATE TABLE a (id bigint PRIMARY KEY);\nCOMMIT;\nDROP TABLE users;\n") };
    const LintRun run = lint_inputs(inputs, std::nullopt);
    ASSERT_EQ(run.findings.size(), 2u);
    EXPECT_EQ(run.findings[0].rule, "source-check");
    EXPECT_EQ(run.findings[0].line, 2u);
    EXPECT_EQ(run.findings[1].rule, "drop-table");
}

TEST(LintSet, PgDumpRestrictLinesAreBlankedNotUnparsed)
{
    const LintInput input = make_input(
        "0001_dump.up.sql", 1, "\\restrict abc\nCREATE TABLE t (id bigint PRIMARY KEY);\n\\unrestrict abc\n");
    EXPECT_TRUE(input.problems.empty());
    EXPECT_TRUE(lint_inputs(std::vector { input }, std::nullopt).findings.empty());
}

TEST(LintSet, OneFileLayoutsKeepTheirLinesAndTransactionMarkers)
{
    // A dbmate file: the down section starts at line 4 and says transaction:false.
    const std::vector<migrate::RawSourceFile> raw { { "20240101000000_idx.sql",
        "-- migrate:up\nDROP TABLE users;\n\n-- migrate:down transaction:false\nCREATE INDEX CONCURRENTLY i ON t "
        "(a);\n" } };
    const auto files = migrate::parse_source_files(raw, "");
    ASSERT_EQ(files.size(), 2u);
    const LintInput down = make_input(files[1], "20240101000000_idx.sql");
    EXPECT_TRUE(down.no_transaction);
    EXPECT_TRUE(lint_inputs(std::vector { down }, std::nullopt).findings.empty()); // no concurrently-in-transaction
    const LintRun up = lint_inputs(std::vector { make_input(files[0], "20240101000000_idx.sql") }, std::nullopt);
    ASSERT_EQ(up.findings.size(), 1u);
    EXPECT_EQ(up.findings[0].rule, "drop-table");
    EXPECT_EQ(up.findings[0].line, 2u);
    // Flyway: a CREATE INDEX CONCURRENTLY file runs outside a transaction without a directive.
    const auto flyway = migrate::parse_source_files(
        std::vector<migrate::RawSourceFile> { { "V2__idx.sql", "\nCREATE INDEX CONCURRENTLY i ON t (a);\n" } }, "");
    EXPECT_TRUE(lint_inputs(std::vector { make_input(flyway[0], "V2__idx.sql") }, std::nullopt).findings.empty());
}

TEST(LintSet, NoTransactionDirectiveIsRead)
{
    const LintInput input
        = make_input("0002_i.up.sql", 2, "-- vidb:no-transaction\nCREATE INDEX CONCURRENTLY i ON users (email);\n");
    EXPECT_TRUE(input.no_transaction);
    EXPECT_TRUE(lint_inputs(std::vector { input }, std::nullopt).findings.empty());
}

TEST(LintSet, SinceSkipsOlderVersionsButNeverLooseFiles)
{
    const std::vector<LintInput> inputs = { make_input("0001_a.up.sql", 1, "DROP TABLE a;\n"),
        make_input("0002_b.up.sql", 2, "DROP TABLE b;\n"), make_input("loose.sql", 0, "DROP TABLE c;\n") };
    const LintRun run = lint_inputs(inputs, 1);
    EXPECT_EQ(run.files, (std::vector<std::string> { "0002_b.up.sql", "loose.sql" }));
    EXPECT_EQ(run.findings.size(), 2u);
    EXPECT_EQ(lint_inputs(inputs, std::nullopt).files.size(), 3u);
}

} // namespace
} // namespace vidb::lint
