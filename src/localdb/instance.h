#pragma once

#include "localdb/process.h"

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace vidb::localdb {

// Where the native server for one port keeps everything: ./.vidb/pg-<port>/ holding
// data/ (PGDATA), run/ (its Unix socket) and server.log.
//
// Permissions: .vidb/ is 0700 and everything below is owned by the server's account
// with 0700 directories and 0600 files. As root the server runs as `postgres`, which
// must be able to pass through .vidb/: it is then root:<postgres' group> 0710 (enter,
// not list; nobody else gets in). When postgres cannot reach the project at all (a
// project under /root, mode 0700), the instance lives in /var/lib/vidb/<project>-<hash>-<port>/
// and .vidb/pg-<port> is a symbolic link to it.
struct Instance {
    std::filesystem::path shown; // ".vidb/pg-<port>", for messages
    std::filesystem::path dir; // its absolute, real location
    bool relocated = false; // dir is under /var/lib/vidb

    std::filesystem::path data() const { return dir / "data"; }
    std::filesystem::path socket_dir() const { return dir / "run"; }
    std::filesystem::path log() const { return dir / "server.log"; }
    // The PostgreSQL major version of data/ (its PG_VERSION file); 0 when not initialised.
    int data_major() const;
};

// The instance for `port` in the current directory, if one was created; creates nothing.
std::optional<Instance> find_instance(int port);

// Creates (or checks) the instance directories for `account`, with the permissions above.
Instance prepare_instance(int port, const Account& account);

// Deletes the instance and all its data (the link target too, when relocated).
void remove_instance(const Instance& instance);

// Ports of the other instances in ./.vidb, for hints.
std::vector<int> instance_ports();

// ./.vidb, and the project's directory name made safe for Docker names.
std::filesystem::path state_dir();
std::string project_slug();

} // namespace vidb::localdb
