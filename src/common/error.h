#pragma once

#include <stdexcept>
#include <string>
#include <vector>

namespace vidb {

// Documented, stable process exit codes (MIGRATIONS.md, "Exit codes").
enum class ExitCode : int {
    ok = 0,
    failure = 1, // a migration, check or command failed
    usage = 2, // bad flags, arguments or configuration
    unreachable = 3, // could not connect, or the connection was lost
    refused = 4, // a safety check refused to act: drift, out of order, irreversible, guard
    timeout = 5, // gave up waiting: for the database or for another vidb's lock
    interrupted = 130, // SIGINT (SIGTERM gives 143)
};

// Base of every error vidb reports: a one-line message, optional indented detail lines
// and the exit code it maps to.
class Error : public std::runtime_error {
public:
    Error(ExitCode code, const std::string& message, std::vector<std::string> details = {})
        : std::runtime_error(message)
        , m_code(code)
        , m_details(std::move(details))
    {
    }
    ExitCode code() const { return m_code; }
    const std::vector<std::string>& details() const { return m_details; }
    int exit_status() const { return static_cast<int>(m_code); }
    void set_exit_status(ExitCode code) { m_code = code; }

private:
    ExitCode m_code;
    std::vector<std::string> m_details;
};

class UsageError : public Error {
public:
    explicit UsageError(const std::string& message, std::vector<std::string> details = {})
        : Error(ExitCode::usage, message, std::move(details))
    {
    }
};

class RefusedError : public Error {
public:
    explicit RefusedError(const std::string& message, std::vector<std::string> details = {})
        : Error(ExitCode::refused, message, std::move(details))
    {
    }
};

} // namespace vidb
