#include "migrate/source_layout.h"

#include "migrate/sql_lexer.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <limits>
#include <vector>

namespace vidb::migrate {

namespace {

struct Line {
    std::size_t begin = 0; // offset in the text
    std::size_t number = 1;
    std::string_view text; // without the '\n'
};

std::vector<Line> lines_of(std::string_view text)
{
    std::vector<Line> lines;
    std::size_t begin = 0;
    for (std::size_t number = 1; begin < text.size(); ++number) {
        const std::size_t end = std::min(text.find('\n', begin), text.size());
        lines.push_back({ begin, number, text.substr(begin, end - begin) });
        begin = end + 1;
    }
    return lines;
}

bool is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v';
}

std::string_view trim(std::string_view s)
{
    while (!s.empty() && is_space(s.front())) {
        s.remove_prefix(1);
    }
    while (!s.empty() && is_space(s.back())) {
        s.remove_suffix(1);
    }
    return s;
}

std::string lower(std::string_view s)
{
    std::string out(s);
    std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return std::tolower(c); });
    return out;
}

// Words separated by runs of whitespace.
std::vector<std::string_view> words_of(std::string_view s)
{
    std::vector<std::string_view> words;
    std::size_t i = 0;
    while (i < s.size()) {
        while (i < s.size() && is_space(s[i])) {
            ++i;
        }
        const std::size_t start = i;
        while (i < s.size() && !is_space(s[i])) {
            ++i;
        }
        if (i > start) {
            words.push_back(s.substr(start, i - start));
        }
    }
    return words;
}

bool blank_or_comment(std::string_view line)
{
    const std::string_view t = trim(line);
    return t.empty() || t.starts_with("--");
}

std::optional<std::uint64_t> bigint_version(std::string_view digits)
{
    std::uint64_t version = 0;
    const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), version);
    if (digits.empty() || ec != std::errc {} || end != digits.data() + digits.size()
        || version > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) {
        return std::nullopt;
    }
    return version;
}

bool has_control_char(std::string_view s)
{
    return std::any_of(s.begin(), s.end(), [](char c) { return static_cast<unsigned char>(c) < 0x20 || c == 0x7f; });
}

Section section_of(std::string_view text, const std::vector<Line>& lines, std::size_t from, std::size_t to)
{
    Section section;
    section.first_line = lines[from].number;
    const std::size_t begin = lines[from].begin;
    const std::size_t end = to < lines.size() ? lines[to].begin : text.size();
    section.text = std::string(text.substr(begin, end - begin));
    return section;
}

// ---- dbmate --------------------------------------------------------------------------

// The directive of a dbmate marker line: `--`, optional spaces, `migrate:<word>`.
std::optional<std::string_view> dbmate_directive(std::string_view line)
{
    if (!line.starts_with("--")) {
        return std::nullopt;
    }
    std::string_view rest = line.substr(2);
    while (!rest.empty() && is_space(rest.front())) {
        rest.remove_prefix(1);
    }
    if (!rest.starts_with("migrate:")) {
        return std::nullopt;
    }
    return rest;
}

// "up"/"down" and its options, or a problem.
struct DbmateMarker {
    std::string kind; // up, down, or what else followed migrate:
    bool no_transaction = false;
    std::string problem;
};

DbmateMarker read_dbmate_marker(std::string_view directive)
{
    const auto words = words_of(directive);
    DbmateMarker marker;
    marker.kind = std::string(words.front().substr(std::string_view("migrate:").size()));
    for (std::size_t i = 1; i < words.size(); ++i) {
        const std::string option = lower(words[i]);
        if (option == "transaction:false") {
            marker.no_transaction = true;
        } else if (option != "transaction:true") {
            marker.problem = "dbmate option '" + std::string(words[i])
                + "' is not supported by vidb (only transaction:false and transaction:true)";
        }
    }
    return marker;
}

} // namespace

std::optional<SourceFormat> parse_source_format(std::string_view word)
{
    for (const SourceFormat format : { SourceFormat::auto_detect, SourceFormat::vidb, SourceFormat::golang_migrate,
             SourceFormat::dbmate, SourceFormat::goose, SourceFormat::flyway }) {
        if (word == source_format_name(format)) {
            return format;
        }
    }
    return std::nullopt;
}

const char* source_format_name(SourceFormat format)
{
    switch (format) {
    case SourceFormat::auto_detect:
        return "auto";
    case SourceFormat::vidb:
        return "vidb";
    case SourceFormat::golang_migrate:
        return "golang-migrate";
    case SourceFormat::dbmate:
        return "dbmate";
    case SourceFormat::goose:
        return "goose";
    case SourceFormat::flyway:
        return "flyway";
    }
    return "auto";
}

bool has_dbmate_up_marker(std::string_view text)
{
    for (const Line& line : lines_of(text)) {
        if (const auto directive = dbmate_directive(line.text)) {
            const auto words = words_of(*directive);
            if (words.front() == "migrate:up") {
                return true;
            }
        }
    }
    return false;
}

SplitFile split_dbmate(std::string_view text)
{
    SplitFile split;
    if (!has_dbmate_up_marker(text)) {
        split.problem = LayoutProblem { 0, "no '-- migrate:up' marker (dbmate requires one)" };
        return split;
    }
    const auto lines = lines_of(text);
    std::optional<std::size_t> up;
    std::optional<std::size_t> down;
    DbmateMarker up_marker;
    DbmateMarker down_marker;
    for (std::size_t i = 0; i < lines.size(); ++i) {
        const auto directive = dbmate_directive(lines[i].text);
        if (!directive) {
            if (!up && !down && !blank_or_comment(lines[i].text)) {
                split.problem = LayoutProblem { lines[i].number,
                    "a statement before the '-- migrate:up' marker (dbmate refuses it too); move it into a section" };
                return split;
            }
            continue;
        }
        DbmateMarker marker = read_dbmate_marker(*directive);
        if (!marker.problem.empty()) {
            split.problem = LayoutProblem { lines[i].number, marker.problem };
            return split;
        }
        if (marker.kind == "up" || marker.kind == "down") {
            auto& seen = marker.kind == "up" ? up : down;
            if (seen) {
                split.problem = LayoutProblem { lines[i].number,
                    "a second '-- migrate:" + marker.kind + "' marker (first at line "
                        + std::to_string(lines[*seen].number) + ")" };
                return split;
            }
            if (marker.kind == "down" && !up) {
                split.problem = LayoutProblem { lines[i].number,
                    "'-- migrate:down' before '-- migrate:up' (dbmate refuses it too)" };
                return split;
            }
            seen = i;
            (marker.kind == "up" ? up_marker : down_marker) = marker;
            continue;
        }
        split.problem = LayoutProblem { lines[i].number,
            "dbmate marker '-- migrate:" + marker.kind
                + "' is not supported by vidb (only migrate:up and migrate:down)" };
        return split;
    }
    if (!up) {
        split.problem = LayoutProblem { 0, "no '-- migrate:up' marker (dbmate requires one)" };
        return split;
    }
    split.up = section_of(text, lines, *up, down.value_or(lines.size()));
    split.up.no_transaction = up_marker.no_transaction;
    if (down) {
        split.down = section_of(text, lines, *down, lines.size());
        split.down->no_transaction = down_marker.no_transaction;
    }
    return split;
}

// ---- goose ---------------------------------------------------------------------------

namespace {

// The annotation of a goose line (`-- +goose <words>`), lowercased with single spaces,
// or nothing when the line is no annotation.
std::optional<std::string> goose_annotation(std::string_view line)
{
    std::string_view rest = trim(line);
    if (!rest.starts_with("--")) {
        return std::nullopt;
    }
    rest.remove_prefix(2);
    rest = trim(rest);
    if (lower(rest.substr(0, 6)) != "+goose" || (rest.size() > 6 && !is_space(rest[6]))) {
        return std::nullopt;
    }
    std::string words;
    for (const auto word : words_of(rest.substr(6))) {
        words += (words.empty() ? "" : " ") + lower(word);
    }
    return words;
}

} // namespace

bool has_goose_up_marker(std::string_view text)
{
    for (const Line& line : lines_of(text)) {
        if (goose_annotation(line.text) == "up") {
            return true;
        }
    }
    return false;
}

SplitFile split_goose(std::string_view text)
{
    SplitFile split;
    if (!has_goose_up_marker(text)) {
        split.problem = LayoutProblem { 0, "no '-- +goose Up' annotation (goose requires one)" };
        return split;
    }
    const auto lines = lines_of(text);
    std::optional<std::size_t> up;
    std::optional<std::size_t> down;
    constexpr std::size_t k_none = std::string_view::npos;
    std::size_t block = k_none; // the line index of an open StatementBegin
    bool no_transaction = false;
    const auto problem = [&](std::size_t line, std::string message) {
        split.problem = LayoutProblem { line, std::move(message) };
        return split;
    };
    for (std::size_t i = 0; i < lines.size(); ++i) {
        const auto annotation = goose_annotation(lines[i].text);
        if (!annotation) {
            if (!up && !blank_or_comment(lines[i].text)) {
                return problem(lines[i].number,
                    "a statement before the '-- +goose Up' annotation (goose refuses it too); move it into a section");
            }
            continue;
        }
        if (lines[i].text.front() != '-') {
            return problem(lines[i].number, "a goose annotation with leading whitespace (goose refuses it too)");
        }
        const std::string& a = *annotation;
        if (a == "up" || a == "down") {
            auto& seen = a == "up" ? up : down;
            if (seen) {
                return problem(lines[i].number,
                    "a second '-- +goose " + a + "' annotation (first at line " + std::to_string(lines[*seen].number)
                        + ")");
            }
            if (block != k_none) {
                return problem(lines[block].number, "'-- +goose StatementBegin' without a StatementEnd");
            }
            if (a == "down" && !up) {
                return problem(lines[i].number, "'-- +goose Down' before '-- +goose Up'");
            }
            seen = i;
        } else if (a == "statementbegin") {
            if (!up) {
                return problem(lines[i].number, "'-- +goose StatementBegin' before '-- +goose Up'");
            }
            if (block != k_none) {
                return problem(lines[i].number,
                    "'-- +goose StatementBegin' inside another one (opened at line "
                        + std::to_string(lines[block].number) + ")");
            }
            block = i;
        } else if (a == "statementend") {
            if (block == k_none) {
                return problem(lines[i].number, "'-- +goose StatementEnd' without a StatementBegin");
            }
            block = k_none;
        } else if (a == "no transaction") {
            no_transaction = true;
        } else if (a.starts_with("envsub")) {
            return problem(lines[i].number,
                "goose annotation '" + std::string(trim(lines[i].text))
                    + "' is not supported by vidb: it does not substitute environment variables into migrations; "
                      "write the values into the file");
        } else {
            return problem(lines[i].number,
                "unknown goose annotation '" + std::string(trim(lines[i].text))
                    + "' (vidb reads Up, Down, StatementBegin, StatementEnd and NO TRANSACTION)");
        }
    }
    if (block != k_none) {
        return problem(lines[block].number, "'-- +goose StatementBegin' without a StatementEnd");
    }
    if (!up) {
        return problem(0, "no '-- +goose Up' annotation (goose requires one)");
    }
    split.up = section_of(text, lines, *up, down.value_or(lines.size()));
    split.up.no_transaction = no_transaction;
    if (down) {
        split.down = section_of(text, lines, *down, lines.size());
        split.down->no_transaction = no_transaction;
    }
    return split;
}

namespace {

// goose's endsWithSemicolon: the line's last whitespace-separated word before the first
// word that starts with `--` ends with ';'. Returns the offset of that ';' in the line.
std::optional<std::size_t> goose_line_semicolon(std::string_view line)
{
    std::optional<std::size_t> last; // end of the previous word
    std::size_t i = 0;
    while (i < line.size()) {
        while (i < line.size() && std::isspace(static_cast<unsigned char>(line[i]))) {
            ++i;
        }
        const std::size_t start = i;
        while (i < line.size() && !std::isspace(static_cast<unsigned char>(line[i]))) {
            ++i;
        }
        if (i == start) {
            break;
        }
        if (line.substr(start, 2) == "--") {
            break;
        }
        last = i;
    }
    if (last && line[*last - 1] == ';') {
        return *last - 1;
    }
    return std::nullopt;
}

Statement goose_piece(std::string_view text, std::size_t begin, std::size_t end, std::size_t first_line)
{
    Statement piece;
    piece.offset = begin;
    piece.length = end - begin;
    piece.text = text.substr(begin, end - begin);
    piece.line = first_line;
    piece.blank = true;
    for (const Statement& part : split_statements(piece.text)) {
        if (!part.blank) {
            piece.blank = false;
            piece.line = first_line + part.line - 1;
            break;
        }
    }
    return piece;
}

} // namespace

std::vector<Statement> split_goose_statements(std::string_view section)
{
    // Where the lexer ends a statement with its ';': the only places goose's rule may end one.
    std::vector<std::size_t> lexer_ends;
    for (const Statement& statement : split_statements(section)) {
        if (statement.length > 0 && statement.text.back() == ';') {
            lexer_ends.push_back(statement.offset + statement.length);
        }
    }
    std::vector<Statement> pieces;
    std::size_t begin = 0;
    std::size_t begin_line = 1;
    bool in_block = false;
    for (const Line& line : lines_of(section)) {
        const std::size_t line_end = std::min(line.begin + line.text.size() + 1, section.size());
        bool ends = false;
        if (const auto annotation = goose_annotation(line.text)) {
            if (*annotation == "statementbegin") {
                in_block = true; // an unfinished statement before it becomes part of the block, as in goose
            } else if (*annotation == "statementend") {
                in_block = false;
                ends = true;
            }
        } else if (!in_block) {
            if (const auto semicolon = goose_line_semicolon(line.text)) {
                ends = std::binary_search(lexer_ends.begin(), lexer_ends.end(), line.begin + *semicolon + 1);
            }
        }
        if (ends) {
            pieces.push_back(goose_piece(section, begin, line_end, begin_line));
            begin = line_end;
            begin_line = line.number + 1;
        }
    }
    if (begin < section.size()) {
        pieces.push_back(goose_piece(section, begin, section.size(), begin_line));
    }
    return pieces;
}

// ---- file names ----------------------------------------------------------------------

std::optional<OneFileName> parse_one_file_name(std::string_view file_name, bool require_underscore)
{
    if (!file_name.ends_with(".sql") || has_control_char(file_name)) {
        return std::nullopt;
    }
    const std::string_view stem = file_name.substr(0, file_name.size() - 4);
    const std::size_t digits_end = std::min(stem.find_first_not_of("0123456789"), stem.size());
    const auto version = bigint_version(stem.substr(0, digits_end));
    if (!version) {
        return std::nullopt;
    }
    std::string_view name = stem.substr(digits_end);
    if (name.starts_with('_')) {
        name.remove_prefix(1);
    } else if (require_underscore) {
        return std::nullopt;
    }
    return OneFileName { *version, std::string(stem.substr(0, digits_end)), std::string(name) };
}

std::optional<UpDownName> parse_golang_migrate_name(std::string_view file_name)
{
    UpDownName parsed;
    std::string_view stem;
    if (file_name.ends_with(".up.sql")) {
        stem = file_name.substr(0, file_name.size() - 7);
    } else if (file_name.ends_with(".down.sql")) {
        stem = file_name.substr(0, file_name.size() - 9);
        parsed.up = false;
    } else {
        return std::nullopt;
    }
    const std::size_t underscore = stem.find('_');
    if (underscore == std::string_view::npos || has_control_char(stem)) {
        return std::nullopt;
    }
    const std::string_view digits = stem.substr(0, underscore);
    if (digits.find_first_not_of("0123456789") != std::string_view::npos) {
        return std::nullopt;
    }
    const auto version = bigint_version(digits);
    if (!version) {
        return std::nullopt;
    }
    parsed.version = *version;
    parsed.version_text = std::string(digits);
    parsed.name = std::string(stem.substr(underscore + 1));
    return parsed;
}

// ---- Flyway ---------------------------------------------------------------------------

std::optional<FlywayName> parse_flyway_name(std::string_view file_name)
{
    if (!file_name.ends_with(".sql") || file_name.size() < 2 || has_control_char(file_name)) {
        return std::nullopt;
    }
    FlywayName parsed;
    parsed.prefix = file_name.front();
    const std::string_view stem = file_name.substr(1, file_name.size() - 5);
    const std::size_t separator = stem.find("__");
    if (separator == std::string_view::npos) {
        return std::nullopt;
    }
    parsed.description = std::string(stem.substr(separator + 2));
    const std::string_view version = stem.substr(0, separator);
    if (parsed.prefix == 'R') {
        return version.empty() && !parsed.description.empty() ? std::optional(parsed) : std::nullopt;
    }
    if ((parsed.prefix != 'V' && parsed.prefix != 'U') || version.empty() || version.front() < '0'
        || version.front() > '9' || version.find_first_not_of("0123456789._") != std::string_view::npos) {
        return std::nullopt;
    }
    parsed.version_text = std::string(version);
    if (version.find_first_of("._") == std::string_view::npos) {
        parsed.version = bigint_version(version);
    }
    return parsed;
}

namespace {

// The first few words of a statement, upper-cased, skipping comments and parenthesised
// option lists; stops at anything else that is not a plain word.
std::vector<std::string> leading_words(std::string_view statement, std::size_t count)
{
    std::vector<std::string> words;
    std::size_t i = 0;
    while (words.size() < count) {
        i = skip_trivia(statement, i);
        if (i < statement.size() && statement[i] == '(') { // an option list: REINDEX (VERBOSE) …, VACUUM (FULL) …
            const std::size_t close = statement.find(')', i);
            i = close == std::string_view::npos ? statement.size() : close + 1;
            continue;
        }
        const std::size_t start = i;
        while (
            i < statement.size() && (std::isalnum(static_cast<unsigned char>(statement[i])) || statement[i] == '_')) {
            ++i;
        }
        if (i == start) {
            break;
        }
        std::string word(statement.substr(start, i - start));
        std::transform(word.begin(), word.end(), word.begin(), [](unsigned char c) { return std::toupper(c); });
        words.push_back(std::move(word));
    }
    return words;
}

bool contains_word(const std::vector<std::string>& words, std::string_view word)
{
    return std::find(words.begin(), words.end(), word) != words.end();
}

std::optional<std::string> refused_in_transaction(const std::vector<std::string>& w)
{
    const auto at = [&](std::size_t i) { return i < w.size() ? std::string_view(w[i]) : std::string_view(); };
    if (at(0) == "VACUUM" || (at(0) == "ALTER" && at(1) == "SYSTEM") || (at(0) == "DISCARD" && at(1) == "ALL")) {
        return at(0) == "VACUUM" ? "VACUUM" : std::string(at(0)) + " " + std::string(at(1));
    }
    if ((at(0) == "CREATE" || at(0) == "DROP")
        && (at(1) == "DATABASE" || at(1) == "TABLESPACE" || at(1) == "SUBSCRIPTION")) {
        return std::string(at(0)) + " " + std::string(at(1));
    }
    const std::size_t index = at(1) == "UNIQUE" ? 2 : 1;
    if ((at(0) == "CREATE" || at(0) == "DROP") && at(index) == "INDEX" && at(index + 1) == "CONCURRENTLY") {
        return std::string(at(0)) + " INDEX CONCURRENTLY";
    }
    if (at(0) == "REINDEX" && (contains_word(w, "CONCURRENTLY") || at(1) == "DATABASE" || at(1) == "SYSTEM")) {
        return "REINDEX " + std::string(contains_word(w, "CONCURRENTLY") ? "CONCURRENTLY" : at(1));
    }
    return std::nullopt;
}

} // namespace

std::optional<std::string> statement_refused_in_transaction(std::string_view text)
{
    for (const Statement& statement : split_statements(text, BodyRule::server)) {
        if (statement.blank) {
            continue;
        }
        if (const auto what = refused_in_transaction(leading_words(statement.text, 6))) {
            return *what + " at line " + std::to_string(statement.line);
        }
    }
    return std::nullopt;
}

std::int32_t flyway_checksum(std::string_view text)
{
    // CRC-32 (IEEE 802.3, reflected, as java.util.zip.CRC32). Feeding the lines one after
    // another without terminators is feeding their concatenation: drop every CR and LF.
    static const auto table = [] {
        std::array<std::uint32_t, 256> t {};
        for (std::uint32_t n = 0; n < 256; ++n) {
            std::uint32_t c = n;
            for (int k = 0; k < 8; ++k) {
                c = (c & 1) ? 0xEDB88320U ^ (c >> 1) : c >> 1;
            }
            t[n] = c;
        }
        return t;
    }();
    if (text.starts_with("\xEF\xBB\xBF")) {
        text.remove_prefix(3);
    }
    std::uint32_t crc = 0xFFFFFFFFU;
    for (const char c : text) {
        if (c != '\n' && c != '\r') {
            crc = table[(crc ^ static_cast<unsigned char>(c)) & 0xFFU] ^ (crc >> 8);
        }
    }
    return static_cast<std::int32_t>(crc ^ 0xFFFFFFFFU);
}

} // namespace vidb::migrate
