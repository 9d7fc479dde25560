#pragma once

#include "db/connection.h"
#include "migrate/history.h"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

namespace vidb::migrate {

struct LockOptions {
    std::chrono::milliseconds wait_timeout { std::chrono::minutes(15) }; // 0: do not wait
    std::chrono::seconds stale_after { 30 }; // a holder silent this long is presumed dead
    std::string holder; // "user@host pid N" shown to waiters
    std::string conninfo; // for the heartbeat's own connection
};

// The current holder of the lock row (vidb unlock shows it before removing it).
struct LockHolder {
    std::string owner; // the holder's random token
    std::string holder; // "user@host pid N"
    std::string since;
    double silent_for = 0; // seconds since its last heartbeat
};

// The lock row, or nothing when no vidb holds the lock (or vidb never ran here).
std::optional<LockHolder> read_lock_holder(History& history);
// Deletes the row if `owner` still holds it; false when it changed hands meanwhile.
bool remove_lock(History& history, const std::string& owner);

// Called while waiting: who holds the lock, since when, seconds since its last heartbeat.
using LockWaitReporter = std::function<void(const std::string& holder, const std::string& since, double silent_for)>;

// The migration lock: one row in vidb_migration_lock, taken with a single autocommit
// INSERT and polled for outside any transaction. A row (not a session advisory lock) so
// it holds through transaction-pooling PgBouncer; polled, never waited on inside a
// transaction, so a waiter cannot deadlock with CREATE INDEX CONCURRENTLY. A heartbeat
// thread keeps the row fresh; a row silent for stale_after is taken over.
class MigrationLock {
public:
    MigrationLock(History& history, LockOptions options);
    MigrationLock(const MigrationLock&) = delete;
    MigrationLock& operator=(const MigrationLock&) = delete;
    ~MigrationLock();

    // Throws Error(timeout) when wait_timeout passes, or the interrupt error on a signal.
    void acquire(const LockWaitReporter& report_wait);
    void release() noexcept;
    // False when another process took the lock over (we were presumed dead).
    bool still_held() const { return !m_lost.load(); }

private:
    void heartbeat_loop();

    History& m_history;
    LockOptions m_options;
    std::string m_owner;
    bool m_held = false;
    std::atomic<bool> m_lost { false };
    std::mutex m_mutex;
    std::condition_variable m_wake;
    bool m_stop = false;
    std::thread m_heartbeat;
};

} // namespace vidb::migrate
