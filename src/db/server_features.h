#pragma once

// The PostgreSQL versions vidb supports, and each thing vidb does differently on some of
// them. Every version-dependent SQL path asks here, so that one place decides and the
// version matrix (scripts/test-matrix.sh, `make test-matrix`) can cover each branch: its
// `server` tests run on every major from the oldest supported to the newest tested.
// Versions are in PQserverVersion form: 130023 is 13.23, 180004 is 18.4.

namespace vidb::db {

// The oldest major vidb supports: exactly the oldest the matrix tests.
inline constexpr int k_oldest_supported_server = 130000;
// The newest major the matrix tests (newer ones are expected to work, untested).
inline constexpr int k_newest_tested_server = 180000;

constexpr int server_major(int server_version)
{
    return server_version / 10000;
}

constexpr bool is_supported_server(int server_version)
{
    return server_version >= k_oldest_supported_server;
}

// PostgreSQL 14+: client_connection_check_interval makes the server notice a vanished
// client within the interval and abort its statement instead of running it to the end.
constexpr bool has_client_connection_check_interval(int server_version)
{
    return server_version >= 140000;
}

} // namespace vidb::db
