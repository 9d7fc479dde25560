#include "schema/dump.h"

#include "common/error.h"
#include "migrate/catalog_reader.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <unistd.h>

namespace vidb::schema {

namespace {

constexpr const char* k_header = "-- Schema written by vidb schema dump. Load it into an empty database with:\n"
                                 "--   psql -v ON_ERROR_STOP=1 -f FILE\n"
                                 "SET check_function_bodies = false;\n"
                                 "SET client_min_messages = warning;\n"
                                 "SELECT pg_catalog.set_config('search_path', '', false);\n";

} // namespace

std::string render_dump(const std::vector<SchemaObject>& objects)
{
    std::string out = k_header;
    for (const auto& object : objects) {
        out += "\n";
        out += object.sql;
        out += "\n";
    }
    return out;
}

std::string dump_schema(db::Connection& connection, const ReadOptions& options)
{
    return render_dump(migrate::read_schema(connection, options));
}

void write_file_atomically(const std::string& path, const std::string& text)
{
    const std::filesystem::path target(path);
    const std::filesystem::path temporary
        = target.parent_path() / ("." + target.filename().string() + ".vidb-" + std::to_string(::getpid()));
    const auto fail = [&](const std::string& what) {
        const std::string reason = std::strerror(errno);
        std::error_code ignored;
        std::filesystem::remove(temporary, ignored);
        throw Error(ExitCode::failure, "cannot write the schema to " + path + ": " + what + ": " + reason,
            { "check that its folder exists and is writable" });
    };
    {
        std::ofstream file(temporary, std::ios::binary | std::ios::trunc);
        if (!file) {
            fail("cannot create " + temporary.string());
        }
        file.write(text.data(), static_cast<std::streamsize>(text.size()));
        file.close();
        if (!file) {
            fail("writing failed");
        }
    }
    if (std::rename(temporary.c_str(), target.c_str()) != 0) {
        fail("cannot rename " + temporary.string());
    }
}

} // namespace vidb::schema
