#include "cli/change_options.h"
#include "cli/commands.h"
#include "cli/json_shapes.h"
#include "common/error.h"
#include "migrate/lock.h"

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include <memory>

namespace vidb::cli {

namespace {

// Removes the migration lock a dead vidb left (killed deploy, lost host), after showing
// who held it. A holder whose heartbeat is fresh is alive: refused unless --force,
// because deleting its row lets a second vidb migrate next to it.
void unlock(Context& context, bool force)
{
    const auto& out = context.out();
    const auto stale_after = ChangeOptions {}.engine_options(context).lock.stale_after;
    auto connection = context.connect();
    migrate::History history(connection, context.schema());
    const auto holder = migrate::read_lock_holder(history);
    if (!holder) {
        if (out.json()) {
            out.document(unlock_json(std::nullopt));
        } else {
            out.progress("No migration lock is held: nothing to remove.");
        }
        return;
    }
    const std::string who
        = fmt::format("{} since {} (last heartbeat {:.0f} s ago)", holder->holder, holder->since, holder->silent_for);
    const bool fresh = holder->silent_for <= static_cast<double>(stale_after.count());
    if (fresh && !force) {
        throw RefusedError("refusing to remove the migration lock: it is held by " + who
                + ", and a heartbeat that recent means that vidb is running",
            { "wait for it to finish (vidb migrate waits by itself), or stop it first",
                fmt::format("a holder silent for over {} s (VIDB_LOCK_STALE_AFTER) is presumed dead and removed "
                            "without --force; nothing was changed",
                    stale_after.count()),
                "vidb unlock --force removes it anyway: only when you know that process is gone" });
    }
    if (!migrate::remove_lock(history, holder->owner)) {
        throw Error(ExitCode::failure,
            "the migration lock changed hands while vidb unlock looked at it; nothing was "
            "removed (run vidb unlock again to see the new holder)");
    }
    if (out.json()) {
        out.document(unlock_json(UnlockInfo { holder->holder, holder->since, holder->silent_for, fresh }));
        return;
    }
    out.result("Removed the migration lock held by " + who + ".");
}

} // namespace

void add_unlock_command(CLI::App& app, Context& context)
{
    auto force = std::make_shared<bool>(false);
    auto* command = app.add_subcommand("unlock",
        "Remove the migration lock a dead vidb left behind, after showing its holder (refused while its heartbeat "
        "is fresh)");
    command->add_flag("--force", *force, "Remove it even though its holder's heartbeat is fresh");
    command->callback([&context, force] { unlock(context, *force); });
}

} // namespace vidb::cli
