#pragma once

#include "localdb/instance.h"
#include "localdb/server.h"
#include "localdb/server_binaries.h"

#include <chrono>
#include <vector>

namespace vidb::localdb {

// The PostgreSQL installed on this machine, run from ./.vidb (see instance.h).
//
// initdb makes the URL's user the superuser with the URL's password, handed over on
// initdb's stdin (--pwfile=/dev/stdin), so it is never on a command line or on disk;
// PostgreSQL stores only its SCRAM hash. TCP connections need that password
// (scram-sha-256); the Unix socket in run/ trusts local users, because only the
// server's account (and root) can enter that directory, and they can read the data
// files anyway.
StartOutcome start_native(const LocalTarget& target, const std::vector<ServerBinaries>& found,
    std::chrono::seconds timeout, const Progress& progress);

// Fast shutdown (sessions are disconnected, transactions rolled back) of the server for `port`.
StopOutcome stop_native(const Instance& instance, const std::vector<ServerBinaries>& found);

} // namespace vidb::localdb
