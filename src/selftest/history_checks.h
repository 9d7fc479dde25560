#pragma once

#include "migrate/catalog.h"
#include "migrate/history.h"
#include "selftest/check_result.h"

#include <string>

namespace vidb::selftest {

// The history as read once for all the history checks; `error` is set when it could
// not be read (e.g. no privilege on the table).
struct HistoryView {
    std::string table; // as shown to the user
    std::string schema;
    bool read = false;
    std::string error;
    migrate::HistorySnapshot snapshot;
};

HistoryView read_history(migrate::History& history, db::Connection& connection);

Outcome check_history_table(const HistoryView& view, const migrate::Catalog& catalog);
Outcome check_all_applied(const HistoryView& view, const migrate::Catalog& catalog);
Outcome check_no_unknown(const HistoryView& view, const migrate::Catalog& catalog);
Outcome check_no_drift(const HistoryView& view, const migrate::Catalog& catalog);
Outcome check_no_partial(const HistoryView& view, const migrate::Catalog& catalog);

} // namespace vidb::selftest
