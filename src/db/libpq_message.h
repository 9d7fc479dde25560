#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace vidb::db {

// A libpq error message taken apart for display and classification. libpq writes
// several lines ("connection to server ... failed: Connection refused\n\tIs the server
// running ...?"); they are kept, not cut: the first is the headline, the others are
// detail lines (a sentence libpq wrapped over tab-indented lines is joined again).
struct LibpqMessage {
    std::string headline;
    std::vector<std::string> details;
    // The server's SQLSTATE when the message carries one: libpq prints it after the
    // severity at PQERRORS_VERBOSE ("FATAL:  28P01: password authentication failed").
    // It is removed from the headline. Empty when libpq itself failed (no server reply).
    std::string sqlstate;
};

// Takes `text` apart; LOCATION lines (server source positions) are left out.
LibpqMessage parse_libpq_message(std::string_view text);

} // namespace vidb::db
