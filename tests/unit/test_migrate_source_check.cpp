#include "migrate/source_check.h"

#include <gtest/gtest.h>

#include <string>
#include <string_view>

namespace vidb::migrate {
namespace {

// The first problem's line, or 0 when the file may run.
std::size_t problem_line(std::string_view sql)
{
    const SourcePlan plan = check_migration_source(sql);
    return plan.problems.empty() ? 0 : plan.problems.front().line;
}

std::string first_problem(std::string_view sql)
{
    const SourcePlan plan = check_migration_source(sql);
    return plan.problems.empty() ? std::string() : plan.problems.front().message;
}

std::string run_sql(std::string_view sql)
{
    const SourcePlan plan = check_migration_source(sql);
    EXPECT_TRUE(plan.problems.empty()) << plan.problems.front().message;
    return plan.run_sql ? *plan.run_sql : std::string(sql);
}

// --- Transaction control at the top level of a transactional file.

TEST(SourceCheckTransactionControl, TwoTransactionsAreRefusedAtTheFirstCommit)
{
    const std::string sql = "BEGIN;\nCREATE TABLE a (id int);\nCOMMIT;\nBEGIN;\n"
                            "ALTER TABLE a ADD b int REFERENCES missing (id);\nCOMMIT;\n";
    const SourcePlan plan = check_migration_source(sql);
    ASSERT_EQ(plan.problems.size(), 3u); // the leading BEGIN is not the problem
    EXPECT_EQ(plan.problems[0].line, 3u);
    EXPECT_NE(plan.problems[0].message.find("COMMIT at the top level"), std::string::npos);
    EXPECT_NE(plan.problems[0].message.find("-- vidb:no-transaction"), std::string::npos);
    EXPECT_EQ(plan.problems[1].line, 4u);
    EXPECT_EQ(plan.problems[2].line, 6u);
    EXPECT_FALSE(plan.run_sql);
}

TEST(SourceCheckTransactionControl, EveryKindIsFound)
{
    for (const std::string_view statement :
        { "COMMIT", "commit work", "END", "End Transaction", "ROLLBACK", "rollback work", "ABORT", "COMMIT AND CHAIN",
            "ROLLBACK AND NO CHAIN", "COMMIT PREPARED 'x'", "ROLLBACK PREPARED 'x'", "PREPARE TRANSACTION 'x'",
            "START TRANSACTION", "START TRANSACTION ISOLATION LEVEL SERIALIZABLE", "BEGIN",
            "BEGIN ISOLATION LEVEL SERIALIZABLE", "begin read only", "SET TRANSACTION READ ONLY",
            "SET TRANSACTION ISOLATION LEVEL SERIALIZABLE", "SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY" }) {
        const std::string sql = "CREATE TABLE a (id int);\n" + std::string(statement) + ";\nSELECT 1;\n";
        EXPECT_EQ(problem_line(sql), 2u) << statement;
    }
}

TEST(SourceCheckTransactionControl, SavepointsStayInsideTheTransaction)
{
    EXPECT_EQ(problem_line("SAVEPOINT s;\nINSERT INTO t VALUES (1);\nROLLBACK TO SAVEPOINT s;\n"
                           "ROLLBACK TO s;\nROLLBACK WORK TO SAVEPOINT s;\nrollback transaction to s;\n"
                           "RELEASE SAVEPOINT s;\nRELEASE s;\n"),
        0u);
}

TEST(SourceCheckTransactionControl, BodiesAndOtherWordsAreNotTransactionControl)
{
    // plpgsql bodies are dollar quotes; DO blocks too.
    EXPECT_EQ(problem_line("CREATE FUNCTION f() RETURNS void LANGUAGE plpgsql AS $$\nBEGIN\n  COMMIT;\nEND\n$$;\n"
                           "DO $do$ BEGIN ROLLBACK; END $do$;\n"
                           "CREATE PROCEDURE p() LANGUAGE plpgsql AS 'BEGIN COMMIT; END';\n"),
        0u);
    // BEGIN ATOMIC bodies with CASE ... END inside.
    EXPECT_EQ(problem_line("CREATE FUNCTION f(x int) RETURNS int LANGUAGE sql\nBEGIN ATOMIC\n"
                           "  SELECT CASE WHEN x > 0 THEN 1 ELSE 2 END;\n  SELECT 3;\nEND;\nSELECT 4;\n"),
        0u);
    EXPECT_EQ(problem_line("CREATE OR REPLACE PROCEDURE p() BEGIN ATOMIC\n  INSERT INTO t VALUES (1);\nEND;\n"), 0u);
    // CASE ... END and words in other positions.
    EXPECT_EQ(problem_line("SELECT CASE WHEN true THEN 1 END;\nSELECT 1 AS begin, 2 AS commit;\n"
                           "CREATE TABLE \"commit\" (\"begin\" int);\nINSERT INTO \"commit\" VALUES (1);\n"
                           "SELECT 'COMMIT;';\n-- COMMIT;\n/* ROLLBACK; */\nSELECT $$;COMMIT;$$;\n"
                           "COMMENT ON TABLE \"commit\" IS 'END';\n"),
        0u);
}

TEST(SourceCheckTransactionControl, QuotedIdentifiersAndCommentsDoNotHideIt)
{
    EXPECT_EQ(problem_line("SELECT \"a;\";\n/* ; */ COMMIT;\n"), 2u);
    EXPECT_EQ(problem_line("SELECT 1; -- ;\n  commit -- done\n;\n"), 2u);
    EXPECT_EQ(problem_line("SELECT E'\\';'; COMMIT;\n"), 1u);
}

TEST(SourceCheckTransactionControl, ARoutineNamedBeginDoesNotHideTheRest)
{
    // psql's rule would glue everything after "begin" into one statement; the server does not.
    const std::string sql = "CREATE FUNCTION begin() RETURNS int LANGUAGE sql AS 'SELECT 1';\nCOMMIT;\n"
                            "CREATE FUNCTION f(x int) RETURNS begin AS 'x' LANGUAGE sql;\nROLLBACK;\n";
    const SourcePlan plan = check_migration_source(sql);
    ASSERT_EQ(plan.problems.size(), 2u);
    EXPECT_EQ(plan.problems[0].line, 2u);
    EXPECT_EQ(plan.problems[1].line, 4u);
}

TEST(SourceCheckTransactionControl, NoTransactionFilesManageTheirOwn)
{
    EXPECT_EQ(problem_line("-- vidb:no-transaction\nBEGIN;\nSELECT 1;\nCOMMIT;\nVACUUM t;\n"), 0u);
}

// --- The golang-migrate outer pair.

TEST(SourceCheckOuterPair, IsBlankedKeepingLengthAndLines)
{
    const std::string sql = "-- golang-migrate style\nBEGIN;\nCREATE TABLE a (id int);\nCOMMIT;\n";
    const std::string run = run_sql(sql);
    EXPECT_EQ(run, "-- golang-migrate style\n      \nCREATE TABLE a (id int);\n       \n");
    EXPECT_EQ(run.size(), sql.size());
}

TEST(SourceCheckOuterPair, AcceptsTheSpellingsAndKeepsComments)
{
    EXPECT_EQ(run_sql("begin transaction; /* é */ SELECT 1; end work -- fin\n;"),
        std::string(19, ' ') + "/* é */ SELECT 1;" + std::string(10, ' ') + "-- fin\n ");
    EXPECT_EQ(run_sql("START TRANSACTION;\nSELECT 1;\nCOMMIT"), "                  \nSELECT 1;\n      ");
    EXPECT_EQ(run_sql("BEGIN;\nCOMMIT;\n"), "      \n       \n");
}

TEST(SourceCheckOuterPair, AnythingElseIsRefused)
{
    EXPECT_EQ(problem_line("BEGIN;\nSELECT 1;\n"), 1u); // no COMMIT at the end
    EXPECT_NE(first_problem("BEGIN;\nSELECT 1;\n").find("last statement is no COMMIT"), std::string::npos);
    EXPECT_EQ(problem_line("SELECT 1;\nCOMMIT;\n"), 2u); // no BEGIN first
    EXPECT_EQ(problem_line("SELECT 0;\nBEGIN;\nSELECT 1;\nCOMMIT;\n"), 2u); // BEGIN not first
    EXPECT_EQ(problem_line("BEGIN;\nSELECT 1;\nCOMMIT;\nSELECT 2;\n"), 3u); // COMMIT not last
    EXPECT_EQ(problem_line("BEGIN;\nSELECT 1;\nROLLBACK;\n"), 3u);
    EXPECT_EQ(problem_line("BEGIN ISOLATION LEVEL SERIALIZABLE;\nSELECT 1;\nCOMMIT;\n"), 1u);
    EXPECT_EQ(problem_line("BEGIN;\nSELECT 1;\nCOMMIT AND CHAIN;\n"), 3u);
    EXPECT_EQ(problem_line("BEGIN;\nSET TRANSACTION ISOLATION LEVEL SERIALIZABLE;\nSELECT 1;\nCOMMIT;\n"), 2u);
}

// --- COPY.

TEST(SourceCheckCopy, FromStdinAndToStdoutAreRefused)
{
    const std::string dump = "CREATE TABLE t (a int);\nCOPY public.t (a) FROM stdin;\n1\n2\n\\.\n";
    EXPECT_EQ(problem_line(dump), 2u);
    EXPECT_NE(first_problem(dump).find("COPY ... FROM STDIN"), std::string::npos);
    EXPECT_EQ(problem_line("COPY (SELECT 1) TO STDOUT WITH (FORMAT csv);"), 1u);
    EXPECT_EQ(problem_line("-- vidb:no-transaction\ncopy t from STDIN;"), 2u);
    EXPECT_EQ(problem_line("COPY t FROM '/srv/t.csv';\nCOPY t TO PROGRAM 'cat';\nSELECT 'COPY t FROM stdin';\n"), 0u);
}

// --- psql meta-commands.

TEST(SourceCheckMetaCommands, RestrictLinesAreBlanked)
{
    const std::string sql = "--\n-- PostgreSQL database dump\n--\n\n\\restrict AbC123xyz\n\nSET x = 1;\n"
                            "CREATE TABLE t (a int);\n\n\\unrestrict AbC123xyz\n\n";
    const SourcePlan plan = check_migration_source(sql);
    ASSERT_TRUE(plan.problems.empty()) << plan.problems.front().message;
    ASSERT_TRUE(plan.run_sql);
    EXPECT_EQ(plan.run_sql->size(), sql.size());
    EXPECT_EQ(plan.run_sql->find('\\'), std::string::npos);
    EXPECT_EQ(plan.run_sql->substr(35, 20), std::string(19, ' ') + "\n"); // line 5 is blank
    EXPECT_NE(plan.run_sql->find("CREATE TABLE t (a int);"), std::string::npos);
}

TEST(SourceCheckMetaCommands, OthersAreRefusedWithTheirLine)
{
    EXPECT_EQ(problem_line("SELECT 1;\n\\connect other\nSELECT 2;\n"), 2u);
    EXPECT_NE(first_problem("\\set ON_ERROR_STOP on\n").find("psql meta-command \\set is not SQL"), std::string::npos);
    EXPECT_EQ(problem_line("SELECT 1;\n  \\i other.sql\n"), 2u);
    EXPECT_EQ(problem_line("SELECT format('x') \\gexec\n"), 1u);
    EXPECT_EQ(problem_line("SELECT 1; \\restrict key\n"), 1u); // not at the start of the line
    // A quote in a blanked line's key does not hide the next line from the check.
    EXPECT_EQ(problem_line("\\restrict a'\n\\connect x\n'\n"), 2u);
    // Backslashes in literals, identifiers, bodies and comments are SQL.
    EXPECT_EQ(problem_line("SELECT 'C:\\', E'\\\\', \"a\\b\", $$\\x$$;\n-- \\connect\n/* \\i x */\n"), 0u);
}

// --- The no-transaction directive.

TEST(SourceCheckDirective, ParsesSpacingAndCase)
{
    EXPECT_EQ(parse_directive("-- vidb:no-transaction").kind, DirectiveKind::no_transaction);
    EXPECT_EQ(parse_directive("--vidb:no-transaction").kind, DirectiveKind::no_transaction);
    EXPECT_EQ(parse_directive("-- vidb: no-transaction").kind, DirectiveKind::no_transaction);
    EXPECT_EQ(parse_directive("--\tVIDB:No-Transaction  (for CREATE INDEX CONCURRENTLY)").kind,
        DirectiveKind::no_transaction);
    EXPECT_EQ(parse_directive("/* vidb:no-transaction */").kind, DirectiveKind::no_transaction);
    const Directive typo = parse_directive("-- vidb:no-transactoin");
    EXPECT_EQ(typo.kind, DirectiveKind::unknown);
    EXPECT_EQ(typo.word, "no-transactoin");
    EXPECT_EQ(parse_directive("-- vidb:notransaction").kind, DirectiveKind::unknown);
    EXPECT_EQ(parse_directive("-- vidb:no-transaction,").kind, DirectiveKind::unknown);
    EXPECT_EQ(parse_directive("-- vidb:").kind, DirectiveKind::unknown);
    EXPECT_EQ(parse_directive("-- Runs in one transaction; put `-- vidb:no-transaction` on the first line").kind,
        DirectiveKind::none);
    EXPECT_EQ(parse_directive("-- vidb no-transaction").kind, DirectiveKind::none);
    EXPECT_EQ(parse_directive("SELECT 1").kind, DirectiveKind::none);
}

TEST(SourceCheckDirective, RecognisedAnywhereInTheLeadingComments)
{
    EXPECT_TRUE(check_migration_source("-- vidb:no-transaction\nCREATE INDEX CONCURRENTLY i ON t (c);").no_transaction);
    EXPECT_TRUE(check_migration_source("\n\n-- vidb:no-transaction\nSELECT 1;").no_transaction);
    // Below `vidb new`'s header comment.
    const std::string header = "-- 0002_idx: describe the change here.\n-- Runs in one transaction; put "
                               "`-- vidb:no-transaction` on the first line for CREATE INDEX CONCURRENTLY and "
                               "the like.\n\n-- vidb: no-transaction\nCREATE INDEX CONCURRENTLY i ON t (c);\n";
    const SourcePlan plan = check_migration_source(header);
    EXPECT_TRUE(plan.no_transaction);
    EXPECT_TRUE(plan.problems.empty());
    EXPECT_TRUE(check_migration_source("/* a */ --vidb:no-transaction\n;SELECT 1;").no_transaction);
    EXPECT_FALSE(check_migration_source("-- header\nSELECT 1;\n").no_transaction);
    EXPECT_FALSE(check_migration_source("").no_transaction);
}

TEST(SourceCheckDirective, MisplacedOrMisspeltFailsWithItsLine)
{
    const std::string late = "CREATE TABLE t (id int);\n-- vidb:no-transaction\n";
    EXPECT_EQ(problem_line(late), 2u);
    EXPECT_NE(first_problem(late).find("comes after SQL"), std::string::npos);
    EXPECT_FALSE(check_migration_source(late).no_transaction);
    EXPECT_EQ(problem_line("SELECT 1 -- vidb:no-transaction\n;"), 1u);
    EXPECT_EQ(problem_line("-- header\n-- vidb:no-transactoin\nSELECT 1;"), 2u);
    EXPECT_NE(first_problem("-- vidb:notransaction\n").find("unknown directive vidb:notransaction"), std::string::npos);
    EXPECT_EQ(problem_line("/* vidb:no-transaction */\nSELECT 1;"), 1u);
    EXPECT_NE(first_problem("/* vidb:no-transaction */").find("line comment"), std::string::npos);
    // Inside a body it is the body's text, not a directive.
    EXPECT_EQ(problem_line("DO $$\n-- vidb:whatever\nBEGIN END $$;"), 0u);
}

TEST(SourceCheckDirective, ProblemsComeInLineOrder)
{
    const SourcePlan plan = check_migration_source("\\set x 1\nSELECT 1;\nCOMMIT;\n-- vidb:typo\n");
    ASSERT_EQ(plan.problems.size(), 3u);
    EXPECT_EQ(plan.problems[0].line, 1u);
    EXPECT_EQ(plan.problems[1].line, 3u);
    EXPECT_EQ(plan.problems[2].line, 4u);
}

} // namespace
} // namespace vidb::migrate
