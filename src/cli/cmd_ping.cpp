#include "cli/commands.h"
#include "cli/context.h"
#include "cli/duration.h"
#include "cli/json_shapes.h"
#include "common/error.h"

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include <chrono>
#include <memory>

namespace vidb::cli {

namespace {

using clock = std::chrono::steady_clock;

double ms_since(clock::time_point start)
{
    return std::chrono::duration<double, std::milli>(clock::now() - start).count();
}

void report(Context& context, db::Connection& connection, double connect_ms)
{
    const auto start = clock::now();
    connection.exec("SELECT 1");
    const double round_trip = ms_since(start);
    const auto& out = context.out();
    if (out.json()) {
        out.document(ping_json({ connection.server_version_text(), connection.database(), connection.user(),
            connection.host(), connection.port(), connection.uses_ssl(), connect_ms, round_trip }));
        return;
    }
    out.result(fmt::format("{} PostgreSQL {} at {}:{}, database {}, user {}{}", out.paint("ok", Tone::good),
        connection.server_version_text(), connection.host(), connection.port(), connection.database(),
        connection.user(), connection.uses_ssl() ? ", TLS" : ""));
    out.result(fmt::format("connect {:.1f} ms, round trip {:.2f} ms", connect_ms, round_trip));
}

} // namespace

void add_ping_command(CLI::App& app, Context& context)
{
    auto* command = app.add_subcommand("ping", "Check connectivity: server version, database, user, round-trip time");
    command->callback([&context] {
        const auto start = clock::now();
        auto connection = context.connect();
        report(context, connection, ms_since(start));
    });
}

void add_wait_command(CLI::App& app, Context& context)
{
    auto timeout = std::make_shared<std::string>("60s");
    auto* command = app.add_subcommand("wait", "Block until the database accepts connections");
    command->add_option("--timeout", *timeout, "Give up after this long (default 60s); exit code 5");
    command->callback([&context, timeout] {
        const auto limit = parse_duration(*timeout);
        if (!limit) {
            throw UsageError("--timeout: expected a duration such as 60s, 500ms or 2m, got '" + *timeout + "'");
        }
        context.options.wait_timeout = *timeout;
        const auto start = clock::now();
        auto connection = context.connect_waiting(*limit);
        const double waited = ms_since(start);
        if (context.out().json()) {
            context.out().document(wait_json(waited));
        } else {
            context.out().progress(fmt::format("database ready after {:.0f} ms", waited));
        }
    });
}

} // namespace vidb::cli
