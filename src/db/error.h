#pragma once

#include "common/error.h"

#include <string>

namespace vidb::db {

// Everything the server said about a failed statement (libpqxx keeps the same fields).
struct ServerError {
    std::string sqlstate;
    std::string severity;
    std::string message;
    std::string detail;
    std::string hint;
    std::string context;
    std::string constraint;
    int position = 0; // 1-based character position in the sent query, 0 when none
};

// A statement failed. Class 08 (connection exception) and a dead connection are
// ConnectionError instead.
class SqlError : public Error {
public:
    explicit SqlError(ServerError server)
        : Error(ExitCode::failure, server.message)
        , m_server(std::move(server))
    {
    }
    const ServerError& server() const { return m_server; }
    const std::string& sqlstate() const { return m_server.sqlstate; }
    // 40001 serialization failure, 40P01 deadlock: safe to retry the transaction.
    bool retryable() const { return m_server.sqlstate == "40001" || m_server.sqlstate == "40P01"; }
    bool lock_timeout() const { return m_server.sqlstate == "55P03"; }
    bool canceled() const { return m_server.sqlstate == "57014"; }

private:
    ServerError m_server;
};

// Could not connect, or the connection broke: exit code 3.
class ConnectionError : public Error {
public:
    explicit ConnectionError(const std::string& message, std::vector<std::string> details = {})
        : Error(ExitCode::unreachable, message, std::move(details))
    {
    }
};

} // namespace vidb::db
