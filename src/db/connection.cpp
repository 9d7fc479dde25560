#include "db/connection.h"

#include "config/secrets.h"
#include "db/error.h"
#include "db/interrupt.h"

#include <libpq-fe.h>

#include <cstring>
#include <memory>
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

// What went wrong, from a libpq error that ends a connection: its first line without the
// severity ("FATAL:  terminating connection ...\nserver closed the connection ...").
std::string first_reason(const char* text)
{
    const std::string_view whole = text ? text : "";
    std::string_view reason = whole.substr(0, whole.find('\n'));
    for (const std::string_view severity : { "FATAL:  ", "ERROR:  " }) {
        if (reason.starts_with(severity)) {
            reason.remove_prefix(severity.size());
        }
    }
    return one_line(std::string(reason.empty() ? whole : reason));
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

} // namespace

Connection::Connection(pg_conn* raw)
    : m_raw(raw)
    , m_notices(std::make_unique<Notices>())
{
    PQsetNoticeReceiver(m_raw, notice_trampoline, m_notices.get());
}

Connection Connection::open(const std::string& conninfo, int connect_timeout_seconds)
{
    // expand_dbname=1 lets "dbname" carry a whole URI or keyword/value string;
    // later keywords only fill in what it does not set.
    const std::string timeout = std::to_string(connect_timeout_seconds);
    const char* keywords[] = { "dbname", "fallback_application_name", "client_encoding", "connect_timeout", nullptr };
    const char* values[] = { conninfo.c_str(), "vidb", "UTF8", timeout.c_str(), nullptr };
    if (conninfo.find("connect_timeout") != std::string::npos) {
        keywords[3] = nullptr;
    }
    pg_conn* raw = PQconnectdbParams(keywords, values, 1);
    if (raw == nullptr) {
        throw ConnectionError("out of memory while connecting");
    }
    if (PQstatus(raw) != CONNECTION_OK) {
        std::string message = one_line(PQerrorMessage(raw));
        PQfinish(raw);
        throw ConnectionError(message);
    }
    return Connection(raw);
}

Connection::Connection(Connection&& other) noexcept
    : m_raw(std::exchange(other.m_raw, nullptr))
    , m_notices(std::move(other.m_notices))
    , m_interruptible(std::exchange(other.m_interruptible, false))
{
}

Connection& Connection::operator=(Connection&& other) noexcept
{
    if (this != &other) {
        close();
        m_raw = std::exchange(other.m_raw, nullptr);
        m_notices = std::move(other.m_notices);
        m_interruptible = std::exchange(other.m_interruptible, false);
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
    if (m_interruptible) {
        clear_cancel_target();
    }
    // Detach the notice receiver before PQfinish: its target is about to go away.
    PQsetNoticeReceiver(
        m_raw, [](void*, const PGresult*) {}, nullptr);
    PQfinish(m_raw);
    m_raw = nullptr;
}

void Connection::make_interruptible()
{
    set_cancel_target(PQgetCancel(m_raw));
    m_interruptible = true;
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
    if (server.message.empty()) {
        server.message = first_reason(PQerrorMessage(m_raw));
    }
    // Class 08 and shutdown codes mean the server or the network went away.
    const bool lost = dead || server.sqlstate.starts_with("08") || server.sqlstate == "57P01"
        || server.sqlstate == "57P02" || server.sqlstate == "57P03";
    if (lost) {
        throw ConnectionError("lost the connection to the database: " + server.message);
    }
    throw SqlError(std::move(server));
}

Result Connection::exec(std::string_view sql)
{
    const std::string text(sql);
    PGresult* raw = PQexec(m_raw, text.c_str());
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
