#include "lint/rules.h"

#include <algorithm>

namespace vidb::lint {

namespace {

// Keep MIGRATIONS.md ("Linting migrations") in step: tests/unit/test_lint_rules.cpp
// checks every rule here has a hazard and a safe case.
constexpr Rule k_rules[] = {
    { "create-index-not-concurrently", Severity::error, "SHARE (blocks writes for the whole build)",
        "CREATE INDEX CONCURRENTLY in a -- vidb:no-transaction migration" },
    { "drop-index-not-concurrently", Severity::error, "ACCESS EXCLUSIVE on the table",
        "DROP INDEX CONCURRENTLY in a -- vidb:no-transaction migration" },
    { "reindex-not-concurrently", Severity::error, "SHARE on the table, ACCESS EXCLUSIVE on the index",
        "REINDEX ... CONCURRENTLY in a -- vidb:no-transaction migration" },
    { "concurrently-in-transaction", Severity::error, "none: fails at run time inside a transaction block",
        "put the statement in its own -- vidb:no-transaction migration" },
    { "add-column-not-null-without-default", Severity::error, "ACCESS EXCLUSIVE; fails as soon as the table has a row",
        "add the column with a constant DEFAULT, or nullable and backfill" },
    { "add-column-volatile-default", Severity::error, "ACCESS EXCLUSIVE while the whole table is rewritten",
        "add the column without the default, set the default, backfill in batches" },
    { "add-serial-column", Severity::error, "ACCESS EXCLUSIVE while the whole table is rewritten",
        "add a nullable bigint column, attach a sequence default, backfill in batches" },
    { "set-not-null", Severity::error, "ACCESS EXCLUSIVE during a full scan",
        "ADD CHECK (c IS NOT NULL) NOT VALID; VALIDATE CONSTRAINT; then SET NOT NULL (no scan)" },
    { "constraint-without-not-valid", Severity::error,
        "ACCESS EXCLUSIVE / SHARE ROW EXCLUSIVE during a full scan (foreign keys: on both tables)",
        "ADD CONSTRAINT ... NOT VALID; then VALIDATE CONSTRAINT in a later statement" },
    { "unique-constraint-without-index", Severity::error, "ACCESS EXCLUSIVE while the index is built",
        "CREATE UNIQUE INDEX CONCURRENTLY; then ADD CONSTRAINT ... USING INDEX" },
    { "alter-column-type", Severity::error, "ACCESS EXCLUSIVE, usually while the table and its indexes are rewritten",
        "add a new column, backfill, switch readers, drop the old one (expand/contract)" },
    { "rename-column", Severity::error, "ACCESS EXCLUSIVE (short), and running code breaks",
        "add the new column, write both, switch readers, drop the old one (expand/contract)" },
    { "rename-table", Severity::error, "ACCESS EXCLUSIVE (short), and running code breaks",
        "create the new name as a view or table, switch readers, then drop the old one" },
    { "drop-column", Severity::error, "ACCESS EXCLUSIVE (short), and running code breaks",
        "stop reading and writing the column in a release first; waive with the reason" },
    { "drop-table", Severity::error, "ACCESS EXCLUSIVE, and running code breaks",
        "stop using the table in a release first; waive with the reason" },
    { "truncate", Severity::error, "ACCESS EXCLUSIVE, and the data is gone",
        "DELETE in batches, or waive with the reason" },
    { "vacuum-full", Severity::error, "ACCESS EXCLUSIVE while the whole table is rewritten",
        "plain VACUUM, or pg_repack outside migrations" },
    { "cluster", Severity::error, "ACCESS EXCLUSIVE while the whole table is rewritten",
        "pg_repack outside migrations" },
    { "lock-table", Severity::error, "the mode named, held until the migration commits",
        "rely on the statements' own locks and vidb's lock_timeout" },
    { "enum-value-used-in-transaction", Severity::error,
        "none: fails at run time (unsafe use of new value) inside the transaction that added it",
        "ALTER TYPE ... ADD VALUE in its own migration, use the value in a later one" },
    { "update-without-where", Severity::warning, "ROW EXCLUSIVE, every row locked until commit",
        "UPDATE/DELETE in batches with a WHERE, or waive with the reason" },
    { "table-without-primary-key", Severity::warning, "none (style)", "give every table a primary key" },
    { "integer-primary-key", Severity::warning, "none (style): 2^31 ids run out",
        "bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY" },
    { "varchar-length", Severity::warning, "none (style): widening it later may need ACCESS EXCLUSIVE",
        "text, with a CHECK (length(c) <= n) if a limit matters" },
    { "timestamp-without-time-zone", Severity::warning, "none (style)", "timestamptz" },
    { "unparsed", Severity::info, "unknown: the statement was not checked",
        "nothing to do; newer syntax than the linter's grammar (PostgreSQL 15)" },
    { "trace-lock", Severity::info, "the mode PostgreSQL took (vidb lint --trace)",
        "below SHARE UPDATE EXCLUSIVE nothing waits; from SHARE up writers wait, ACCESS EXCLUSIVE blocks reads too" },
    { "trace-rewrite", Severity::warning, "ACCESS EXCLUSIVE for the whole rewrite (vidb lint --trace)",
        "the expand/contract recipes of this table" },
    { "trace-failed", Severity::warning, "none: the trace stopped", "make the migration run on an empty database" },
    { "source-check", Severity::error, "none: vidb refuses to run the file",
        "what the message says (transaction control, COPY, psql meta-commands, directives)" },
    { "invalid-waiver", Severity::error, "none", "-- vidb:allow <rule> <reason>, naming a rule of this table" },
};

} // namespace

std::span<const Rule> rules()
{
    return k_rules;
}

const Rule* find_rule(std::string_view name)
{
    const auto* it
        = std::find_if(std::begin(k_rules), std::end(k_rules), [name](const Rule& rule) { return rule.name == name; });
    return it == std::end(k_rules) ? nullptr : it;
}

} // namespace vidb::lint
