#include "db/interrupt.h"

#include "common/error.h"

#include <libpq-fe.h>

#include <algorithm>
#include <atomic>
#include <csignal>
#include <vector>

namespace vidb::db {

namespace {

std::atomic<int> g_signal { 0 };
std::atomic<PGcancel*> g_cancel { nullptr }; // the newest registered, for the handler

// The live interruptible connections' cancel handles, oldest first (main thread only).
std::vector<PGcancel*>& registered()
{
    static std::vector<PGcancel*> handles;
    return handles;
}

extern "C" void on_signal(int signal_number)
{
    g_signal.store(signal_number);
    std::signal(signal_number, SIG_DFL); // a second Ctrl-C stops at once
    // PQcancel is documented as safe to call from a signal handler.
    if (PGcancel* cancel = g_cancel.load(); cancel != nullptr) {
        char error[256];
        PQcancel(cancel, error, sizeof error);
    }
}

} // namespace

void install_interrupt_handlers()
{
    std::signal(SIGINT, on_signal);
    std::signal(SIGTERM, on_signal);
}

int interrupted_signal()
{
    return g_signal.load();
}

ExitCode exit_code_for_signal(int signal_number)
{
    return static_cast<ExitCode>(128 + signal_number);
}

std::string describe_signal(int signal_number)
{
    return signal_number == SIGTERM ? "terminated (SIGTERM)" : "interrupted (SIGINT)";
}

void throw_if_interrupted(const std::string& what)
{
    const int signal_number = g_signal.load();
    if (signal_number == 0) {
        return;
    }
    throw Error(
        exit_code_for_signal(signal_number), describe_signal(signal_number) + (what.empty() ? "" : ": " + what));
}

void take_cancel_target(void* pg_cancel)
{
    auto* cancel = static_cast<PGcancel*>(pg_cancel);
    registered().push_back(cancel);
    g_cancel.store(cancel);
}

void release_cancel_target(void* pg_cancel) noexcept
{
    auto* cancel = static_cast<PGcancel*>(pg_cancel);
    auto& live = registered();
    live.erase(std::remove(live.begin(), live.end(), cancel), live.end());
    // The handler must never see a freed handle: point it at the new target first.
    g_cancel.store(live.empty() ? nullptr : live.back());
    PQfreeCancel(cancel);
}

} // namespace vidb::db
