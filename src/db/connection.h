#pragma once

#include "db/result.h"

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

struct pg_conn;

namespace vidb::db {

using NoticeHandler = std::function<void(const std::string& message)>;

// An open libpq connection. Move-only; the destructor closes it and never throws.
class Connection {
public:
    // Connects (libpq expands URIs, keyword/value strings, PG* variables and ~/.pgpass).
    // The attempt lasts at most the string's connect_timeout (else `default_timeout`),
    // and never longer than `at_most`. Throws ConnectionError (classified by SQLSTATE)
    // with a password-free headline and libpq's further lines as details.
    static Connection open(const std::string& conninfo, std::chrono::milliseconds default_timeout,
        std::chrono::milliseconds at_most = std::chrono::milliseconds::max());
    static Connection open(const std::string& conninfo, int connect_timeout_seconds = 10);

    Connection(Connection&& other) noexcept;
    Connection& operator=(Connection&& other) noexcept;
    Connection(const Connection&) = delete;
    Connection& operator=(const Connection&) = delete;
    ~Connection();

    // Runs one query string (it may hold several statements: one round trip).
    // Throws SqlError, or ConnectionError when the connection is gone.
    Result exec(std::string_view sql);
    Result exec_params(std::string_view sql, const std::vector<std::optional<std::string>>& params);

    std::string quote_literal(std::string_view text) const;
    std::string quote_identifier(std::string_view text) const;

    // After a failed statement inside BEGIN ... COMMIT: roll back; never throws.
    void rollback_if_in_transaction() noexcept;
    bool in_transaction() const;

    int server_version() const; // e.g. 150018
    std::string server_version_text() const;
    // A setting the server reports whenever it changes (standard_conforming_strings,
    // client_encoding, ...): no round trip. Empty when not reported.
    std::string parameter_status(const char* name) const;
    std::string database() const;
    std::string user() const;
    std::string host() const; // host name, address or socket directory
    std::string port() const;
    int backend_pid() const;
    bool uses_ssl() const;

    // Server notices (RAISE NOTICE, warnings) go here instead of stderr.
    void set_notice_handler(NoticeHandler handler);
    // SIGINT/SIGTERM cancel the query this connection is running: it takes the signal over
    // from the connection that had it until it closes, which hands it back (interrupt.h).
    void make_interruptible();

    struct Notices;

private:
    explicit Connection(pg_conn* raw);
    void close() noexcept;
    [[noreturn]] void throw_failure(void* result);
    // After PQexec stopped at a COPY: leaves COPY mode; returns the last result or throws.
    void* finish_copy(void* first);

    pg_conn* m_raw = nullptr;
    std::unique_ptr<Notices> m_notices; // heap-held: its address is libpq's callback argument
    void* m_cancel = nullptr; // PGcancel*, registered in interrupt.h while interruptible
};

// A transaction guard fit for vidb's one-round-trip strings: the string sent carries its
// own BEGIN … COMMIT, so the guard sends neither. On scope exit it rolls back whatever
// transaction is still open (an error aborted the string before its COMMIT, or an
// exception left it half done), unless commit() ran. Declare it inside the `try` so the
// rollback has happened by the time the `catch` reports the error.
class Transaction {
public:
    explicit Transaction(Connection& connection);
    Transaction(const Transaction&) = delete;
    Transaction& operator=(const Transaction&) = delete;
    ~Transaction();
    // Commits a transaction still open (nothing to do when the string committed it) and
    // disarms the guard.
    void commit();

private:
    Connection& m_connection;
    bool m_done = false;
};

} // namespace vidb::db
