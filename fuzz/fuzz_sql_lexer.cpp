// libFuzzer target for the statement splitter: any byte sequence must split into
// contiguous pieces that rebuild the input exactly (with either body rule). And the
// migration source check built on it: the text it sends keeps the file's length and
// lines, and differs only by blanks.
#include "migrate/source_check.h"
#include "migrate/sql_lexer.h"

#include <algorithm>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

namespace {

void check(bool condition)
{
    if (!condition) {
        std::abort();
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const std::string_view sql(reinterpret_cast<const char*>(data), size);
    const auto pieces = vidb::migrate::split_statements(sql);

    check(pieces.empty() == sql.empty());
    std::size_t next = 0;
    std::string joined;
    for (std::size_t i = 0; i < pieces.size(); ++i) {
        const auto& piece = pieces[i];
        check(piece.offset == next);
        check(piece.length > 0 && piece.length <= sql.size() - piece.offset);
        check(piece.text.data() == sql.data() + piece.offset);
        check(piece.text.size() == piece.length);
        check(piece.line >= 1);
        // Only the last piece may end without its ';'.
        check(i + 1 == pieces.size() || piece.text.back() == ';');
        next += piece.length;
        joined += piece.text;

        // The scanner state resets at every split, so a piece re-splits to itself.
        const auto again = vidb::migrate::split_statements(piece.text);
        check(again.size() == 1 && again[0].text == piece.text && again[0].blank == piece.blank);
    }
    check(next == sql.size());
    check(joined == sql);

    const auto server = vidb::migrate::split_statements(sql, vidb::migrate::BodyRule::server);
    std::string server_joined;
    for (const auto& piece : server) {
        server_joined += piece.text;
    }
    check(server_joined == sql);

    const auto plan = vidb::migrate::check_migration_source(sql);
    const auto lines = static_cast<std::size_t>(std::count(sql.begin(), sql.end(), '\n')) + 1;
    std::size_t previous = 1;
    for (const auto& problem : plan.problems) {
        check(problem.line >= previous && problem.line <= lines && !problem.message.empty());
        check(problem.message.find('\n') == std::string::npos);
        previous = problem.line;
    }
    if (plan.run_sql) {
        check(plan.run_sql->size() == sql.size());
        for (std::size_t i = 0; i < sql.size(); ++i) {
            const char c = (*plan.run_sql)[i];
            check(c == sql[i] || (c == ' ' && sql[i] != '\n' && static_cast<unsigned char>(sql[i]) < 0x80));
        }
    }
    return 0;
}
