#pragma once

namespace vidb {
// Stamped at configure time (cmake/build_info.cpp.in).
extern const char* const k_version;
extern const char* const k_git_commit;
extern const char* const k_build_type;
} // namespace vidb
