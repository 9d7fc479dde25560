#include "selftest/builtin_checks.h"

#include "common/error.h"

#include <fmt/format.h>

namespace vidb::selftest {

namespace {

int server_pid(db::Connection& connection)
{
    return static_cast<int>(connection.exec("SELECT pg_backend_pid()").get_int(0, 0));
}

// Whether server connections are handed from client to client between transactions.
// PgBouncer reuses the most recently released server connection, so a second client's
// first query lands on the backend the first client just released; in session pooling
// that backend stays bound to the first client and never shows up elsewhere.
std::optional<bool> shares_backends(db::Connection& connection, const db::Conninfo& conninfo, int first_pid)
{
    try {
        db::Connection other = db::Connection::open(conninfo.text);
        const int other_pid = server_pid(other);
        const int again = server_pid(connection);
        if (other_pid == first_pid || again != first_pid) {
            return true;
        }
        return std::nullopt; // session pooling, or a busy transaction pool: cannot tell
    } catch (const Error&) {
        return std::nullopt;
    }
}

} // namespace

Outcome check_pooler(db::Connection& connection, const db::Conninfo& conninfo)
{
    // libpq learns a backend pid from the server's BackendKeyData at connect. A pooler
    // answers the connection itself and makes one up (PgBouncer, Odyssey, PgCat do), so it
    // differs from the pid of the backend that runs our queries. Direct connections and
    // plain TCP forwards (a container port mapping) pass the server's own through.
    const int client_pid = connection.backend_pid();
    const auto row = connection.exec("SELECT pg_backend_pid(), inet_server_port(), current_setting('port')");
    const int pid = static_cast<int>(row.get_int(0, 0));
    const std::string listen_port = row.is_null(0, 1) ? std::string(row.get(0, 2)) : std::string(row.get(0, 1));
    const std::string connected_port = connection.port();
    std::vector<std::string> details;
    if (!connected_port.empty() && connected_port != listen_port) {
        details.push_back(fmt::format("connected to port {}, the server listens on {}", connected_port, listen_port));
    }
    if (client_pid == pid) {
        if (!details.empty()) {
            details.back() += ": a port forward (container mapping or TCP proxy), not a pooler";
        }
        return passed("none: a direct connection to the server", details);
    }
    details.insert(details.begin(),
        fmt::format("the backend pid libpq got at connect ({}) is not the server's ({}): a "
                    "proxy answered the connection",
            client_pid, pid));
    const auto shared = shares_backends(connection, conninfo, pid);
    if (shared.value_or(false)) {
        details.push_back("session state (SET, advisory locks, prepared statements, temporary tables) does not survive "
                          "a transaction; vidb's migration lock is a table row and each migration one transaction, "
                          "so migrate is safe through it");
        return passed("transaction pooling detected (PgBouncer pool_mode=transaction or alike)", details);
    }
    return passed("a connection pooler sits in between (session pooling, or too busy to tell)", details);
}

} // namespace vidb::selftest
