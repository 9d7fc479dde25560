#include "cli/build_info.h"
#include "cli/commands.h"
#include "cli/context.h"
#include "cli/json_shapes.h"
#include "db/library_info.h"
#include "migrate/carried_set.h"
#include "migrate/catalog.h"

#include <CLI/CLI.hpp>
#include <fmt/format.h>

namespace vidb::cli {

namespace {

#ifdef VIDB_STATIC_BUILD
constexpr bool k_static = true;
#else
constexpr bool k_static = false;
#endif

} // namespace

void print_version(Context& context)
{
    const auto& out = context.out();
    const auto& set = migrate::carried_set();
    const auto& catalog = migrate::Catalog::embedded();
    const std::string tls = db::tls_library();
    if (out.json()) {
        out.document(version_json({ k_version, k_git_commit, db::libpq_version(), k_static, tls,
            catalog.migrations().size(), catalog.checks().size(), set.digest, migrate::source_name(set.source),
            set.info.packed_at, set.info.packed_from }));
        return;
    }
    out.result(fmt::format("vidb {} (commit {}, {} build)", k_version, k_git_commit, k_build_type));
    out.result(fmt::format("libpq {}, {}, TLS: {}", db::libpq_version(),
        k_static ? "statically linked" : "dynamically linked", tls.empty() ? "not supported" : tls));
    if (set.source == migrate::SetSource::packed) {
        out.result(fmt::format("{} packed migrations, {} checks, digest {} (packed from {} at {} by vidb {})",
            catalog.migrations().size(), catalog.checks().size(), set.digest, set.info.packed_from, set.info.packed_at,
            set.info.packed_by));
    } else {
        out.result(fmt::format("{} embedded migrations, {} checks, digest {} (compiled in)",
            catalog.migrations().size(), catalog.checks().size(), set.digest));
    }
}

void add_version_command(CLI::App& app, Context& context)
{
    auto* command = app.add_subcommand("version", "Show version, build info and where the migrations come from");
    command->callback([&context] { print_version(context); });
}

} // namespace vidb::cli
