#include "lint/trace.h"

#include "db/error.h"
#include "db/interrupt.h"
#include "db/scratch_database.h"
#include "migrate/sql_lexer.h"

#include <fmt/format.h>

#include <map>
#include <set>

namespace vidb::lint {

namespace {

struct Table {
    std::string name; // schema.table
    long long relfilenode = 0;
};

// User tables (plain, partitioned, materialized views) by OID.
std::map<long long, Table> user_tables(db::Connection& connection)
{
    const auto result = connection.exec(
        "SELECT c.oid::bigint, quote_ident(n.nspname) || '.' || quote_ident(c.relname), c.relfilenode::bigint "
        "FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
        "WHERE c.relkind IN ('r', 'p', 'm') AND n.nspname NOT IN ('pg_catalog', 'information_schema') "
        "AND n.nspname NOT LIKE 'pg\\_toast%'");
    std::map<long long, Table> tables;
    for (int row = 0; row < result.rows(); ++row) {
        tables[result.get_int(row, 0)] = { std::string(result.get(row, 1)), result.get_int(row, 2) };
    }
    return tables;
}

// pg_locks' relation modes, weakest first.
int strength(std::string_view mode)
{
    static constexpr std::string_view k_modes[] = { "AccessShareLock", "RowShareLock", "RowExclusiveLock",
        "ShareUpdateExclusiveLock", "ShareLock", "ShareRowExclusiveLock", "ExclusiveLock", "AccessExclusiveLock" };
    for (int i = 0; i < 8; ++i) {
        if (k_modes[i] == mode) {
            return i;
        }
    }
    return -1;
}

// The strongest relation lock this backend holds on each table, by OID.
std::map<long long, std::string> held_locks(db::Connection& connection)
{
    const auto result = connection.exec("SELECT relation::bigint, mode FROM pg_catalog.pg_locks "
                                        "WHERE pid = pg_backend_pid() AND locktype = 'relation' AND granted");
    std::map<long long, std::string> locks;
    for (int row = 0; row < result.rows(); ++row) {
        const std::string mode(result.get(row, 1));
        auto& held = locks[result.get_int(row, 0)];
        if (strength(mode) > strength(held)) {
            held = mode;
        }
    }
    return locks;
}

std::vector<migrate::Statement> statements(std::string_view sql)
{
    std::vector<migrate::Statement> out;
    for (const auto& statement : migrate::split_statements(sql, migrate::BodyRule::server)) {
        if (!statement.blank) {
            out.push_back(statement);
        }
    }
    return out;
}

class Tracer {
public:
    Tracer(db::Connection& connection, std::vector<Finding>& findings)
        : m_db(connection)
        , m_findings(findings)
    {
    }

    void apply(const LintInput& input)
    {
        if (input.no_transaction) {
            for (const auto& statement : statements(input.sql)) {
                m_db.exec(statement.text);
            }
        } else {
            m_db.exec(input.sql); // one query string: one implicit transaction, as vidb sends it
        }
    }

    void trace(const LintInput& input)
    {
        const std::map<long long, Table> before = user_tables(m_db);
        std::set<long long> rewritten;
        if (input.no_transaction) {
            for (const auto& statement : statements(input.sql)) {
                m_db.exec(statement.text);
                rewrites(input, statement, before, rewritten);
            }
            return;
        }
        std::map<long long, std::string> reported; // strongest mode reported so far, by table
        m_db.exec("BEGIN");
        for (const auto& statement : statements(input.sql)) {
            m_db.exec(statement.text);
            for (const auto& [oid, mode] : held_locks(m_db)) {
                const auto table = before.find(oid);
                if (table == before.end() || strength(mode) <= strength(reported[oid])) {
                    continue;
                }
                reported[oid] = mode;
                add(input, statement, "trace-lock",
                    fmt::format("took {} on table {}", lock_mode_name(mode), table->second.name));
            }
            rewrites(input, statement, before, rewritten);
        }
        m_db.exec("ROLLBACK");
        apply(input);
    }

private:
    void rewrites(const LintInput& input, const migrate::Statement& statement, const std::map<long long, Table>& before,
        std::set<long long>& rewritten)
    {
        for (const auto& [oid, table] : user_tables(m_db)) {
            const auto old = before.find(oid);
            if (old != before.end() && old->second.relfilenode != 0 && table.relfilenode != old->second.relfilenode
                && rewritten.insert(oid).second) {
                add(input, statement, "trace-rewrite",
                    fmt::format("rewrote table {} (new relfilenode): every row copied under ACCESS EXCLUSIVE",
                        old->second.name));
            }
        }
    }

    void add(const LintInput& input, const migrate::Statement& statement, const char* rule, std::string message)
    {
        const auto [line, column] = line_column(input.sql, migrate::skip_trivia(input.sql, statement.offset));
        const Severity severity = std::string_view(rule) == "trace-lock" ? Severity::info : Severity::warning;
        m_findings.push_back({ input.file, line, column, rule, severity, std::move(message) });
    }

    db::Connection& m_db;
    std::vector<Finding>& m_findings;
};

} // namespace

std::string lock_mode_name(std::string_view mode)
{
    std::string out;
    if (mode.ends_with("Lock")) {
        mode.remove_suffix(4);
    }
    for (const char c : mode) {
        if (c >= 'A' && c <= 'Z' && !out.empty()) {
            out += ' ';
        }
        out += static_cast<char>(c >= 'a' && c <= 'z' ? c - 'a' + 'A' : c);
    }
    return out;
}

std::vector<Finding> trace(db::Connection& admin, const db::Conninfo& conninfo, std::span<const LintInput> inputs,
    std::optional<migrate::MigrationVersion> since)
{
    std::vector<Finding> findings;
    db::ScratchDatabase scratch(admin, conninfo, "vidb_lint",
        "vidb lint --trace applies the migrations in a scratch database on the same server, reads the locks they "
        "take, and drops it; the database of the URL itself is not touched");
    Tracer tracer(scratch.connection(), findings);
    for (const LintInput& input : inputs) {
        const bool under_test = !since || input.version == migrate::MigrationVersion() || input.version > *since;
        try {
            if (under_test) {
                tracer.trace(input);
            } else {
                tracer.apply(input);
            }
        } catch (const db::SqlError& error) {
            if (db::interrupted_signal() != 0) {
                throw; // Ctrl-C: stop (the scratch database is dropped on the way out)
            }
            scratch.connection().rollback_if_in_transaction();
            findings.push_back({ input.file, 1, 1, "trace-failed", Severity::warning,
                "failed in the scratch database, the trace stops here: " + std::string(error.what()) });
            break;
        }
    }
    return findings;
}

} // namespace vidb::lint
