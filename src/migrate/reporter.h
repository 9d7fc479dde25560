#pragma once

#include "migrate/catalog.h"
#include "migrate/file_name.h"

#include <chrono>
#include <string>

namespace vidb::migrate {

// What the engine tells the user while it works; the CLI prints it (text or JSON).
class Reporter {
public:
    virtual ~Reporter() = default;
    virtual void waiting_for_lock(const std::string& holder, const std::string& since, double silent_for) = 0;
    virtual void starting(const Migration& migration, Direction direction) = 0;
    virtual void finished(const Migration& migration, Direction direction, std::chrono::milliseconds elapsed) = 0;
    // A no-transaction migration's statement ran (index is 1-based).
    virtual void statement_ran(const Migration& migration, int index, int total, std::size_t line) = 0;
    virtual void retrying(const Migration& migration, int attempt, const std::string& why) = 0;
    virtual void note(const std::string& message) = 0;
};

// Tells nobody: for runs that report through their result (drift's scratch database, a
// --sql script on stdout).
class SilentReporter : public Reporter {
public:
    void waiting_for_lock(const std::string&, const std::string&, double) override { }
    void starting(const Migration&, Direction) override { }
    void finished(const Migration&, Direction, std::chrono::milliseconds) override { }
    void statement_ran(const Migration&, int, int, std::size_t) override { }
    void retrying(const Migration&, int, const std::string&) override { }
    void note(const std::string&) override { }
};

} // namespace vidb::migrate
