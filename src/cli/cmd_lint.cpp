#include "cli/change_options.h"
#include "cli/commands.h"
#include "cli/context.h"
#include "config/secrets.h"
#include "lint/lint_set.h"
#include "lint/report.h"
#include "lint/rules.h"
#include "lint/trace.h"
#include "migrate/catalog.h"
#include "selftest/report.h"

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include <algorithm>
#include <ctime>
#include <memory>
#include <tuple>

namespace vidb::cli {

namespace {

struct LintCommandOptions {
    std::vector<std::string> paths;
    std::string since;
    std::string format; // empty: json with --json, else text
    bool rules = false;
    bool trace = false;
};

// Trace findings merged in: files in the run's order, then by position.
void merge(lint::LintRun& run, std::vector<lint::Finding> extra)
{
    run.findings.insert(
        run.findings.end(), std::make_move_iterator(extra.begin()), std::make_move_iterator(extra.end()));
    const auto index = [&run](const std::string& file) {
        return std::find(run.files.begin(), run.files.end(), file) - run.files.begin();
    };
    std::stable_sort(run.findings.begin(), run.findings.end(), [&](const lint::Finding& a, const lint::Finding& b) {
        return std::make_tuple(index(a.file), a.line, a.column) < std::make_tuple(index(b.file), b.line, b.column);
    });
}

// The embedded (or packed) set, as the embedder and the Catalog read it.
std::vector<lint::LintInput> embedded_inputs()
{
    std::vector<lint::LintInput> inputs;
    for (const auto& migration : migrate::Catalog::embedded().migrations()) {
        // A dbmate or goose section is linted at its place in the file, as `vidb lint DIR` does.
        inputs.push_back(lint::make_input(std::string(migration.up_file), migration.version, migration.up_sql,
            migration.up_first_line, migration.up_no_transaction));
    }
    return inputs;
}

// One report line per file, its findings as the details: TAP and JUnit through
// selftest's report code. A file fails when it has an error finding.
selftest::Report as_report(const lint::LintRun& run)
{
    selftest::Report report;
    for (const auto& file : run.files) {
        selftest::CheckResult check { config::redact(file), selftest::Group::lint, config::redact(file), 0, {} };
        int errors = 0;
        int others = 0;
        for (const auto& finding : run.findings) {
            if (finding.file != file) {
                continue;
            }
            (finding.severity == lint::Severity::error ? errors : others) += 1;
            check.outcome.details.push_back(config::redact(fmt::format("{}:{}: {}: {} [{}]", finding.line,
                finding.column, lint::severity_name(finding.severity), finding.message, finding.rule)));
        }
        check.outcome.status = errors > 0 ? selftest::Status::fail : selftest::Status::pass;
        if (errors + others > 0) {
            check.outcome.message = fmt::format(
                "{} error{}, {} other finding{}", errors, errors == 1 ? "" : "s", others, others == 1 ? "" : "s");
        }
        report.checks.push_back(std::move(check));
    }
    return report;
}

void print_rules(const Output& out)
{
    for (const auto& rule : lint::rules()) {
        out.result(fmt::format("{:<36} {:<8} {}", rule.name, lint::severity_name(rule.severity), rule.safe));
    }
}

void run_lint(Context& context, const LintCommandOptions& options)
{
    const auto& out = context.out();
    if (options.rules) {
        print_rules(out);
        return;
    }
    std::optional<migrate::MigrationVersion> since;
    if (!options.since.empty()) {
        since = parse_version_argument(options.since, "--since");
    }
    const auto inputs = options.paths.empty() ? embedded_inputs() : lint::inputs_from_paths(options.paths);
    lint::LintRun run = lint::lint_inputs(inputs, since);
    if (options.trace) {
        auto admin = context.connect();
        merge(run, lint::trace(admin, context.conninfo(), inputs, since));
    }
    const std::string format = options.format.empty() ? (out.json() ? "json" : "text") : options.format;
    if (format == "json") {
        out.document(lint::findings_json(run));
    } else if (format == "tap" || format == "junit") {
        std::string document = format == "tap"
            ? selftest::format_tap(as_report(run))
            : selftest::format_junit(as_report(run), selftest::junit_timestamp_now(), "vidb lint");
        document.pop_back(); // the final newline is added back
        out.masked_document(document);
    } else {
        for (const auto& finding : run.findings) {
            out.result(lint::text_line(finding, out.color()));
        }
        out.result(lint::text_summary(run));
    }
    context.exit_code = lint::any_at_least(run.findings, lint::Severity::error) ? 1 : 0;
}

} // namespace

void add_lint_command(CLI::App& app, Context& context)
{
    auto options = std::make_shared<LintCommandOptions>();
    auto* command = app.add_subcommand("lint",
        "Check migrations for statements that lock or rewrite tables, before they run (exit 1 on an error finding)");
    command->add_option("PATH", options->paths,
        "Migration files or folders to check (default: the migrations embedded in this binary)");
    command->add_option("--since", options->since, "Check only migrations newer than this version");
    command->add_option("--format", options->format, "Report format: text (default), json (--json), junit or tap")
        ->check(CLI::IsMember({ "text", "tap", "junit", "json" }));
    command->add_flag("--trace", options->trace,
        "Also run the migrations in a scratch database on the --url server (created and dropped) and report the "
        "locks they took and the tables they rewrote");
    command->add_flag("--rules", options->rules, "List the rules with their severity and safe alternative");
    command->callback([&context, options] { run_lint(context, *options); });
}

} // namespace vidb::cli
