#pragma once

#include "db/connection.h"
#include "migrate/index_statement.h"

#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace vidb::migrate {

// CREATE INDEX CONCURRENTLY, REINDEX CONCURRENTLY and DROP INDEX CONCURRENTLY that fail
// (lock_timeout, a duplicate key, a cancel) leave an INVALID index behind: it exists, so
// `IF NOT EXISTS` skips it on a rerun, but the planner never uses it. vidb looks for them
// after a failed no-transaction statement and before resuming one.

// The oids of the indexes that are INVALID now.
std::set<std::string> invalid_index_oids(db::Connection& connection);

// Schema-qualified, quoted names of the INVALID indexes whose oid is not in `before`.
std::vector<std::string> new_invalid_indexes(db::Connection& connection, const std::set<std::string>& before);

// Of `names` (schema-qualified) and the index `created` names, those that exist and are
// INVALID, schema-qualified and quoted.
std::vector<std::string> still_invalid(
    db::Connection& connection, const std::vector<std::string>& names, const std::optional<CreatedIndex>& created);

// "DROP INDEX CONCURRENTLY public.accounts_email_idx;"
std::string drop_statement(const std::string& qualified_name);

} // namespace vidb::migrate
