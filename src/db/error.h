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

// Why a connection attempt failed, from the server's SQLSTATE and libpq's state, never
// from the wording of a message (the server translates its messages: lc_messages).
enum class ConnectFailure {
    other, // the server or network went away, or nothing better is known
    unreachable, // no answer: refused, no such socket, host down (waiting may help)
    timeout, // no answer in time (waiting may help)
    starting, // the server is starting up or shutting down: 57P03 (waiting helps)
    credentials, // wrong or missing password, unknown role, pg_hba.conf: 28P01, 28000
    no_database, // 3D000
    bad_option, // libpq refused a setting before connecting ("invalid port number")
    unknown_host, // the host name does not resolve
};

// Could not connect, or the connection broke: exit code 3.
class ConnectionError : public Error {
public:
    explicit ConnectionError(const std::string& message, std::vector<std::string> details = {},
        ConnectFailure failure = ConnectFailure::other, std::string sqlstate = "")
        : Error(ExitCode::unreachable, message, std::move(details))
        , m_failure(failure)
        , m_sqlstate(std::move(sqlstate))
    {
    }
    ConnectFailure failure() const { return m_failure; }
    // The server's SQLSTATE for the failure, "" when the server sent none.
    const std::string& sqlstate() const { return m_sqlstate; }
    // Waiting will not cure it: the credentials or the host name are wrong.
    bool is_final() const
    {
        return m_failure == ConnectFailure::credentials || m_failure == ConnectFailure::unknown_host
            || m_failure == ConnectFailure::bad_option;
    }

private:
    ConnectFailure m_failure;
    std::string m_sqlstate;
};

} // namespace vidb::db
