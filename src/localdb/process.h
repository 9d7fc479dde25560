#pragma once

#include <sys/types.h>

#include <chrono>
#include <optional>
#include <string>
#include <vector>

namespace vidb::localdb {

// A local account a child process can run as.
struct Account {
    std::string name;
    uid_t uid = 0;
    gid_t gid = 0;
    std::string home;
};

// One program to run: an argv vector (never a shell string), so no argument is
// ever re-parsed and no secret has to travel on a command line.
struct Command {
    std::vector<std::string> argv {}; // argv[0] is an absolute path (see find_program)
    // The child's whole environment ("KEY=value"); nullopt inherits vidb's.
    std::optional<std::vector<std::string>> env {};
    std::string cwd {}; // empty: vidb's own
    std::optional<Account> run_as {}; // switch to this account first (vidb must be root)
    std::string input {}; // written to the child's stdin, which is then closed
    std::chrono::milliseconds timeout { 0 }; // 0: wait as long as it takes; else kill it then
};

struct Outcome {
    int exit_code = 0; // 128 + signal when killed by one
    bool timed_out = false;
    std::string output; // stdout and stderr interleaved, at most 1 MiB
    bool ok() const { return exit_code == 0 && !timed_out; }
};

// Runs the command and waits for it. Throws Error only when it cannot be started.
Outcome run(const Command& command);

// The absolute path of `name` on PATH, if any.
std::optional<std::string> find_program(const std::string& name);

// vidb's environment without libpq's PG* variables (a child must never inherit
// PGPASSWORD), plus `extra` ("KEY=value", replacing any inherited KEY).
std::vector<std::string> child_environment(const std::vector<std::string>& extra = {});

// The last `lines` lines of `text`, for error details.
std::vector<std::string> last_lines(const std::string& text, std::size_t lines);

} // namespace vidb::localdb
