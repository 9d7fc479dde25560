#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace vidb::localdb {

// A directory with a complete set of PostgreSQL server programs.
struct ServerBinaries {
    std::string bindir;
    std::string version; // "15.18"
    int major = 0; // 15 (9 for 9.6: old majors do not matter here)

    std::string program(const char* name) const { return bindir + "/" + name; }
};

// Every directory holding initdb, pg_ctl and postgres, newest major first (ties keep the
// search order): `override_dir` alone when given (VIDB_PG_BINDIR); else the PATH, then
// `pg_config --bindir`, then the usual install places (/usr/lib/postgresql/*/bin,
// /usr/pgsql-*/bin, /usr/local/pgsql/bin, Homebrew's postgresql@*).
std::vector<ServerBinaries> find_server_binaries(const std::string& override_dir);

// The newest; when `data_major` > 0, the newest of that major, because a data
// directory only runs under the major version that created it.
std::optional<ServerBinaries> choose_binaries(const std::vector<ServerBinaries>& found, int data_major);

// "postgres (PostgreSQL) 15.18 (Debian 15.18-0+deb12u1)" -> "15.18"; "" when none.
std::string parse_server_version(std::string_view version_output);
int major_of(std::string_view version);

// What to tell someone who has neither Docker nor server binaries.
std::vector<std::string> install_advice();

} // namespace vidb::localdb
