#include "lint/linter.h"

#include "lint/parse.h"
#include "lint/rules.h"
#include "lint/tree.h"
#include "lint/waivers.h"

#include <algorithm>
#include <map>
#include <set>
#include <string>

namespace vidb::lint {

namespace {

using Json = nlohmann::json;

bool is_serial(const std::string& type)
{
    return type == "serial" || type == "serial4" || type == "bigserial" || type == "serial8" || type == "smallserial"
        || type == "serial2";
}

bool is_small_integer(const std::string& type)
{
    return type == "int4" || type == "int2" || type == "serial" || type == "serial4" || type == "smallserial"
        || type == "serial2";
}

// Functions whose default value differs per row: PostgreSQL then fills the column by
// rewriting the table instead of storing one value in the catalog.
bool is_volatile_function(const std::string& name)
{
    static const std::set<std::string> k_volatile = { "random", "clock_timestamp", "timeofday", "gen_random_uuid",
        "uuid_generate_v1", "uuid_generate_v1mc", "uuid_generate_v4", "nextval", "setseed", "txid_current",
        "pg_current_xact_id", "random_normal", "uuidv4", "uuidv7" };
    return k_volatile.contains(name);
}

// The first volatile function called anywhere in an expression tree.
std::string volatile_call(const Json& node)
{
    if (node.is_object()) {
        if (const Json* call = field(node, "FuncCall")) {
            std::string name = last_name(list(*call, "funcname"));
            if (is_volatile_function(name)) {
                return name;
            }
        }
        for (const auto& item : node.items()) {
            if (std::string found = volatile_call(item.value()); !found.empty()) {
                return found;
            }
        }
    } else if (node.is_array()) {
        for (const auto& item : node) {
            if (std::string found = volatile_call(item); !found.empty()) {
                return found;
            }
        }
    }
    return {};
}

std::string quoted(const std::string& name)
{
    return name.empty() ? std::string("?") : name;
}

// --- the rules -------------------------------------------------------------------------

struct RawFinding {
    std::size_t offset = 0;
    std::size_t statement = 0;
    std::string rule;
    std::string message;
};

class Linter {
public:
    Linter(std::string_view sql, bool no_transaction)
        : m_sql(sql)
        , m_no_transaction(no_transaction)
    {
    }

    void statement(const ParsedStatement& statement, std::size_t index)
    {
        m_statement = &statement;
        m_index = index;
        if (statement.tree.is_null()) {
            unparsed(statement);
            return;
        }
        const std::string type = node_type(statement.tree);
        const Json& node = body(statement.tree);
        enum_values(statement.tree);
        if (type == "CreateStmt") {
            create_table(node);
        } else if (type == "CreateTableAsStmt") {
            if (const Json* into = field(node, "into")) {
                m_tables.insert(relation_name(field(*into, "rel")));
            }
        } else if (type == "IndexStmt") {
            create_index(node);
        } else if (type == "DropStmt") {
            drop(node);
        } else if (type == "ReindexStmt") {
            reindex(node);
        } else if (type == "AlterTableStmt") {
            alter_table(node);
        } else if (type == "RenameStmt") {
            rename(node);
        } else if (type == "TruncateStmt") {
            for_existing(
                list(node, "relations"), "truncate", "TRUNCATE takes ACCESS EXCLUSIVE on ", " and deletes every row");
        } else if (type == "VacuumStmt") {
            vacuum(node);
        } else if (type == "ClusterStmt") {
            if (!is_new(relation_name(field(node, "relation")))) {
                add("cluster", field(node, "relation"),
                    "CLUSTER rewrites " + describe(field(node, "relation")) + " under ACCESS EXCLUSIVE");
            }
        } else if (type == "LockStmt") {
            for_existing(list(node, "relations"), "lock-table", "LOCK TABLE on ",
                m_no_transaction ? " outside a transaction fails (LOCK TABLE only works in a transaction block)"
                                 : " is held until the migration commits; vidb's lock_timeout already bounds the wait");
        } else if (type == "CreateEnumStmt") {
            m_enums.insert(last_name(list(node, "typeName")));
        } else if (type == "AlterEnumStmt") {
            const std::string value = text(node, "newVal");
            if (!value.empty() && !field(node, "oldVal") && !m_no_transaction
                && !m_enums.contains(last_name(list(node, "typeName")))) {
                m_new_enum_values.insert(value);
            }
        } else if (type == "UpdateStmt" || type == "DeleteStmt") {
            unbounded(node, type == "UpdateStmt" ? "UPDATE" : "DELETE");
        }
    }

    std::vector<RawFinding> take()
    {
        for (auto& [table, finding] : m_without_key) {
            m_findings.push_back(std::move(finding));
        }
        m_without_key.clear();
        return std::move(m_findings);
    }

private:
    std::size_t position(const Json* node) const
    {
        if (node != nullptr) {
            const Json* location = field(body(*node), "location");
            if (location != nullptr && location->is_number_integer() && location->get<long long>() >= 0) {
                const std::size_t at = m_statement->base + static_cast<std::size_t>(location->get<long long>());
                if (at >= m_statement->offset && at < m_statement->end) {
                    return at;
                }
            }
        }
        return m_statement->offset;
    }

    void add(std::string_view rule, const Json* at, std::string message)
    {
        m_findings.push_back({ position(at), m_index, std::string(rule), std::move(message) });
    }

    bool is_new(const std::string& table) const { return m_tables.contains(table); }

    static std::string describe(const Json* relation) { return "table " + quoted(relation_name(relation)); }

    void unparsed(const ParsedStatement& statement)
    {
        std::string excerpt;
        for (std::size_t i = statement.offset; i < statement.end && excerpt.size() < 60; ++i) {
            const char c = m_sql[i];
            excerpt += c == '\n' || c == '\r' || c == '\t' ? ' ' : c;
        }
        // Do not cut a UTF-8 sequence in half.
        while (!excerpt.empty() && (static_cast<unsigned char>(excerpt.back()) & 0xC0) == 0x80) {
            excerpt.pop_back();
        }
        if (!excerpt.empty() && (static_cast<unsigned char>(excerpt.back()) & 0x80) != 0) {
            excerpt.pop_back();
        }
        add("unparsed", nullptr,
            "not checked: PostgreSQL 15's grammar does not read `" + excerpt
                + (statement.end - statement.offset > excerpt.size() ? "…" : "") + "` (" + statement.error + ")");
    }

    void for_existing(const Json& relations, std::string_view rule, const std::string& before, const std::string& after)
    {
        for (const auto& relation : relations) {
            if (!is_new(relation_name(&relation))) {
                std::string message = before;
                message += describe(&relation);
                message += after;
                add(rule, &relation, std::move(message));
            }
        }
    }

    void column_style(const Json& column)
    {
        const std::string type = type_name(column);
        const Json* type_node = field(column, "typeName");
        const std::string name = quoted(text(column, "colname"));
        if (type == "varchar" && has_typmods(column)) {
            add("varchar-length", type_node,
                "column " + name
                    + " is varchar(n): a longer limit later is a migration, use text (and a CHECK on length)");
        } else if (type == "timestamp") {
            add("timestamp-without-time-zone", type_node,
                "column " + name + " is timestamp without time zone: use timestamptz");
        }
    }

    void create_table(const Json& node)
    {
        const Json* relation = field(node, "relation");
        const std::string table = relation_name(relation);
        // Partitions, inheritance, LIKE and typed tables get columns and keys from elsewhere.
        bool keys_elsewhere = field(node, "partbound") != nullptr || !list(node, "inhRelations").empty()
            || field(node, "ofTypename") != nullptr
            || (relation != nullptr && text(*relation, "relpersistence") == "t");
        bool has_primary_key = false;
        std::vector<std::pair<std::string, const Json*>> columns;
        std::vector<std::pair<std::string, const Json*>> key_columns;
        for (const auto& element : list(node, "tableElts")) {
            const std::string type = node_type(element);
            const Json& item = body(element);
            if (type == "ColumnDef") {
                column_style(item);
                columns.emplace_back(text(item, "colname"), &item);
                for (const auto& constraint : list(item, "constraints")) {
                    if (text(body(constraint), "contype") == "CONSTR_PRIMARY") {
                        has_primary_key = true;
                        key_columns.emplace_back(text(item, "colname"), &item);
                    }
                }
            } else if (type == "Constraint" && text(item, "contype") == "CONSTR_PRIMARY") {
                has_primary_key = true;
                for (const auto& key : list(item, "keys")) {
                    key_columns.emplace_back(text(body(key), "sval"), &element);
                }
            } else if (type == "TableLikeClause") {
                keys_elsewhere = true;
            }
        }
        for (const auto& [name, at] : key_columns) {
            const auto column = std::find_if(
                columns.begin(), columns.end(), [&name = name](const auto& entry) { return entry.first == name; });
            if (column != columns.end() && is_small_integer(type_name(*column->second))) {
                add("integer-primary-key", field(*column->second, "typeName"),
                    "primary key " + quoted(name) + " of table " + quoted(table)
                        + " is a 32-bit (or smaller) integer: " + "use bigint (GENERATED ALWAYS AS IDENTITY)");
            }
        }
        if (!has_primary_key && !keys_elsewhere) {
            // pg_dump adds keys after the data: decided at the end of the file.
            m_without_key[table] = { position(relation), m_index, "table-without-primary-key",
                "table " + quoted(table) + " has no primary key" };
        }
        m_tables.insert(table);
    }

    void create_index(const Json& node)
    {
        const Json* relation = field(node, "relation");
        const bool concurrent = flag(node, "concurrent");
        if (const std::string name = text(node, "idxname"); !name.empty()) {
            m_indexes.insert(name);
        }
        if (concurrent) {
            concurrently_in_transaction("CREATE INDEX CONCURRENTLY");
        } else if (!is_new(relation_name(relation))) {
            add("create-index-not-concurrently", relation,
                "CREATE INDEX on existing " + describe(relation)
                    + " blocks its writes (SHARE lock) for the whole build: use CREATE INDEX CONCURRENTLY in a -- "
                      "vidb:no-transaction migration");
        }
    }

    void concurrently_in_transaction(const std::string& what)
    {
        if (!m_no_transaction) {
            add("concurrently-in-transaction", nullptr,
                what
                    + " cannot run inside a transaction block, and this migration runs in one: put it in its own "
                      "migration with -- vidb:no-transaction");
        }
    }

    void drop(const Json& node)
    {
        const std::string type = text(node, "removeType");
        if (type == "OBJECT_INDEX") {
            if (flag(node, "concurrent")) {
                concurrently_in_transaction("DROP INDEX CONCURRENTLY");
                return;
            }
            for (const auto& object : list(node, "objects")) {
                const std::string name = last_name(list(body(object), "items"));
                if (!m_indexes.contains(name)) {
                    add("drop-index-not-concurrently", nullptr,
                        "DROP INDEX " + quoted(name)
                            + " takes ACCESS EXCLUSIVE on its table: use DROP INDEX CONCURRENTLY in a -- "
                              "vidb:no-transaction migration");
                }
            }
        } else if (type == "OBJECT_TABLE") {
            for (const auto& object : list(node, "objects")) {
                const std::string name = last_name(list(body(object), "items"));
                if (!is_new(name)) {
                    add("drop-table", nullptr,
                        "DROP TABLE " + quoted(name) + ": code still running against it breaks, and its data is gone");
                }
            }
        }
    }

    void reindex(const Json& node)
    {
        const auto& params = list(node, "params");
        const bool concurrent = std::any_of(params.begin(), params.end(),
            [](const Json& param) { return text(body(param), "defname") == "concurrently"; });
        if (concurrent) {
            concurrently_in_transaction("REINDEX CONCURRENTLY");
            return;
        }
        const std::string kind = text(node, "kind");
        if ((kind == "REINDEX_OBJECT_TABLE" || kind == "REINDEX_OBJECT_INDEX")
            && is_new(relation_name(field(node, "relation")))) {
            return;
        }
        add("reindex-not-concurrently", field(node, "relation"),
            "REINDEX blocks writes (and reads through the index) while it rebuilds: use REINDEX ... CONCURRENTLY in a "
            "-- "
            "vidb:no-transaction migration");
    }

    void vacuum(const Json& node)
    {
        const auto& options = list(node, "options");
        const bool full = std::any_of(
            options.begin(), options.end(), [](const Json& option) { return text(body(option), "defname") == "full"; });
        if (!flag(node, "is_vacuumcmd") || !full) {
            return;
        }
        const auto& relations = list(node, "rels");
        if (relations.empty()) {
            add("vacuum-full", nullptr, "VACUUM FULL rewrites every table of the database under ACCESS EXCLUSIVE");
        }
        for (const auto& relation : relations) {
            const Json* table = field(body(relation), "relation");
            if (!is_new(relation_name(table))) {
                add("vacuum-full", table, "VACUUM FULL rewrites " + describe(table) + " under ACCESS EXCLUSIVE");
            }
        }
    }

    void rename(const Json& node)
    {
        const std::string type = text(node, "renameType");
        const Json* relation = field(node, "relation");
        const std::string table = relation_name(relation);
        if (type == "OBJECT_TABLE") {
            if (is_new(table)) {
                m_tables.insert(text(node, "newname"));
            } else {
                add("rename-table", relation,
                    "renaming " + describe(relation) + " to " + quoted(text(node, "newname"))
                        + " breaks code still using the old name: expand/contract instead");
            }
        } else if (type == "OBJECT_COLUMN" && text(node, "relationType") == "OBJECT_TABLE" && !is_new(table)) {
            add("rename-column", relation,
                "renaming column " + quoted(text(node, "subname")) + " of " + describe(relation)
                    + " breaks code still using the old name: expand/contract instead");
        }
    }

    void unbounded(const Json& node, const std::string& verb)
    {
        const Json* relation = field(node, "relation");
        if (field(node, "whereClause") == nullptr && !is_new(relation_name(relation))) {
            add("update-without-where", relation,
                verb + " without WHERE touches every row of " + describe(relation)
                    + " in one transaction: batch it, or waive it with the reason");
        }
    }

    void enum_values(const Json& tree)
    {
        for (const auto& value : m_new_enum_values) {
            if (uses_string_constant(tree, value)) {
                add("enum-value-used-in-transaction", nullptr,
                    "uses enum value '" + value
                        + "' added earlier in this transactional migration: PostgreSQL refuses (unsafe use of new "
                          "value); add the value in its own migration");
                return;
            }
        }
    }

    void alter_table(const Json& node)
    {
        if (text(node, "objtype") != "OBJECT_TABLE") {
            return;
        }
        const Json* relation = field(node, "relation");
        const std::string table = relation_name(relation);
        const bool existing = !is_new(table);
        for (const auto& command : list(node, "cmds")) {
            const Json& cmd = body(command);
            const std::string subtype = text(cmd, "subtype");
            const Json* def = field(cmd, "def");
            const Json* column = def != nullptr && node_type(*def) == "ColumnDef" ? &body(*def) : nullptr;
            if (subtype == "AT_AddConstraint" && def != nullptr) {
                remember_not_null_check(table, body(*def));
            } else if (subtype == "AT_ValidateConstraint") {
                const auto check = m_null_checks.find({ table, text(cmd, "name") });
                if (check != m_null_checks.end()) {
                    m_proven_not_null.insert({ table, check->second });
                }
            }
            if (subtype == "AT_AddColumn" && column != nullptr) {
                column_style(*column);
                if (existing) {
                    add_column(*column, relation);
                }
            } else if (subtype == "AT_AlterColumnType" && column != nullptr) {
                column_style(*column);
                if (existing) {
                    add("alter-column-type", column,
                        "changing the type of column " + quoted(text(cmd, "name")) + " of " + describe(relation)
                            + " takes ACCESS EXCLUSIVE and usually rewrites it: expand/contract instead");
                }
            } else if (subtype == "AT_SetNotNull" && existing
                && !m_proven_not_null.contains({ table, text(cmd, "name") })) {
                add("set-not-null", relation,
                    "SET NOT NULL on column " + quoted(text(cmd, "name")) + " scans " + describe(relation)
                        + " under ACCESS EXCLUSIVE: add CHECK (" + quoted(text(cmd, "name"))
                        + " IS NOT NULL) NOT VALID, VALIDATE it, then SET NOT NULL");
            } else if (subtype == "AT_AddConstraint" && def != nullptr
                && text(body(*def), "contype") == "CONSTR_PRIMARY" && !existing) {
                m_without_key.erase(table);
            } else if (subtype == "AT_AddConstraint" && def != nullptr && existing) {
                add_constraint(body(*def), relation);
            } else if (subtype == "AT_DropColumn" && existing) {
                add("drop-column", relation,
                    "dropping column " + quoted(text(cmd, "name")) + " of " + describe(relation)
                        + " breaks code still using it");
            } else if (subtype == "AT_DetachPartition" && def != nullptr && flag(body(*def), "concurrent")) {
                concurrently_in_transaction("DETACH PARTITION CONCURRENTLY");
            }
        }
    }

    // CHECK (c IS NOT NULL): once validated, SET NOT NULL uses it instead of scanning
    // (PostgreSQL 12+), so the safe recipe raises nothing.
    void remember_not_null_check(const std::string& table, const Json& constraint)
    {
        const Json* expr = field(constraint, "raw_expr");
        const Json* test = expr != nullptr ? field(*expr, "NullTest") : nullptr;
        if (text(constraint, "contype") != "CONSTR_CHECK" || test == nullptr
            || text(*test, "nulltesttype") != "IS_NOT_NULL") {
            return;
        }
        const Json* arg = field(*test, "arg");
        const Json* ref = arg != nullptr ? field(*arg, "ColumnRef") : nullptr;
        if (ref == nullptr || list(*ref, "fields").size() != 1) {
            return;
        }
        const std::string column = text(body(list(*ref, "fields")[0]), "sval");
        if (!flag(constraint, "skip_validation")) {
            m_proven_not_null.insert({ table, column });
        } else if (const std::string name = text(constraint, "conname"); !name.empty()) {
            m_null_checks[{ table, name }] = column;
        }
    }

    void add_constraint(const Json& constraint, const Json* relation)
    {
        const std::string type = text(constraint, "contype");
        const std::string name = text(constraint, "conname");
        const std::string label = name.empty() ? std::string("a constraint") : "constraint " + name;
        if ((type == "CONSTR_FOREIGN" || type == "CONSTR_CHECK") && !flag(constraint, "skip_validation")) {
            add("constraint-without-not-valid", &constraint,
                "adding " + std::string(type == "CONSTR_FOREIGN" ? "foreign key " : "check ") + label + " to "
                    + describe(relation)
                    + " scans it under a lock that blocks writes: add it NOT VALID, then VALIDATE CONSTRAINT");
        } else if ((type == "CONSTR_PRIMARY" || type == "CONSTR_UNIQUE") && text(constraint, "indexname").empty()) {
            add("unique-constraint-without-index", &constraint,
                "adding " + std::string(type == "CONSTR_PRIMARY" ? "primary key " : "unique ") + label + " to "
                    + describe(relation)
                    + " builds its index under ACCESS EXCLUSIVE: CREATE UNIQUE INDEX CONCURRENTLY, then ADD "
                      "CONSTRAINT ... USING INDEX");
        }
    }

    void add_column(const Json& column, const Json* relation)
    {
        const std::string name = quoted(text(column, "colname"));
        const std::string where = "column " + name + " of " + describe(relation);
        bool not_null = false;
        bool has_default = false;
        bool generated = false;
        if (is_serial(type_name(column))) {
            add("add-serial-column", field(column, "typeName"),
                "adding serial " + where + " rewrites the table under ACCESS EXCLUSIVE");
            return;
        }
        for (const auto& item : list(column, "constraints")) {
            const Json& constraint = body(item);
            const std::string type = text(constraint, "contype");
            if (type == "CONSTR_NOTNULL") {
                not_null = true;
            } else if (type == "CONSTR_DEFAULT") {
                has_default = true;
                if (const std::string call = volatile_call(constraint); !call.empty()) {
                    add("add-column-volatile-default", &item,
                        std::string("adding ")
                            .append(where)
                            .append(" with volatile default ")
                            .append(call)
                            .append("() rewrites the table under ACCESS EXCLUSIVE: add it without the default, then "
                                    "set the "
                                    "default and backfill in batches"));
                }
            } else if (type == "CONSTR_IDENTITY") {
                generated = true;
                add("add-serial-column", &item,
                    "adding identity " + where + " rewrites the table under ACCESS EXCLUSIVE");
            } else if (type == "CONSTR_GENERATED") {
                generated = true;
                add("add-column-volatile-default", &item,
                    "adding stored generated " + where + " rewrites the table under ACCESS EXCLUSIVE");
            } else if (type == "CONSTR_PRIMARY" || type == "CONSTR_UNIQUE" || type == "CONSTR_FOREIGN"
                || type == "CONSTR_CHECK") {
                add_constraint(constraint, relation);
            }
        }
        if (not_null && !has_default && !generated) {
            add("add-column-not-null-without-default", &column,
                "adding NOT NULL " + where
                    + " without a default fails on any row: give it a constant DEFAULT, or add it nullable and "
                      "backfill");
        }
    }

    std::string_view m_sql;
    bool m_no_transaction;
    const ParsedStatement* m_statement = nullptr;
    std::size_t m_index = 0;
    std::set<std::string> m_tables; // created by this migration: new and empty
    std::set<std::string> m_indexes; // created by this migration
    std::set<std::string> m_enums; // created by this migration
    std::set<std::string> m_new_enum_values; // added to older enums in this transaction
    std::map<std::string, RawFinding> m_without_key; // new tables without a primary key so far
    std::map<std::pair<std::string, std::string>, std::string> m_null_checks; // (table, constraint) -> column
    std::set<std::pair<std::string, std::string>> m_proven_not_null; // (table, column) with a validated check
    std::vector<RawFinding> m_findings;
};

std::size_t line_of(std::string_view sql, std::size_t offset)
{
    return line_column(sql, offset).first;
}

// The statement a waiver comment belongs to: the one it trails on the same line, else
// the next one. statements.size() when none.
std::size_t waiver_target(std::string_view sql, const std::vector<ParsedStatement>& statements, std::size_t offset)
{
    const std::size_t line = line_of(sql, offset);
    for (std::size_t i = 0; i < statements.size(); ++i) {
        const auto& statement = statements[i];
        if (statement.end <= offset) {
            if (line_of(sql, statement.end) == line
                && (i + 1 == statements.size() || statements[i + 1].offset > offset)) {
                return i;
            }
            continue;
        }
        return i;
    }
    return statements.size();
}

} // namespace

std::vector<Finding> lint_migration(
    std::string_view file_name, std::string_view sql, bool no_transaction, const LintOptions& options)
{
    const std::vector<ParsedStatement> statements = parse_statements(sql);
    Linter linter(sql, no_transaction);
    for (std::size_t i = 0; i < statements.size(); ++i) {
        linter.statement(statements[i], i);
    }
    std::vector<RawFinding> raw = linter.take();

    // Waivers: valid ones silence their rule on their statement; bad ones are findings.
    std::set<std::pair<std::size_t, std::string>> waived;
    for (const Waiver& waiver : find_waivers(sql)) {
        const Rule* rule = find_rule(waiver.rule);
        if (rule == nullptr || waiver.rule == "invalid-waiver") {
            raw.push_back({ waiver.offset, statements.size(), "invalid-waiver",
                waiver.rule.empty() ? "-- vidb:allow names no rule: write -- vidb:allow <rule> <reason>"
                                    : "-- vidb:allow names unknown rule " + waiver.rule + " (see vidb lint --rules)" });
        } else if (waiver.reason.empty()) {
            raw.push_back({ waiver.offset, statements.size(), "invalid-waiver",
                "-- vidb:allow " + waiver.rule + " gives no reason: say why it is safe here" });
        } else {
            waived.insert({ waiver_target(sql, statements, waiver.offset), waiver.rule });
        }
    }

    std::vector<Finding> findings;
    for (auto& finding : raw) {
        if (waived.contains({ finding.statement, finding.rule })) {
            continue;
        }
        const Rule* rule = find_rule(finding.rule);
        const Severity severity = rule != nullptr ? rule->severity : Severity::error;
        if (severity < options.minimum) {
            continue;
        }
        const auto [line, column] = line_column(sql, finding.offset);
        findings.push_back(
            { std::string(file_name), line, column, finding.rule, severity, std::move(finding.message) });
    }
    std::stable_sort(findings.begin(), findings.end(),
        [](const Finding& a, const Finding& b) { return std::tie(a.line, a.column) < std::tie(b.line, b.column); });
    return findings;
}

} // namespace vidb::lint
