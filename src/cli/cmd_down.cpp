#include "cli/commands.h"
#include "cli/context.h"
#include "cli/json_shapes.h"
#include "common/error.h"
#include "localdb/docker_server.h"
#include "localdb/instance.h"
#include "localdb/native_server.h"
#include "localdb/server_binaries.h"

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include <memory>

namespace vidb::cli {

namespace {

struct DownOptions {
    bool purge = false;
};

std::string describe(localdb::StopOutcome outcome, const std::string& what)
{
    switch (outcome) {
    case localdb::StopOutcome::stopped:
        return "Stopped PostgreSQL in " + what + ".";
    case localdb::StopOutcome::was_stopped:
        return "PostgreSQL in " + what + " was not running.";
    case localdb::StopOutcome::nothing:
        break;
    }
    return "";
}

void run_down(Context& context, const DownOptions& options)
{
    const auto target = localdb::resolve_local_target(context.options.url, context.env(), false);
    const auto& out = context.out();
    std::vector<std::string> done;
    bool found_any = false;

    if (const auto instance = localdb::find_instance(target.port)) {
        found_any = instance->data_major() > 0 || options.purge;
        // No server programs is fine when there is nothing to stop (a purge after uninstalling).
        std::vector<localdb::ServerBinaries> binaries;
        if (instance->data_major() > 0) {
            binaries = localdb::find_server_binaries(context.env().get_or("VIDB_PG_BINDIR", ""));
        }
        const auto stopped = localdb::stop_native(*instance, binaries);
        if (const auto line = describe(stopped, instance->shown.string()); !line.empty()) {
            done.push_back(line);
        }
        if (options.purge) {
            localdb::remove_instance(*instance);
            done.push_back("Deleted " + instance->shown.string() + " and all its data.");
        }
    }
    if (auto docker
        = localdb::DockerServer::detect(context.env().get_or("VIDB_DOCKER_IMAGE", localdb::k_default_image))) {
        const std::string name = docker->name(target.port);
        const auto stopped = docker->stop(target.port, options.purge);
        found_any = found_any || stopped != localdb::StopOutcome::nothing;
        if (const auto line = describe(stopped, "container " + name); !line.empty()) {
            done.push_back(line);
        }
        if (options.purge && stopped != localdb::StopOutcome::nothing) {
            done.push_back("Removed container " + name + " and its volume.");
        }
    }
    if (!found_any) {
        std::string others;
        for (const int port : localdb::instance_ports()) {
            others += fmt::format("{}{}", others.empty() ? "" : ", ", port);
        }
        done.push_back(fmt::format("No local database for port {} here: nothing to stop.{}", target.port,
            others.empty() ? ""
                           : " (.vidb holds servers for port " + others
                    + "; DATABASE_URL's port picks which one vidb down stops)"));
    }
    if (out.json()) {
        out.document(down_json(found_any, options.purge && found_any, done));
        return;
    }
    for (const auto& line : done) {
        out.progress(line);
    }
}

} // namespace

void add_down_command(CLI::App& app, Context& context)
{
    auto options = std::make_shared<DownOptions>();
    auto* command = app.add_subcommand("down", "Stop the local development PostgreSQL started by vidb up");
    command->add_flag("--purge", options->purge, "Also delete its data (the .vidb directory or the Docker volume)");
    command->callback([&context, options] { run_down(context, *options); });
}

} // namespace vidb::cli
