#pragma once

#include "common/error.h"

#include <string>

namespace vidb::db {

// SIGINT/SIGTERM handling: the first signal cancels the running query (the server
// rolls its transaction back) and is remembered; a second one kills the process.
void install_interrupt_handlers();

// 0 when no signal arrived, otherwise SIGINT or SIGTERM.
int interrupted_signal();

// The exit code after a signal: 128 + its number (130 for SIGINT, 143 for SIGTERM), the
// shell's convention. Every exit after a signal goes through here.
ExitCode exit_code_for_signal(int signal_number);
// "interrupted (SIGINT)" or "terminated (SIGTERM)", for messages.
std::string describe_signal(int signal_number);

// Throws an Error with exit code 130/143 when a signal arrived; `what` says what was
// rolled back or left, for the message.
void throw_if_interrupted(const std::string& what = "");

// Each interruptible connection registers its own cancel handle (a PGcancel*): the newest
// live one is what a signal cancels, and when it is released (its connection closes) the
// one registered before it is the target again. Scoped, so a short-lived connection (a
// scratch database, a maintenance connection) never leaves Ctrl-C pointing nowhere or at a
// closed connection. Main thread only; the signal handler reads just the current target.
void take_cancel_target(void* pg_cancel);
// Unregisters it (wherever it is in the order) and frees it; a handle never taken is only freed.
void release_cancel_target(void* pg_cancel) noexcept;

} // namespace vidb::db
