// Issue 14, items 1, 3 and 4: the parser, context and waivers.
#include "lint/linter.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace vidb::lint {
namespace {

std::vector<Finding> lint(std::string_view sql, bool no_transaction = false)
{
    return lint_migration("0002_x.up.sql", sql, no_transaction);
}

// --- 1: a real parser; what it does not read is said, never skipped silently.

TEST(LintParser, UnparseableStatementIsAnInfoFindingNamingItsLine)
{
    const auto findings
        = lint("CREATE TABLE a (id bigint PRIMARY KEY);\n\nALTER TABLE a FROBNICATE;\nDROP TABLE users;\n");
    ASSERT_EQ(findings.size(), 2u);
    EXPECT_EQ(findings[0].rule, "unparsed");
    EXPECT_EQ(findings[0].severity, Severity::info);
    EXPECT_EQ(findings[0].line, 3u);
    EXPECT_EQ(findings[0].column, 1u);
    EXPECT_NE(findings[0].message.find("ALTER TABLE a FROBNICATE"), std::string::npos) << findings[0].message;
    // The statements around it are still checked.
    EXPECT_EQ(findings[1].rule, "drop-table");
    EXPECT_EQ(findings[1].line, 4u);
}

TEST(LintParser, UnterminatedQuoteIsOneInfoFinding)
{
    const auto findings = lint("DROP TABLE users;\nSELECT 'oops;\n");
    ASSERT_EQ(findings.size(), 1u);
    EXPECT_EQ(findings[0].rule, "unparsed");
}

TEST(LintParser, FunctionBodiesAndStringsAreNotStatements)
{
    const auto findings = lint("CREATE FUNCTION f() RETURNS void LANGUAGE sql AS $$ DROP TABLE users; $$;\n"
                               "SELECT 'TRUNCATE users';\n");
    EXPECT_TRUE(findings.empty()) << findings.front().rule;
}

TEST(LintParser, SafeOnOddBytes)
{
    EXPECT_TRUE(lint("").empty());
    EXPECT_TRUE(lint(std::string_view("\0\0DROP TABLE users;", 19)).empty());
    EXPECT_EQ(lint("\xff\xfe;").size(), 1u);
    // Broken UTF-8 inside a literal (found by fuzz_lint): still linted, offsets kept.
    const auto findings = lint("SELECT '\xf5nterminated';\nDROP TABLE users;\n");
    ASSERT_EQ(findings.size(), 1u);
    EXPECT_EQ(findings[0].rule, "drop-table");
    EXPECT_EQ(findings[0].line, 2u);
}

// --- 3: context, not guesses.

TEST(LintContext, TableCreatedInTheSameMigrationIsNewAndEmpty)
{
    const auto findings = lint("CREATE TABLE orders (id bigint PRIMARY KEY, total int);\n"
                               "CREATE INDEX ON orders (total);\n"
                               "ALTER TABLE orders ADD COLUMN at timestamptz NOT NULL;\n"
                               "ALTER TABLE orders ALTER COLUMN total TYPE bigint;\n"
                               "ALTER TABLE orders ADD CONSTRAINT c CHECK (total > 0);\n");
    EXPECT_TRUE(findings.empty()) << findings.front().rule;
    // The same statements on a table the migration did not create are all flagged.
    EXPECT_EQ(lint("CREATE INDEX ON orders (total);\n"
                   "ALTER TABLE orders ADD COLUMN at timestamptz NOT NULL;\n"
                   "ALTER TABLE orders ALTER COLUMN total TYPE bigint;\n"
                   "ALTER TABLE orders ADD CONSTRAINT c CHECK (total > 0);\n")
                  .size(),
        4u);
}

TEST(LintContext, ConcurrentlyDependsOnTheFilesTransactionMode)
{
    const std::string sql = "CREATE INDEX CONCURRENTLY i ON users (email);\n";
    const auto transactional = lint(sql, false);
    ASSERT_EQ(transactional.size(), 1u);
    EXPECT_EQ(transactional[0].rule, "concurrently-in-transaction");
    EXPECT_TRUE(lint(sql, true).empty());
}

TEST(LintContext, FindingsPointAtFileLineAndColumn)
{
    const auto findings = lint("-- add an index\nSELECT 1;\n   CREATE INDEX i ON users (email);\n"
                               "ALTER TABLE users\n  ALTER COLUMN id TYPE bigint;\n");
    ASSERT_EQ(findings.size(), 2u);
    EXPECT_EQ(findings[0].file, "0002_x.up.sql");
    EXPECT_EQ(findings[0].line, 3u);
    EXPECT_EQ(findings[0].column, 22u); // the table
    EXPECT_EQ(findings[1].rule, "alter-column-type");
    EXPECT_EQ(findings[1].line, 5u);
    // Columns count characters, not bytes.
    const auto wide = lint("SELECT 'é'; DROP TABLE users;\n");
    ASSERT_EQ(wide.size(), 1u);
    EXPECT_EQ(wide[0].column, 13u);
}

TEST(LintContext, APrimaryKeyAddedLaterInTheFileCounts)
{
    // pg_dump's order: tables first, keys after the data.
    EXPECT_TRUE(lint("CREATE TABLE public.invoices (id bigint NOT NULL);\n"
                     "ALTER TABLE ONLY public.invoices ADD CONSTRAINT invoices_pkey PRIMARY KEY (id);\n")
                    .empty());
    const auto findings = lint("CREATE TABLE invoices (id bigint NOT NULL);\n");
    ASSERT_EQ(findings.size(), 1u);
    EXPECT_EQ(findings[0].rule, "table-without-primary-key");
    EXPECT_EQ(findings[0].column, 14u);
}

TEST(LintContext, SetNotNullAfterAValidatedCheckIsTheSafeRecipe)
{
    const std::string recipe = "ALTER TABLE users ADD CONSTRAINT email_nn CHECK (email IS NOT NULL) NOT VALID;\n"
                               "ALTER TABLE users VALIDATE CONSTRAINT email_nn;\n"
                               "ALTER TABLE users ALTER COLUMN email SET NOT NULL;\n";
    EXPECT_TRUE(lint(recipe).empty()) << lint(recipe).front().rule;
    // Not validated, another column, or another table: still a full scan.
    const auto unvalidated = lint("ALTER TABLE users ADD CONSTRAINT email_nn CHECK (email IS NOT NULL) NOT VALID;\n"
                                  "ALTER TABLE users ALTER COLUMN email SET NOT NULL;\n");
    ASSERT_EQ(unvalidated.size(), 1u);
    EXPECT_EQ(unvalidated[0].rule, "set-not-null");
    EXPECT_EQ(lint("ALTER TABLE users ADD CONSTRAINT email_nn CHECK (email IS NOT NULL) NOT VALID;\n"
                   "ALTER TABLE users VALIDATE CONSTRAINT email_nn;\n"
                   "ALTER TABLE users ALTER COLUMN name SET NOT NULL;\n"
                   "ALTER TABLE orders ALTER COLUMN email SET NOT NULL;\n")
                  .size(),
        2u);
}

// --- 4: waivers.

TEST(LintWaivers, AWaiverAboveOrOnTheStatementSilencesThatRuleThere)
{
    EXPECT_TRUE(lint("-- vidb:allow drop-table replaced by accounts in 0007\nDROP TABLE users;\n").empty());
    EXPECT_TRUE(lint("DROP TABLE users; -- vidb:allow drop-table replaced by accounts in 0007\n").empty());
    // Only that statement, only that rule.
    const auto findings = lint("-- vidb:allow drop-table replaced in 0007\nDROP TABLE users;\nDROP TABLE orders;\n"
                               "-- vidb:allow drop-table wrong rule\nTRUNCATE users;\n");
    ASSERT_EQ(findings.size(), 2u);
    EXPECT_EQ(findings[0].rule, "drop-table");
    EXPECT_EQ(findings[0].line, 3u);
    EXPECT_EQ(findings[1].rule, "truncate");
}

TEST(LintWaivers, AWaiverOnTheLineAfterAStatementIsForTheNextOne)
{
    const auto findings
        = lint("DROP TABLE users;\n-- vidb:allow truncate archive table, emptied nightly\nTRUNCATE a;\n");
    ASSERT_EQ(findings.size(), 1u);
    EXPECT_EQ(findings[0].rule, "drop-table");
}

TEST(LintWaivers, WithoutReasonOrForAnUnknownRuleIsAFinding)
{
    auto findings = lint("-- vidb:allow drop-table\nDROP TABLE users;\n");
    ASSERT_EQ(findings.size(), 2u);
    EXPECT_EQ(findings[0].rule, "invalid-waiver");
    EXPECT_EQ(findings[0].line, 1u);
    EXPECT_NE(findings[0].message.find("gives no reason"), std::string::npos);
    EXPECT_EQ(findings[1].rule, "drop-table"); // not honoured

    findings = lint("-- vidb:allow drop-tables it is fine\nDROP TABLE users;\n");
    ASSERT_EQ(findings.size(), 2u);
    EXPECT_NE(findings[0].message.find("unknown rule drop-tables"), std::string::npos);
}

TEST(LintWaivers, TextInsideStringsIsNoWaiver)
{
    const auto findings = lint("SELECT '-- vidb:allow drop-table x';\nDROP TABLE users;\n");
    ASSERT_EQ(findings.size(), 1u);
    EXPECT_EQ(findings[0].rule, "drop-table");
}

TEST(LintOptions, MinimumSeverityFilters)
{
    const std::string sql = "CREATE TABLE t (v varchar(3));\n";
    EXPECT_EQ(lint_migration("f", sql, false).size(), 2u);
    EXPECT_TRUE(lint_migration("f", sql, false, { .minimum = Severity::error }).empty());
}

} // namespace
} // namespace vidb::lint
