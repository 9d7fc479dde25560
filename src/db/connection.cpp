#include "db/connection.h"

#include "config/secrets.h"
#include "db/error.h"
#include "db/interrupt.h"
#include "db/libpq_message.h"

#include <fmt/format.h>
#include <libpq-fe.h>
#include <poll.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <optional>
#include <utility>

namespace vidb::db {

struct Connection::Notices {
    NoticeHandler handler;
};

namespace {

// libpq messages span lines ("connection to server ... failed: ...\n\tIs the server running...").
std::string one_line(std::string text)
{
    std::string out;
    bool space = false;
    for (const char c : text) {
        if (c == '\n' || c == '\t' || c == '\r') {
            space = !out.empty();
            continue;
        }
        if (space) {
            out += ' ';
            space = false;
        }
        out += c;
    }
    return config::redact(out);
}

// "terminating connection ..." from "FATAL:  terminating connection ...".
std::string without_severity(std::string_view line)
{
    for (const std::string_view severity : { "FATAL:  ", "ERROR:  " }) {
        if (line.starts_with(severity)) {
            line.remove_prefix(severity.size());
        }
    }
    return std::string(line);
}

std::string field(const PGresult* result, int code)
{
    const char* value = PQresultErrorField(result, code);
    return value ? config::redact(value) : std::string();
}

void notice_trampoline(void* arg, const PGresult* result)
{
    auto* notices = static_cast<Connection::Notices*>(arg);
    std::string message = field(result, PG_DIAG_MESSAGE_PRIMARY);
    if (notices != nullptr && notices->handler) {
        notices->handler(field(result, PG_DIAG_SEVERITY) + ": " + message);
    }
}

struct ResultDeleter {
    void operator()(PGresult* r) const noexcept { PQclear(r); }
};
using OwnedResult = std::unique_ptr<PGresult, ResultDeleter>;

using clock = std::chrono::steady_clock;

// connect_timeout of the connection string (or PGCONNECT_TIMEOUT), read from libpq's
// parse of it: a password that happens to contain "connect_timeout" is just a password.
// Nothing when unset; 0 (libpq: wait forever) gives the longest duration.
std::optional<std::chrono::milliseconds> user_connect_timeout(const std::string& conninfo)
{
    char* error = nullptr;
    std::unique_ptr<PQconninfoOption, decltype(&PQconninfoFree)> options(
        PQconninfoParse(conninfo.c_str(), &error), PQconninfoFree);
    PQfreemem(error);
    std::string value;
    for (const PQconninfoOption* option = options.get(); option && option->keyword != nullptr; ++option) {
        if (std::string_view(option->keyword) == "connect_timeout" && option->val != nullptr) {
            value = option->val;
        }
    }
    if (value.empty()) {
        const char* from_env = std::getenv("PGCONNECT_TIMEOUT");
        value = from_env ? from_env : "";
    }
    int seconds = 0;
    const auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), seconds);
    if (value.empty() || ec != std::errc {} || end != value.data() + value.size()) {
        return std::nullopt;
    }
    if (seconds <= 0) {
        return std::chrono::milliseconds::max();
    }
    return std::chrono::seconds(std::max(seconds, 2)); // libpq's own minimum
}

// Drives PQconnectPoll until the connection is made or failed: false when `deadline`
// passed first. Our own loop (not PQconnectdb) so that the deadline holds for the whole
// attempt, however the host behaves, and Ctrl-C stops it within 100 ms.
bool finish_connecting(pg_conn* raw, clock::time_point deadline)
{
    auto state = PGRES_POLLING_WRITING; // libpq's rule for the first wait
    while (PQstatus(raw) != CONNECTION_BAD && state != PGRES_POLLING_OK && state != PGRES_POLLING_FAILED) {
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - clock::now());
        if (left.count() <= 0) {
            return false;
        }
        pollfd fd {};
        fd.fd = PQsocket(raw);
        fd.events = state == PGRES_POLLING_READING ? POLLIN : POLLOUT;
        const int ready = fd.fd < 0 ? 1 : ::poll(&fd, 1, static_cast<int>(std::min<long long>(left.count(), 100)));
        if (interrupted_signal() != 0) {
            PQfinish(raw);
            throw_if_interrupted("stopped while connecting");
        }
        // Only when the socket is ready (or there is none): polling a connect() still in
        // progress would read its unfinished state as success. A signal (EINTR) loops.
        if (ready > 0) {
            state = PQconnectPoll(raw);
        }
    }
    return true;
}

// What a failed connection attempt tells: classified by the server's SQLSTATE and
// libpq's state, not by the wording of the message (the server translates that).
ConnectionError connect_failure(pg_conn* raw, bool timed_out, std::chrono::milliseconds limit)
{
    const char* host_text = PQhost(raw);
    const char* port_text = PQport(raw);
    const std::string host = host_text ? host_text : "";
    const std::string port = port_text ? port_text : "";
    if (timed_out) {
        const double seconds = std::round(std::chrono::duration<double>(limit).count() * 10) / 10;
        return ConnectionError(fmt::format("no answer from the server at {}{} within {:g} s", host.empty() ? "?" : host,
                                   port.empty() ? "" : ":" + port, seconds),
            {}, ConnectFailure::timeout);
    }
    LibpqMessage message = parse_libpq_message(PQerrorMessage(raw));
    // Quoted values in libpq's text that hold the password are masked, by position; the
    // user, database and host names are what they are even if the password is the same.
    const char* password = PQpass(raw);
    const char* user = PQuser(raw);
    const char* dbname = PQdb(raw);
    const std::vector<std::string> names { user ? user : "", dbname ? dbname : "", host };
    const auto clean = [&](const std::string& text) {
        return config::redact(config::mask_quoted_secret(text, password ? password : "", names));
    };
    std::vector<std::string> details;
    for (const auto& line : message.details) {
        details.push_back(clean(line));
    }
    ConnectFailure failure = ConnectFailure::other;
    const std::string& code = message.sqlstate;
    if (code == "28P01" || code == "28000" || PQconnectionNeedsPassword(raw) != 0) {
        failure = ConnectFailure::credentials;
    } else if (code == "3D000") {
        failure = ConnectFailure::no_database;
    } else if (code == "57P03") {
        failure = ConnectFailure::starting;
    } else if (!code.empty()) {
        failure = ConnectFailure::other;
    } else if (message.headline.starts_with("invalid ") || message.headline.starts_with("could not match ")) {
        // libpq's own checks of a setting, before any server was asked. libpq's messages are
        // English here: vidb never calls setlocale(), so libpq's gettext stays in "C".
        failure = ConnectFailure::bad_option;
    } else if (message.headline.find("could not translate host name") != std::string::npos) {
        failure = ConnectFailure::unknown_host;
    } else if (message.headline.ends_with("Connection refused")
        || message.headline.ends_with("No such file or directory")) {
        failure = ConnectFailure::unreachable;
    }
    return ConnectionError(
        clean(message.headline.empty() ? "connection failed" : message.headline), std::move(details), failure, code);
}

} // namespace

Connection::Connection(pg_conn* raw)
    : m_raw(raw)
    , m_notices(std::make_unique<Notices>())
{
    PQsetNoticeReceiver(m_raw, notice_trampoline, m_notices.get());
}

Connection Connection::open(const std::string& conninfo, int connect_timeout_seconds)
{
    return open(conninfo, std::chrono::seconds(connect_timeout_seconds));
}

Connection Connection::open(
    const std::string& conninfo, std::chrono::milliseconds default_timeout, std::chrono::milliseconds at_most)
{
    const auto limit = std::min(user_connect_timeout(conninfo).value_or(default_timeout), at_most);
    // expand_dbname=1 lets "dbname" carry a whole URI or keyword/value string;
    // later keywords only fill in what it does not set.
    const char* keywords[] = { "dbname", "fallback_application_name", "client_encoding", nullptr };
    const char* values[] = { conninfo.c_str(), "vidb", "UTF8", nullptr };
    pg_conn* raw = PQconnectStartParams(keywords, values, 1);
    if (raw == nullptr) {
        throw ConnectionError("out of memory while connecting");
    }
    // The server's SQLSTATE reaches only the message text, and only at this verbosity.
    PQsetErrorVerbosity(raw, PQERRORS_VERBOSE);
    const auto now = clock::now();
    const auto deadline = limit >= std::chrono::duration_cast<std::chrono::milliseconds>(clock::time_point::max() - now)
        ? clock::time_point::max()
        : now + limit;
    const bool timed_out = !finish_connecting(raw, deadline);
    if (PQstatus(raw) != CONNECTION_OK || timed_out) {
        const ConnectionError error = connect_failure(raw, timed_out, limit);
        PQfinish(raw);
        throw error;
    }
    PQsetErrorVerbosity(raw, PQERRORS_DEFAULT);
    return Connection(raw);
}

Connection::Connection(Connection&& other) noexcept
    : m_raw(std::exchange(other.m_raw, nullptr))
    , m_notices(std::move(other.m_notices))
    , m_cancel(std::exchange(other.m_cancel, nullptr))
{
}

Connection& Connection::operator=(Connection&& other) noexcept
{
    if (this != &other) {
        close();
        m_raw = std::exchange(other.m_raw, nullptr);
        m_notices = std::move(other.m_notices);
        m_cancel = std::exchange(other.m_cancel, nullptr);
    }
    return *this;
}

Connection::~Connection()
{
    close();
}

void Connection::close() noexcept
{
    if (m_raw == nullptr) {
        return;
    }
    if (m_cancel != nullptr) {
        release_cancel_target(std::exchange(m_cancel, nullptr)); // before PQfinish: no cancel of a closed one
    }
    // Detach the notice receiver before PQfinish: its target is about to go away.
    PQsetNoticeReceiver(
        m_raw, [](void*, const PGresult*) {}, nullptr);
    PQfinish(m_raw);
    m_raw = nullptr;
}

void Connection::make_interruptible()
{
    if (m_cancel == nullptr) {
        m_cancel = PQgetCancel(m_raw);
        take_cancel_target(m_cancel);
    }
}

void Connection::set_notice_handler(NoticeHandler handler)
{
    m_notices->handler = std::move(handler);
}

void Connection::throw_failure(void* raw_result)
{
    OwnedResult result(static_cast<PGresult*>(raw_result));
    const bool dead = PQstatus(m_raw) == CONNECTION_BAD;
    ServerError server;
    if (result) {
        server.sqlstate = field(result.get(), PG_DIAG_SQLSTATE);
        server.severity = field(result.get(), PG_DIAG_SEVERITY);
        server.message = field(result.get(), PG_DIAG_MESSAGE_PRIMARY);
        server.detail = field(result.get(), PG_DIAG_MESSAGE_DETAIL);
        server.hint = field(result.get(), PG_DIAG_MESSAGE_HINT);
        server.context = field(result.get(), PG_DIAG_CONTEXT);
        server.constraint = field(result.get(), PG_DIAG_CONSTRAINT_NAME);
        const std::string position = field(result.get(), PG_DIAG_STATEMENT_POSITION);
        server.position = position.empty() ? 0 : std::atoi(position.c_str());
    }
    std::vector<std::string> details; // libpq's further lines, kept whole
    if (server.message.empty()) {
        const LibpqMessage message = parse_libpq_message(PQerrorMessage(m_raw));
        server.message = config::redact(without_severity(message.headline));
        for (const auto& line : message.details) {
            details.push_back(config::redact(line));
        }
    }
    // Class 08 and shutdown codes mean the server or the network went away.
    const bool lost = dead || server.sqlstate.starts_with("08") || server.sqlstate == "57P01"
        || server.sqlstate == "57P02" || server.sqlstate == "57P03";
    if (lost) {
        throw ConnectionError("lost the connection to the database: " + server.message, std::move(details),
            ConnectFailure::other, server.sqlstate);
    }
    throw SqlError(std::move(server));
}

namespace {

bool is_copy(ExecStatusType status)
{
    return status == PGRES_COPY_IN || status == PGRES_COPY_OUT || status == PGRES_COPY_BOTH;
}

} // namespace

// PQexec stops at a COPY and leaves the connection in COPY mode: every later query would
// fail ("another command is already in progress"), releasing the migration lock too.
// COPY FROM STDIN: fail it (the server aborts the rest of the query string, so a
// transaction rolls back) and report a clear error. COPY TO STDOUT: the rest of the
// string runs on (and may commit), so its rows are read and dropped and the outcome is
// that of the statements after it, as PQexec's would be without the COPY.
void* Connection::finish_copy(void* first)
{
    OwnedResult result(static_cast<PGresult*>(first));
    bool copy_in = false;
    OwnedResult failure;
    while (result) {
        const auto status = PQresultStatus(result.get());
        if (status == PGRES_COPY_IN || status == PGRES_COPY_BOTH) {
            copy_in = true;
            PQputCopyEnd(m_raw, "vidb sends no COPY data");
        } else if (status == PGRES_COPY_OUT) {
            char* row = nullptr;
            while (PQgetCopyData(m_raw, &row, 0) > 0) {
                PQfreemem(row);
            }
        } else if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK && status != PGRES_EMPTY_QUERY) {
            if (!failure) {
                failure = std::move(result);
            }
        }
        OwnedResult next(PQgetResult(m_raw));
        if (!next) {
            break;
        }
        result = std::move(next);
    }
    if (PQstatus(m_raw) == CONNECTION_BAD) {
        throw_failure(failure.release());
    }
    if (copy_in) {
        ServerError server;
        server.sqlstate = "0A000"; // feature_not_supported; the server's own is 57014, a cancel
        server.severity = "ERROR";
        server.message = "COPY ... FROM STDIN needs rows that vidb does not send";
        server.hint = "load the rows with INSERT statements (pg_dump --inserts) or COPY ... FROM a file on the server";
        throw SqlError(std::move(server));
    }
    if (failure) {
        throw_failure(failure.release());
    }
    return result.release();
}

Result Connection::exec(std::string_view sql)
{
    const std::string text(sql);
    PGresult* raw = PQexec(m_raw, text.c_str());
    if (raw != nullptr && is_copy(PQresultStatus(raw))) {
        raw = static_cast<PGresult*>(finish_copy(raw));
    }
    const auto status = raw ? PQresultStatus(raw) : PGRES_FATAL_ERROR;
    if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK && status != PGRES_EMPTY_QUERY) {
        throw_failure(raw);
    }
    return Result(raw);
}

Result Connection::exec_params(std::string_view sql, const std::vector<std::optional<std::string>>& params)
{
    const std::string text(sql);
    std::vector<const char*> values;
    values.reserve(params.size());
    for (const auto& param : params) {
        values.push_back(param ? param->c_str() : nullptr);
    }
    PGresult* raw = PQexecParams(
        m_raw, text.c_str(), static_cast<int>(values.size()), nullptr, values.data(), nullptr, nullptr, 0);
    const auto status = raw ? PQresultStatus(raw) : PGRES_FATAL_ERROR;
    if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
        throw_failure(raw);
    }
    return Result(raw);
}

std::string Connection::quote_literal(std::string_view text) const
{
    std::unique_ptr<char, decltype(&PQfreemem)> quoted(PQescapeLiteral(m_raw, text.data(), text.size()), PQfreemem);
    if (!quoted) {
        throw Error(ExitCode::failure, "cannot quote a literal: " + one_line(PQerrorMessage(m_raw)));
    }
    return quoted.get();
}

std::string Connection::quote_identifier(std::string_view text) const
{
    std::unique_ptr<char, decltype(&PQfreemem)> quoted(PQescapeIdentifier(m_raw, text.data(), text.size()), PQfreemem);
    if (!quoted) {
        throw Error(ExitCode::failure, "cannot quote an identifier: " + one_line(PQerrorMessage(m_raw)));
    }
    return quoted.get();
}

void Connection::rollback_if_in_transaction() noexcept
{
    if (m_raw == nullptr || PQstatus(m_raw) != CONNECTION_OK) {
        return;
    }
    const auto state = PQtransactionStatus(m_raw);
    if (state == PQTRANS_INTRANS || state == PQTRANS_INERROR) {
        PQclear(PQexec(m_raw, "ROLLBACK"));
    }
}

bool Connection::in_transaction() const
{
    const auto state = PQtransactionStatus(m_raw);
    return state == PQTRANS_INTRANS || state == PQTRANS_INERROR;
}

int Connection::server_version() const
{
    return PQserverVersion(m_raw);
}

std::string Connection::server_version_text() const
{
    const char* value = PQparameterStatus(m_raw, "server_version");
    return value ? value : "";
}

std::string Connection::parameter_status(const char* name) const
{
    const char* value = PQparameterStatus(m_raw, name);
    return value ? value : "";
}

std::string Connection::database() const
{
    return PQdb(m_raw);
}

std::string Connection::user() const
{
    return PQuser(m_raw);
}

std::string Connection::host() const
{
    return PQhost(m_raw);
}

std::string Connection::port() const
{
    return PQport(m_raw);
}

int Connection::backend_pid() const
{
    return PQbackendPID(m_raw);
}

bool Connection::uses_ssl() const
{
    return PQsslInUse(m_raw) != 0;
}

Transaction::Transaction(Connection& connection)
    : m_connection(connection)
{
}

Transaction::~Transaction()
{
    if (!m_done) {
        m_connection.rollback_if_in_transaction();
    }
}

void Transaction::commit()
{
    if (m_connection.in_transaction()) {
        m_connection.exec("COMMIT");
    }
    m_done = true;
}

} // namespace vidb::db
