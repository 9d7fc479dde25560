#pragma once

#include <string_view>

namespace vidb::migrate {

// True for a statement that only changes the session for the statements after it: SET
// (not SET LOCAL, SET TRANSACTION or SET CONSTRAINTS, which end with their transaction)
// and RESET, including SET ROLE and SET SESSION AUTHORIZATION. `repair --resume` sends
// these again from the part of a no-transaction file that already ran, so the rest runs
// in the session one uninterrupted run would have given it. Running them twice is
// harmless: they change no data.
bool is_session_setting(std::string_view statement);

} // namespace vidb::migrate
