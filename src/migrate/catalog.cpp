#include "migrate/catalog.h"

#include <algorithm>
#include <map>

namespace vidb::migrate {

namespace {

std::string_view text_of(const EmbeddedFile& file)
{
    return { reinterpret_cast<const char*>(file.data), file.size };
}

} // namespace

Catalog Catalog::from_files(std::span<const EmbeddedFile> files)
{
    Catalog catalog;
    std::map<std::uint64_t, Migration> by_version;
    for (const EmbeddedFile& file : files) {
        if (file.kind == EmbeddedKind::check) {
            catalog.m_checks.push_back({ file.name, file.file_name, text_of(file) });
            continue;
        }
        Migration& migration = by_version[file.version];
        migration.version = file.version;
        migration.version_text = file.version_text;
        migration.name = file.name;
        if (file.kind == EmbeddedKind::up) {
            migration.up_file = file.file_name;
            migration.up_sql = text_of(file);
            migration.checksum = file.checksum;
            migration.up_no_transaction = file.no_transaction;
        } else {
            migration.has_down = true;
            migration.down_file = file.file_name;
            migration.down_sql = text_of(file);
            migration.down_no_transaction = file.no_transaction;
        }
    }
    for (auto& [version, migration] : by_version) {
        catalog.m_migrations.push_back(migration);
    }
    return catalog;
}

const Catalog& Catalog::embedded()
{
    static const Catalog catalog = from_files(embedded_files());
    return catalog;
}

const Migration* Catalog::find(std::uint64_t version) const
{
    const auto it = std::lower_bound(m_migrations.begin(), m_migrations.end(), version,
        [](const Migration& m, std::uint64_t v) { return m.version < v; });
    return it != m_migrations.end() && it->version == version ? &*it : nullptr;
}

} // namespace vidb::migrate
