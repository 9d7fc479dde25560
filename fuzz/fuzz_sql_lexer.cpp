// libFuzzer target for the statement splitter: any byte sequence must split into
// contiguous pieces that rebuild the input exactly.
#include "migrate/sql_lexer.h"

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
    return 0;
}
