#pragma once

#include "common/json.h"

#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

namespace vidb::cli {

enum class Tone { plain, good, bad, warn, dim, bold };

// Everything vidb prints goes through here: secrets are masked, colour is used only
// on a terminal without NO_COLOR/--no-color, and --quiet silences progress.
class Output {
public:
    Output(bool quiet, bool no_color, bool json);

    // Progress and informational lines (stdout); silent with --quiet or --json.
    void progress(std::string_view line) const;
    // Results the user asked for (stdout); printed even with --quiet.
    void result(std::string_view line) const;
    // A --json document (stdout, one line). Every string value is masked on its own and
    // the keys, vidb's own names, are not: a password equal to a key or to a JSON word
    // (`true`, `null`) cannot turn the document into something else.
    void document(const Json& document) const;
    // A machine-readable report whose text was masked piece by piece before it was
    // assembled (selftest's TAP, JUnit and JSON reports): written as it is.
    void masked_document(std::string_view text) const;
    // Warnings (stderr); printed even with --quiet.
    void warning(std::string_view line) const;
    // "vidb: error: ..." (stderr) and indented detail lines.
    void error(std::string_view message) const;
    void error_detail(std::string_view line) const;

    std::string paint(std::string_view text, Tone tone) const;
    bool color() const { return m_color; }
    bool quiet() const { return m_quiet; }
    bool json() const { return m_json; }

    // What this run changed, kept for the --json document, which a failed command
    // prints too: migrations that ran (step_json) and other changes ("Dropped ...").
    void record_step(Json step) const { m_steps.push_back(std::move(step)); }
    void record_change(std::string line) const { m_changes.push_back(std::move(line)); }
    const Json& steps() const { return m_steps; }
    const std::vector<std::string>& changes() const { return m_changes; }

private:
    void write(std::FILE* stream, std::string_view line) const;

    bool m_quiet;
    bool m_color;
    bool m_json;
    bool m_error_color;
    mutable Json m_steps = Json::array();
    mutable std::vector<std::string> m_changes;
};

} // namespace vidb::cli
