#pragma once

#include <cstddef>
#include <string_view>
#include <vector>

namespace vidb::migrate {

// One piece of a SQL script. Pieces are contiguous and cover the whole input, so
// concatenating every piece's text reproduces the input byte for byte.
struct Statement {
    std::size_t offset = 0; // byte offset of the piece in the input
    std::size_t length = 0; // bytes, including the terminating ';' when present
    std::size_t line = 1; // 1-based line of the first non-blank, non-comment byte (or of offset when blank)
    // Only whitespace and comments (plus at most the terminating ';' of an empty
    // statement): nothing to send to the server. An unclosed /* comment is not
    // blank, so the server reports it instead of it silently eating the script.
    bool blank = false;
    std::string_view text; // view into the input: input.substr(offset, length)
};

// Splits at top-level semicolons the way psql does (PostgreSQL 15's psqlscan.l),
// with standard_conforming_strings on. Never fails: unterminated quotes or
// comments make the rest of the input the last piece. Backslash meta-commands
// and :variables are not interpreted. Lines count '\n' only.
std::vector<Statement> split_statements(std::string_view sql);

} // namespace vidb::migrate
