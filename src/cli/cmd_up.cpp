#include "cli/commands.h"
#include "cli/context.h"
#include "cli/duration.h"
#include "cli/json_shapes.h"
#include "common/error.h"
#include "localdb/docker_server.h"
#include "localdb/instance.h"
#include "localdb/native_server.h"
#include "localdb/ready.h"
#include "localdb/server_binaries.h"

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include <memory>

namespace vidb::cli {

namespace {

struct UpOptions {
    std::string backend = "auto";
};

localdb::StartOutcome start_server(
    Context& context, const localdb::LocalTarget& target, const std::string& backend, std::chrono::milliseconds timeout)
{
    const auto progress = [&context](const std::string& line) { context.out().progress(line); };
    const std::string image = context.env().get_or("VIDB_DOCKER_IMAGE", localdb::k_default_image);
    // A cluster already in .vidb keeps being used: its data is there.
    const bool has_native = localdb::find_instance(target.port).has_value();
    if (backend == "docker" || (backend == "auto" && !has_native)) {
        if (auto docker = localdb::DockerServer::detect(image)) {
            return docker->start(target, progress);
        }
        if (backend == "docker") {
            throw Error(ExitCode::failure, "--backend docker: no Docker engine answers (docker info failed)",
                { "start Docker, or leave out --backend to use the PostgreSQL installed here" });
        }
    }
    const auto found = localdb::find_server_binaries(context.env().get_or("VIDB_PG_BINDIR", ""));
    if (found.empty()) {
        throw Error(ExitCode::failure,
            "no Docker engine answers and no PostgreSQL server programs were found (looked on PATH, in "
            "pg_config --bindir and in /usr/lib/postgresql/*/bin)",
            localdb::install_advice());
    }
    const auto seconds = std::chrono::duration_cast<std::chrono::seconds>(timeout);
    return localdb::start_native(target, found, std::max(seconds, std::chrono::seconds(1)), progress);
}

void run_up(Context& context, const UpOptions& options)
{
    const auto timeout = parse_duration(context.options.wait_timeout);
    if (!timeout || timeout->count() <= 0) {
        throw UsageError(
            "--wait-timeout: expected a duration such as 60s or 5m, got '" + context.options.wait_timeout + "'");
    }
    const auto target = localdb::resolve_local_target(context.options.url, context.env());
    const auto started = start_server(context, target, options.backend, *timeout);
    const auto ready = localdb::wait_until_ready(target, *timeout, started.where);
    const auto& out = context.out();
    if (out.json()) {
        out.document(up_json({ started.backend, started.already_running, target.display_url(), ready.server_version,
            ready.database_created, started.where, started.log }));
        return;
    }
    if (ready.database_created) {
        out.progress("Created database " + target.dbname);
    }
    out.result(fmt::format("{} PostgreSQL {} {} at {}", out.paint("ok", Tone::good), ready.server_version,
        started.already_running ? "was already running" : "is ready", target.display_url()));
    if (!started.already_running) {
        out.progress(fmt::format("  in {}, log: {}; stop it with vidb down", started.where, started.log));
    }
    if (target.source == "POSTGRES_* variables") {
        out.warning(
            fmt::format("DATABASE_URL is not set, so the other vidb commands will not find this server: add "
                        "DATABASE_URL=postgresql://{}:<POSTGRES_PASSWORD>@{}:{}/{} to .env (*** is POSTGRES_PASSWORD)",
                target.user, target.host, target.port, target.dbname));
    }
}

} // namespace

void add_up_command(CLI::App& app, Context& context)
{
    auto options = std::make_shared<UpOptions>();
    auto* command = app.add_subcommand("up",
        "Start a local development PostgreSQL matching DATABASE_URL (Docker, else the server installed here; "
        "data in ./.vidb) and wait until it accepts connections");
    command
        ->add_option("--backend", options->backend,
            "auto (Docker when an engine answers, else the installed server), docker or native")
        ->check(CLI::IsMember({ "auto", "docker", "native" }));
    command->callback([&context, options] { run_up(context, *options); });
}

} // namespace vidb::cli
