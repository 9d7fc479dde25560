#pragma once

#include <string>

namespace vidb::db {

// libpq's version, e.g. "15.18".
std::string libpq_version();
// The TLS library libpq was built with ("OpenSSL"), or "" without TLS support.
std::string tls_library();

} // namespace vidb::db
