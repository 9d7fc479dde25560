#pragma once

#include <string>

namespace vidb::db {

// SIGINT/SIGTERM handling: the first signal cancels the running query (the server
// rolls its transaction back) and is remembered; a second one kills the process.
void install_interrupt_handlers();

// 0 when no signal arrived, otherwise SIGINT or SIGTERM.
int interrupted_signal();

// Throws an Error with exit code 130/143 when a signal arrived; `what` says what was
// rolled back or left, for the message.
void throw_if_interrupted(const std::string& what = "");

// The cancel handle of the connection whose query a signal should cancel (takes ownership).
void set_cancel_target(void* pg_cancel);
void clear_cancel_target() noexcept;

} // namespace vidb::db
