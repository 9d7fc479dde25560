#include "migrate/catalog.h"

#include "common/error.h"
#include "migrate/carried_set.h"
#include "migrate/source_check.h"

#include <algorithm>
#include <cstdint>
#include <map>

namespace vidb::migrate {

namespace {

std::string_view text_of(const EmbeddedFile& file)
{
    return { reinterpret_cast<const char*>(file.data), file.size };
}

// The text to send, whether the file may run, and the directive, decided at run time from
// the bytes themselves (the same check as the embedder's), so a binary whose files no
// embedder checked is held to the same rules.
struct Prepared {
    std::string_view run_sql;
    bool no_transaction = false;
    std::string problem;
};

Prepared prepare(const EmbeddedFile& file, std::vector<std::shared_ptr<const std::string>>& run_texts)
{
    const std::string_view text = text_of(file);
    SourcePlan plan = check_migration_source(text);
    Prepared prepared { .run_sql = text, .no_transaction = file.no_transaction || plan.no_transaction };
    if (plan.run_sql) {
        run_texts.push_back(std::make_shared<const std::string>(std::move(*plan.run_sql)));
        prepared.run_sql = *run_texts.back();
    }
    if (!plan.problems.empty()) {
        const SourceProblem& first = plan.problems.front();
        // A dbmate or goose section starts part way into its file: the line is the file's.
        prepared.problem = std::string(file.file_name) + ":" + std::to_string(first.line + file.first_line - 1) + ": "
            + first.message;
    }
    return prepared;
}

} // namespace

Catalog Catalog::from_files(std::span<const EmbeddedFile> files)
{
    Catalog catalog;
    std::map<MigrationVersion, Migration> by_version;
    for (const EmbeddedFile& file : files) {
        if (file.kind == EmbeddedKind::check) {
            catalog.m_checks.push_back({ file.name, file.file_name, text_of(file) });
            continue;
        }
        if (file.kind == EmbeddedKind::repeatable) {
            Prepared prepared = prepare(file, catalog.m_run_texts);
            if (prepared.problem.empty() && prepared.no_transaction) {
                prepared.problem = std::string(file.file_name)
                    + ": a repeatable migration always runs in one transaction; it cannot be no-transaction";
            }
            catalog.m_repeatables.push_back({ file.name, file.file_name, text_of(file), prepared.run_sql, file.checksum,
                std::move(prepared.problem) });
            continue;
        }
        // An unreadable text (no embedder wrote it) falls back to the integer key.
        const MigrationVersion version
            = MigrationVersion::parse(file.version_text)
                  .value_or(MigrationVersion::of_integer(file.version & static_cast<std::uint64_t>(INT64_MAX)));
        Migration& migration = by_version[version];
        migration.version = version;
        migration.version_text = file.version_text;
        migration.name = file.name;
        Prepared prepared = prepare(file, catalog.m_run_texts);
        if (file.kind == EmbeddedKind::up) {
            migration.up_file = file.file_name;
            migration.up_sql = text_of(file);
            migration.up_first_line = file.first_line;
            migration.up_run_sql = prepared.run_sql;
            migration.checksum = file.checksum;
            migration.up_no_transaction = prepared.no_transaction;
            migration.up_goose_statements = file.goose_statements;
            migration.up_problem = std::move(prepared.problem);
        } else {
            migration.has_down = true;
            migration.down_file = file.file_name;
            migration.down_sql = text_of(file);
            migration.down_first_line = file.first_line;
            migration.down_run_sql = prepared.run_sql;
            migration.down_checksum = file.checksum;
            migration.down_no_transaction = prepared.no_transaction;
            migration.down_goose_statements = file.goose_statements;
            migration.down_problem = std::move(prepared.problem);
        }
    }
    for (auto& [version, migration] : by_version) {
        catalog.m_migrations.push_back(migration);
    }
    std::sort(catalog.m_repeatables.begin(), catalog.m_repeatables.end(),
        [](const Repeatable& a, const Repeatable& b) { return a.name < b.name; });
    return catalog;
}

const Catalog& Catalog::embedded()
{
    static const Catalog catalog = from_files(carried_set().files);
    return catalog;
}

const Migration* Catalog::find(const MigrationVersion& version) const
{
    const auto it = std::lower_bound(m_migrations.begin(), m_migrations.end(), version,
        [](const Migration& m, const MigrationVersion& v) { return m.version < v; });
    return it != m_migrations.end() && it->version == version ? &*it : nullptr;
}

void refuse_unrunnable(std::span<const Migration* const> migrations, Direction direction)
{
    for (const Migration* migration : migrations) {
        const std::string& problem = direction == Direction::up ? migration->up_problem : migration->down_problem;
        if (!problem.empty()) {
            const std::string name = std::string(migration->version_text) + "_" + std::string(migration->name);
            throw RefusedError(
                (direction == Direction::up ? "migration " : "revert of ") + name + " cannot run safely: " + problem,
                { std::string("nothing was ") + (direction == Direction::up ? "applied" : "reverted")
                    + " (this binary's migrations were not checked when it was built; the build fails on "
                      "such files)" });
        }
    }
}

} // namespace vidb::migrate
