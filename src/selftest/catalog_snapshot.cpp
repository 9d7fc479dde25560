#include "selftest/catalog_snapshot.h"

#include "migrate/catalog_reader.h"

#include <algorithm>
#include <set>

namespace vidb::selftest {

namespace {

// The kinds whose name is two or three words (migrate::read_schema()).
constexpr const char* k_long_kinds[]
    = { "materialized view ", "foreign key ", "sequence owner ", "row level security " };

// "materialized view public.v" -> "public.v".
std::string name_of(const std::string& key)
{
    for (const std::string kind : k_long_kinds) {
        if (key.starts_with(kind)) {
            return key.substr(kind.size());
        }
    }
    return key.substr(key.find(' ') + 1);
}

std::string shorten(const std::string& definition)
{
    std::string out;
    for (const char c : definition) {
        if (c == '\n' || c == '\t') {
            if (!out.empty() && out.back() != ' ') {
                out += ' ';
            }
        } else {
            out += c;
        }
    }
    if (out.size() > 100) {
        out = out.substr(0, 97) + "...";
    }
    return "'" + out + "'";
}

} // namespace

CatalogSnapshot snapshot_catalog(db::Connection& connection)
{
    // The reader of `vidb schema dump` and `vidb drift`: one reading of the catalog for all three.
    CatalogSnapshot snapshot;
    for (const auto& object : migrate::read_schema(connection, {})) {
        if (object.kind != "table") {
            snapshot[object.key()] = object.sql;
            continue;
        }
        // A table without its column lines (each column is an entry of its own, so a
        // changed column is named once, not also as a changed table).
        std::string rest;
        std::size_t start = 0;
        while (start < object.sql.size()) {
            const auto end = object.sql.find('\n', start);
            const std::string line
                = object.sql.substr(start, end == std::string::npos ? std::string::npos : end - start + 1);
            if (!line.starts_with("    ")) {
                rest += line;
            }
            start = end == std::string::npos ? object.sql.size() : end + 1;
        }
        snapshot[object.key()] = rest;
        for (const auto& [column, definition] : object.parts) {
            snapshot["column " + object.name + "." + column] = definition;
        }
    }
    return snapshot;
}

SnapshotDiff compare_snapshots(const CatalogSnapshot& before, const CatalogSnapshot& after)
{
    SnapshotDiff diff;
    for (const auto& [key, definition] : after) {
        const auto it = before.find(key);
        if (it == before.end()) {
            diff.added.push_back(key);
        } else if (it->second != definition) {
            diff.changed.push_back(key + ": was " + shorten(it->second) + ", now " + shorten(definition));
        }
    }
    for (const auto& [key, definition] : before) {
        if (!after.contains(key)) {
            diff.removed.push_back(key);
        }
    }
    return diff;
}

SnapshotDiff subtract(const SnapshotDiff& diff, const SnapshotDiff& already)
{
    const auto minus = [](const std::vector<std::string>& from, const std::vector<std::string>& remove) {
        std::vector<std::string> out;
        for (const auto& item : from) {
            if (std::find(remove.begin(), remove.end(), item) == remove.end()) {
                out.push_back(item);
            }
        }
        return out;
    };
    return { minus(diff.added, already.added), minus(diff.removed, already.removed),
        minus(diff.changed, already.changed) };
}

std::vector<std::string> collapse_members(const std::vector<std::string>& keys)
{
    std::set<std::string> owners;
    for (const auto& key : keys) {
        if (!key.starts_with("row level security ")) { // named after its table, which it does not own
            owners.insert(name_of(key));
        }
    }
    std::vector<std::string> out;
    for (const auto& key : keys) {
        const bool member = key.starts_with("column ") || key.starts_with("constraint ")
            || key.starts_with("foreign key ") || key.starts_with("trigger ") || key.starts_with("policy ");
        const std::string name = name_of(key);
        if (key.starts_with("row level security ") && owners.contains(name)) {
            continue;
        }
        const auto dot = name.rfind('.');
        if (member && dot != std::string::npos && owners.contains(name.substr(0, dot))) {
            continue;
        }
        out.push_back(key);
    }
    return out;
}

} // namespace vidb::selftest
