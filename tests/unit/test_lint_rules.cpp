// Issue 14, item 2: every rule flags its hazard and stays quiet on the safe form.
#include "lint/linter.h"
#include "lint/rules.h"

#include <gtest/gtest.h>

#include <set>
#include <string>
#include <vector>

namespace vidb::lint {
namespace {

struct RuleCase {
    std::string rule;
    std::string hazard; // must produce a finding of `rule`
    std::string safe; // must produce no finding of `rule`
    bool hazard_no_transaction = false;
    bool safe_no_transaction = false;
};

std::vector<std::string> rules_found(std::string_view sql, bool no_transaction)
{
    std::vector<std::string> found;
    for (const auto& finding : lint_migration("0002_x.up.sql", sql, no_transaction)) {
        found.push_back(finding.rule);
    }
    return found;
}

bool has(const std::vector<std::string>& found, const std::string& rule)
{
    return std::find(found.begin(), found.end(), rule) != found.end();
}

std::string joined(const std::vector<std::string>& found)
{
    std::string out;
    for (const auto& rule : found) {
        out += rule + " ";
    }
    return out;
}

// `users` exists already (no statement here creates it); `fresh` is created in the file.
const std::vector<RuleCase>& cases()
{
    static const std::vector<RuleCase> k_cases = {
        { "create-index-not-concurrently", "CREATE INDEX users_email ON users (email);",
            "CREATE INDEX CONCURRENTLY users_email ON users (email);", false, true },
        { "create-index-not-concurrently", "CREATE UNIQUE INDEX ON public.users (email);",
            "CREATE TABLE fresh (id bigint PRIMARY KEY, email text);\nCREATE INDEX ON fresh (email);" },
        { "drop-index-not-concurrently", "DROP INDEX users_email;", "DROP INDEX CONCURRENTLY users_email;", false,
            true },
        { "reindex-not-concurrently", "REINDEX TABLE users;", "REINDEX TABLE CONCURRENTLY users;", false, true },
        { "concurrently-in-transaction", "CREATE INDEX CONCURRENTLY users_email ON users (email);",
            "CREATE INDEX CONCURRENTLY users_email ON users (email);", false, true },
        { "concurrently-in-transaction", "DROP INDEX CONCURRENTLY users_email;", "DROP INDEX CONCURRENTLY users_email;",
            false, true },
        { "add-column-not-null-without-default", "ALTER TABLE users ADD COLUMN age int NOT NULL;",
            "ALTER TABLE users ADD COLUMN age int NOT NULL DEFAULT 0;" },
        { "add-column-volatile-default", "ALTER TABLE users ADD COLUMN token uuid DEFAULT gen_random_uuid();",
            "ALTER TABLE users ADD COLUMN created_at timestamptz DEFAULT now();" },
        { "add-column-volatile-default", "ALTER TABLE users ADD COLUMN r float8 DEFAULT (random() * 10);",
            "ALTER TABLE users ADD COLUMN r float8;" },
        { "add-serial-column", "ALTER TABLE users ADD COLUMN n bigserial;", "ALTER TABLE users ADD COLUMN n bigint;" },
        { "add-serial-column", "ALTER TABLE users ADD COLUMN n bigint GENERATED ALWAYS AS IDENTITY;",
            "CREATE TABLE fresh (id bigint PRIMARY KEY);\nALTER TABLE fresh ADD COLUMN n bigserial;" },
        { "set-not-null", "ALTER TABLE users ALTER COLUMN email SET NOT NULL;",
            "ALTER TABLE users ADD CONSTRAINT email_nn CHECK (email IS NOT NULL) NOT VALID;" },
        { "constraint-without-not-valid",
            "ALTER TABLE users ADD CONSTRAINT users_org FOREIGN KEY (org_id) REFERENCES orgs (id);",
            "ALTER TABLE users ADD CONSTRAINT users_org FOREIGN KEY (org_id) REFERENCES orgs (id) NOT VALID;" },
        { "constraint-without-not-valid", "ALTER TABLE users ADD CONSTRAINT age_ok CHECK (age >= 0);",
            "ALTER TABLE users ADD CONSTRAINT age_ok CHECK (age >= 0) NOT VALID;\n"
            "ALTER TABLE users VALIDATE CONSTRAINT age_ok;" },
        { "unique-constraint-without-index", "ALTER TABLE users ADD CONSTRAINT users_email_key UNIQUE (email);",
            "ALTER TABLE users ADD CONSTRAINT users_email_key UNIQUE USING INDEX users_email;" },
        { "unique-constraint-without-index", "ALTER TABLE users ADD PRIMARY KEY (id);",
            "ALTER TABLE users ADD CONSTRAINT users_pkey PRIMARY KEY USING INDEX users_id;" },
        { "alter-column-type", "ALTER TABLE users ALTER COLUMN id TYPE bigint;",
            "CREATE TABLE fresh (id int PRIMARY KEY);\nALTER TABLE fresh ALTER COLUMN id TYPE bigint;" },
        { "rename-column", "ALTER TABLE users RENAME COLUMN email TO mail;",
            "ALTER TABLE users ADD COLUMN mail text;" },
        { "rename-table", "ALTER TABLE users RENAME TO people;",
            "CREATE TABLE fresh (id bigint PRIMARY KEY);\nALTER TABLE fresh RENAME TO people;\n"
            "CREATE INDEX ON people (id);" },
        { "drop-column", "ALTER TABLE users DROP COLUMN email;",
            "CREATE TABLE fresh (id bigint PRIMARY KEY, x int);\nALTER TABLE fresh DROP COLUMN x;" },
        { "drop-table", "DROP TABLE users;", "CREATE TABLE fresh (id bigint PRIMARY KEY);\nDROP TABLE fresh;" },
        { "truncate", "TRUNCATE users;", "CREATE TABLE fresh (id bigint PRIMARY KEY);\nTRUNCATE fresh;" },
        { "vacuum-full", "VACUUM FULL users;", "VACUUM users;", true, true },
        { "cluster", "CLUSTER users USING users_pkey;", "ANALYZE users;" },
        { "lock-table", "LOCK TABLE users IN ACCESS EXCLUSIVE MODE;", "SELECT 1;" },
        { "enum-value-used-in-transaction",
            "ALTER TYPE mood ADD VALUE 'meh';\nUPDATE users SET mood = 'meh' WHERE mood = 'ok';",
            "ALTER TYPE mood ADD VALUE 'meh';\nUPDATE users SET mood = 'meh' WHERE mood = 'ok';", false, true },
        { "enum-value-used-in-transaction", "ALTER TYPE mood ADD VALUE 'meh';\nINSERT INTO moods VALUES ('meh');",
            "CREATE TYPE mood AS ENUM ('ok');\nALTER TYPE mood ADD VALUE 'meh';\nCREATE TABLE fresh (id bigint "
            "PRIMARY KEY, m mood DEFAULT 'meh');" },
        { "update-without-where", "UPDATE users SET active = true;",
            "UPDATE users SET active = true WHERE id < 1000;" },
        { "update-without-where", "DELETE FROM users;", "DELETE FROM users WHERE id = 1;" },
        { "table-without-primary-key", "CREATE TABLE events (payload jsonb);",
            "CREATE TABLE events (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, payload jsonb);" },
        { "table-without-primary-key", "CREATE TABLE pairs (a bigint, b bigint);",
            "CREATE TABLE pairs (a bigint, b bigint, PRIMARY KEY (a, b));" },
        { "integer-primary-key", "CREATE TABLE events (id serial PRIMARY KEY);",
            "CREATE TABLE events (id bigserial PRIMARY KEY);" },
        { "integer-primary-key", "CREATE TABLE events (id int, PRIMARY KEY (id));",
            "CREATE TABLE events (id bigint, PRIMARY KEY (id));" },
        { "varchar-length", "CREATE TABLE t (id bigint PRIMARY KEY, name varchar(100));",
            "CREATE TABLE t (id bigint PRIMARY KEY, name text, code varchar);" },
        { "varchar-length", "ALTER TABLE users ADD COLUMN nick character varying(20);",
            "ALTER TABLE users ADD COLUMN nick text;" },
        { "timestamp-without-time-zone", "CREATE TABLE t (id bigint PRIMARY KEY, at timestamp);",
            "CREATE TABLE t (id bigint PRIMARY KEY, at timestamptz);" },
        { "unparsed", "CREATE TABLE t (id bigint PRIMARY KEY) WITH SOMETHING NEW;",
            "CREATE TABLE t (id bigint PRIMARY KEY);" },
        { "invalid-waiver", "-- vidb:allow no-such-rule because\nDROP TABLE fresh;",
            "-- vidb:allow drop-table the table was emptied and unused since release 4.2\nDROP TABLE users;" },
    };
    return k_cases;
}

TEST(LintRules, EveryHazardIsFlaggedAndItsSafeFormIsNot)
{
    for (const auto& c : cases()) {
        ASSERT_NE(find_rule(c.rule), nullptr) << c.rule;
        const auto hazard = rules_found(c.hazard, c.hazard_no_transaction);
        EXPECT_TRUE(has(hazard, c.rule)) << c.rule << " not flagged in: " << c.hazard << "\nfound: " << joined(hazard);
        const auto safe = rules_found(c.safe, c.safe_no_transaction);
        EXPECT_FALSE(has(safe, c.rule)) << c.rule << " flagged in the safe form: " << c.safe;
    }
}

TEST(LintRules, EveryRuleHasACase)
{
    std::set<std::string> covered;
    for (const auto& c : cases()) {
        covered.insert(c.rule);
    }
    for (const Rule& rule : rules()) {
        if (rule.name == "source-check" || rule.name.starts_with("trace-")) {
            continue; // migrate's source check and --trace: tests/integration/test_lint*.sh
        }
        EXPECT_TRUE(covered.contains(std::string(rule.name))) << "no table-driven case for rule " << rule.name;
        EXPECT_FALSE(rule.lock.empty()) << rule.name;
        EXPECT_FALSE(rule.safe.empty()) << rule.name;
    }
}

// Style and unbounded updates warn; lock and rewrite hazards are errors (issue 14).
TEST(LintRules, SeveritiesFollowTheIssue)
{
    for (const char* name : { "integer-primary-key", "varchar-length", "timestamp-without-time-zone",
             "table-without-primary-key", "update-without-where" }) {
        EXPECT_EQ(find_rule(name)->severity, Severity::warning) << name;
    }
    for (const char* name : { "create-index-not-concurrently", "set-not-null", "alter-column-type", "truncate" }) {
        EXPECT_EQ(find_rule(name)->severity, Severity::error) << name;
    }
    EXPECT_EQ(find_rule("unparsed")->severity, Severity::info);
}

} // namespace
} // namespace vidb::lint
