#include "cli/commands.h"
#include "cli/context.h"
#include "config/secrets.h"
#include "migrate/catalog.h"
#include "selftest/report.h"
#include "selftest/runner.h"

#include <CLI/CLI.hpp>

#include <ctime>
#include <memory>

namespace vidb::cli {

namespace {

struct SelftestOptions {
    bool roundtrip = false;
    std::string format; // empty: json with --json, else text
};

selftest::Format parse_format(const std::string& text, bool json)
{
    if (text == "tap") {
        return selftest::Format::tap;
    }
    if (text == "junit") {
        return selftest::Format::junit;
    }
    if (text == "json" || (text.empty() && json)) {
        return selftest::Format::json;
    }
    return selftest::Format::text;
}

// Each piece masked on its own before a report is assembled: masking the assembled XML
// or JSON could mask a password equal to a tag, a key or a JSON word and break it.
selftest::Report masked(selftest::Report report)
{
    for (auto& check : report.checks) {
        check.name = config::redact(check.name);
        check.file = config::redact(check.file);
        check.outcome.message = config::redact(check.outcome.message);
        for (auto& detail : check.outcome.details) {
            detail = config::redact(detail);
        }
    }
    return report;
}

void run_selftest(Context& context, const SelftestOptions& options)
{
    const auto& out = context.out();
    const auto format = parse_format(options.format, context.options.json);
    const std::string timestamp = selftest::junit_timestamp_now();
    selftest::Runner runner(
        migrate::Catalog::embedded(), selftest::RunOptions { options.roundtrip, context.schema(), context.conninfo() });
    std::size_t width = 0;
    for (const auto& check : runner.plan()) {
        width = std::max(width, check.name.size());
    }
    // Text streams a line per check as it finishes; the other formats are one document.
    const auto on_result = [&](const selftest::CheckResult& check) {
        if (format != selftest::Format::text || (out.quiet() && check.outcome.status != selftest::Status::fail)) {
            return;
        }
        out.result(selftest::text_line(check, width, out.color()));
        for (const auto& line : selftest::text_details(check)) {
            out.result(line);
        }
    };
    const auto result = runner.run([&context] { return context.connect(); }, on_result);
    const selftest::Report report = masked(result.report);
    std::string document;
    switch (format) {
    case selftest::Format::text:
        document = selftest::text_summary(result.report) + "\n";
        break;
    case selftest::Format::tap:
        document = selftest::format_tap(report);
        break;
    case selftest::Format::junit:
        document = selftest::format_junit(report, timestamp);
        break;
    case selftest::Format::json:
        document = selftest::format_json(report);
        break;
    }
    document.pop_back(); // the final newline is added back
    if (format == selftest::Format::text) {
        out.result(document);
    } else {
        out.masked_document(document);
    }
    context.exit_code = result.exit_code;
}

} // namespace

void add_selftest_command(CLI::App& app, Context& context)
{
    auto options = std::make_shared<SelftestOptions>();
    auto* command = app.add_subcommand(
        "selftest", "Smoke-test the database: connection, migrations, drift, project checks; leaves nothing behind");
    command->add_flag("--roundtrip", options->roundtrip,
        "Also prove the down migrations: apply, revert and re-apply all in a scratch database");
    command->add_option("--format", options->format, "Report format: text (default), tap, junit or json (--json)")
        ->check(CLI::IsMember({ "text", "tap", "junit", "json" }));
    command->callback([&context, options] { run_selftest(context, *options); });
}

} // namespace vidb::cli
