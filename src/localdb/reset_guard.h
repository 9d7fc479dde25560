#pragma once

#include "config/environment.h"
#include "db/connection.h"

#include <string>
#include <vector>

namespace vidb::localdb {

// The environment variables that name a deployment stage. Any of them set to
// production, prod or live (any case) makes `vidb reset` ask for --yes.
inline constexpr const char* k_stage_variables[]
    = { "ENVIRONMENT", "VIDB_ENV", "APP_ENV", "NODE_ENV", "RAILS_ENV", "RACK_ENV", "FLASK_ENV", "DJANGO_ENV", "STAGE",
          "ENV", "DEPLOY_ENV", "MIX_ENV", "ASPNETCORE_ENVIRONMENT", "SPRING_PROFILES_ACTIVE" };

// "NODE_ENV=production (environment)" for each production signal, in the order above.
std::vector<std::string> production_signals(const config::Environment& env);

// Whether `vidb reset` may destroy the database without --yes, and why (or why not).
struct Disposability {
    bool disposable = false;
    std::string reason; // "it is served by vidb up (.vidb/pg-5433)" / "table public.projects holds rows"
};

// A database on a loopback address or Unix socket is disposable when
//  - the server is the one `vidb up` runs for this project: .vidb/pg-<port> exists for
//    the connection's port and the start time in its postmaster.pid is the server's
//    pg_postmaster_start_time() (a proxy or port-forward to another server fails this), or
//  - it holds no data: no large objects and no row in any table except vidb's own
//    history tables (a table it cannot read counts as holding rows).
// Call only for a local connection; a remote host is never disposable.
Disposability check_disposable(db::Connection& connection, const std::string& history_schema);

} // namespace vidb::localdb
