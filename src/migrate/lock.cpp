#include "migrate/lock.h"

#include "common/error.h"
#include "db/error.h"
#include "db/interrupt.h"
#include "migrate/session.h"

#include <random>

namespace vidb::migrate {

namespace {

std::string random_token()
{
    std::random_device device;
    std::uniform_int_distribution<unsigned long long> distribution;
    return std::to_string(distribution(device)) + std::to_string(distribution(device));
}

} // namespace

MigrationLock::MigrationLock(History& history, LockOptions options)
    : m_history(history)
    , m_options(std::move(options))
    , m_owner(random_token())
{
}

MigrationLock::~MigrationLock()
{
    release();
}

void MigrationLock::acquire(const LockWaitReporter& report_wait)
{
    using clock = std::chrono::steady_clock;
    auto& connection = m_history.connection();
    const auto started = clock::now();
    auto last_report = clock::time_point {};
    std::mt19937 jitter(std::random_device {}());
    auto delay = std::chrono::milliseconds(50);
    const std::string insert = "INSERT INTO " + m_history.lock_table()
        + " (id, owner, holder) VALUES (1, $1, $2) ON CONFLICT (id) DO NOTHING";
    for (;;) {
        db::throw_if_interrupted();
        try {
            if (connection.exec_params(insert, { m_owner, m_options.holder }).affected() == 1) {
                break;
            }
        } catch (const db::SqlError& error) {
            auto details = privilege_advice(connection, error, "taking its migration lock", m_history.schema());
            if (details.empty()) {
                throw;
            }
            details.push_back("nothing was changed");
            throw Error(ExitCode::failure,
                "cannot take the migration lock (" + m_history.lock_table() + "): " + error.server().message, details);
        }
        const auto current = connection.exec("SELECT owner, holder, to_char(acquired_at, 'YYYY-MM-DD HH24:MI:SS TZ'), "
                                             "extract(epoch from clock_timestamp() - heartbeat_at)::float8 FROM "
            + m_history.lock_table() + " WHERE id = 1");
        if (current.rows() == 0) {
            continue; // released between our two statements
        }
        const std::string owner(current.get(0, 0));
        const double silent_for = std::strtod(std::string(current.get(0, 3)).c_str(), nullptr);
        if (silent_for > static_cast<double>(m_options.stale_after.count())) {
            // The holder stopped heart-beating: presumed dead (killed, host gone). Take over.
            connection.exec_params("DELETE FROM " + m_history.lock_table() + " WHERE id = 1 AND owner = $1", { owner });
            report_wait(std::string(current.get(0, 1)) + " (silent " + std::to_string(static_cast<int>(silent_for))
                    + " s, presumed dead: taking the lock over)",
                std::string(current.get(0, 2)), silent_for);
            continue;
        }
        const auto now = clock::now();
        if (now - last_report >= std::chrono::seconds(10)) {
            report_wait(std::string(current.get(0, 1)), std::string(current.get(0, 2)), silent_for);
            last_report = now;
        }
        if (now - started >= m_options.wait_timeout) {
            throw Error(ExitCode::timeout,
                "gave up waiting for the migration lock after "
                    + std::to_string(std::chrono::duration_cast<std::chrono::seconds>(now - started).count())
                    + " s; it is held by " + std::string(current.get(0, 1)) + " since "
                    + std::string(current.get(0, 2)),
                { "wait longer with --lock-wait-timeout, or, if that process is gone, it is taken over once "
                  "silent for "
                    + std::to_string(m_options.stale_after.count()) + " s" });
        }
        std::uniform_int_distribution<int> spread(0, static_cast<int>(delay.count() / 2));
        std::this_thread::sleep_for(delay + std::chrono::milliseconds(spread(jitter)));
        delay = std::min(delay * 2, std::chrono::milliseconds(1000));
    }
    m_held = true;
    m_stop = false;
    m_heartbeat = std::thread([this] { heartbeat_loop(); });
}

void MigrationLock::heartbeat_loop()
{
    const auto interval
        = std::max(std::chrono::milliseconds(m_options.stale_after) / 5, std::chrono::milliseconds(200));
    std::unique_ptr<db::Connection> connection; // opened on the first beat: short runs never need it
    std::unique_lock guard(m_mutex);
    while (!m_wake.wait_for(guard, interval, [this] { return m_stop; })) {
        guard.unlock();
        try {
            if (!connection) {
                connection = std::make_unique<db::Connection>(db::Connection::open(m_options.conninfo));
            }
            const auto updated = connection->exec_params("UPDATE " + m_history.lock_table()
                    + " SET heartbeat_at = clock_timestamp() WHERE id = 1 AND owner = $1",
                { m_owner });
            if (updated.affected() == 0) {
                m_lost = true;
            }
        } catch (const std::exception&) {
            connection.reset(); // try again next beat; the main connection reports real trouble
        }
        guard.lock();
    }
}

void MigrationLock::release() noexcept
{
    if (!m_held) {
        return;
    }
    {
        std::lock_guard guard(m_mutex);
        m_stop = true;
    }
    m_wake.notify_all();
    if (m_heartbeat.joinable()) {
        m_heartbeat.join();
    }
    m_held = false;
    const std::string remove = "DELETE FROM " + m_history.lock_table() + " WHERE id = 1 AND owner = $1";
    try {
        auto& connection = m_history.connection();
        connection.rollback_if_in_transaction();
        connection.exec_params(remove, { m_owner });
        return;
    } catch (const std::exception&) {
    }
    // The main connection is gone or unusable (terminated, broken mid-protocol): a new
    // one, so that a failed run does not leave the next one waiting for the takeover.
    try {
        if (!m_options.conninfo.empty()) {
            db::Connection::open(m_options.conninfo, 5).exec_params(remove, { m_owner });
        }
    } catch (const std::exception&) {
        // The server is gone too: the row goes stale and the next run takes it over.
    }
}

std::optional<LockHolder> read_lock_holder(History& history)
{
    auto& connection = history.connection();
    const auto exists
        = connection.exec_params("SELECT pg_catalog.to_regclass($1) IS NOT NULL", { history.lock_table() });
    if (!exists.get_bool(0, 0)) {
        return std::nullopt;
    }
    const auto row = connection.exec("SELECT owner, holder, to_char(acquired_at, 'YYYY-MM-DD HH24:MI:SS TZ'), "
                                     "extract(epoch from clock_timestamp() - heartbeat_at)::float8 FROM "
        + history.lock_table() + " WHERE id = 1");
    if (row.rows() == 0) {
        return std::nullopt;
    }
    return LockHolder { std::string(row.get(0, 0)), std::string(row.get(0, 1)), std::string(row.get(0, 2)),
        std::strtod(std::string(row.get(0, 3)).c_str(), nullptr) };
}

bool remove_lock(History& history, const std::string& owner)
{
    return history.connection()
               .exec_params("DELETE FROM " + history.lock_table() + " WHERE id = 1 AND owner = $1", { owner })
               .affected()
        == 1;
}

} // namespace vidb::migrate
