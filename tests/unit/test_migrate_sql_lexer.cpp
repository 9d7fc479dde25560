#include "migrate/sql_lexer.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <string>
#include <string_view>
#include <vector>

namespace vidb::migrate {
namespace {

using namespace std::string_literals;

std::vector<std::string> texts_of(const std::vector<Statement>& pieces)
{
    std::vector<std::string> texts;
    for (const Statement& piece : pieces) {
        texts.emplace_back(piece.text);
    }
    return texts;
}

// The invariants every split must keep, whatever the input.
void expect_well_formed(std::string_view sql, const std::vector<Statement>& pieces)
{
    if (sql.empty()) {
        EXPECT_TRUE(pieces.empty());
        return;
    }
    ASSERT_FALSE(pieces.empty());
    const auto line_count = 1 + static_cast<std::size_t>(std::count(sql.begin(), sql.end(), '\n'));
    std::size_t next = 0;
    std::size_t previous_line = 1;
    std::string joined;
    for (std::size_t i = 0; i < pieces.size(); ++i) {
        const Statement& piece = pieces[i];
        ASSERT_EQ(piece.offset, next) << "piece " << i;
        ASSERT_GT(piece.length, 0u) << "piece " << i;
        ASSERT_LE(piece.offset + piece.length, sql.size()) << "piece " << i;
        EXPECT_EQ(piece.text.data(), sql.data() + piece.offset) << "piece " << i;
        EXPECT_EQ(piece.text.size(), piece.length) << "piece " << i;
        if (i + 1 < pieces.size()) {
            EXPECT_EQ(piece.text.back(), ';') << "piece " << i;
        }
        EXPECT_GE(piece.line, previous_line) << "piece " << i;
        EXPECT_LE(piece.line, line_count) << "piece " << i;
        previous_line = piece.line;
        next = piece.offset + piece.length;
        joined += piece.text;
    }
    EXPECT_EQ(next, sql.size());
    EXPECT_EQ(joined, sql);
}

// The scanner state is fully reset at every split, so a piece split on its own is itself.
void expect_pieces_resplit_to_themselves(const std::vector<Statement>& pieces)
{
    for (const Statement& piece : pieces) {
        const auto again = split_statements(piece.text);
        ASSERT_EQ(again.size(), 1u) << "piece: " << piece.text;
        EXPECT_EQ(again[0].text, piece.text);
        EXPECT_EQ(again[0].blank, piece.blank) << "piece: " << piece.text;
    }
}

struct SplitCase {
    const char* name;
    std::string input;
    std::vector<std::string> pieces;
};

std::ostream& operator<<(std::ostream& out, const SplitCase& c)
{
    return out << c.name;
}

const std::string k_routine = "CREATE FUNCTION f(x int) RETURNS int LANGUAGE sql ";

const std::vector<SplitCase> k_cases = {
    // Plain statements.
    { "two_statements", "SELECT 1; SELECT 2;", { "SELECT 1;", " SELECT 2;" } },
    { "last_without_semicolon", "SELECT 1;\nSELECT 2", { "SELECT 1;", "\nSELECT 2" } },
    { "trailing_whitespace_piece", "SELECT 1;\n  \n", { "SELECT 1;", "\n  \n" } },
    { "empty_statements", ";;", { ";", ";" } },
    { "crlf", "SELECT 1;\r\nSELECT 2;\r\n", { "SELECT 1;", "\r\nSELECT 2;", "\r\n" } },

    // Single-quoted strings (standard_conforming_strings on).
    { "semicolon_in_string", "SELECT ';';X;", { "SELECT ';';", "X;" } },
    { "doubled_quote", "SELECT 'it''s;';X;", { "SELECT 'it''s;';", "X;" } },
    { "backslash_is_literal", R"(SELECT 'C:\';X;)", { R"(SELECT 'C:\';)", "X;" } },
    { "adjacent_strings", "SELECT 'a' 'b;';X;", { "SELECT 'a' 'b;';", "X;" } },
    { "comment_starts_in_string", "SELECT '/*', '--', '$$';X;", { "SELECT '/*', '--', '$$';", "X;" } },

    // E'' strings: backslash escapes, continuation across a newline keeps them.
    { "e_string_escaped_quote", R"(SELECT E'\';';X;)", { R"(SELECT E'\';';)", "X;" } },
    { "e_string_escaped_backslash", R"(SELECT e'\\';X;)", { R"(SELECT e'\\';)", "X;" } },
    { "e_string_doubled_quote", "SELECT E'a''b;c';X;", { "SELECT E'a''b;c';", "X;" } },
    { "word_ending_in_e_is_not_prefix", R"(SELECT some'\';X;)", { R"(SELECT some'\';)", "X;" } },
    { "e_string_continued_on_next_line", "SELECT E'a'\n'\\';';X;", { "SELECT E'a'\n'\\';';", "X;" } },
    { "e_string_continued_after_comment", "SELECT E'a' -- c\n  '\\';';X;", { "SELECT E'a' -- c\n  '\\';';", "X;" } },
    { "e_string_not_continued_on_same_line", "SELECT E'a' '\\';X;", { "SELECT E'a' '\\';", "X;" } },

    // Other prefixed literals and identifiers.
    { "u_amp_string", R"(SELECT U&'d\0061t;';X;)", { R"(SELECT U&'d\0061t;';)", "X;" } },
    { "u_amp_string_backslash_does_not_escape", R"(SELECT u&'\';X;)", { R"(SELECT u&'\';)", "X;" } },
    { "u_amp_identifier", R"(SELECT 1 AS U&"a;""b";X;)", { R"(SELECT 1 AS U&"a;""b";)", "X;" } },
    { "bit_and_hex_strings", "SELECT B'01;', X'1F;', N'n;';X;", { "SELECT B'01;', X'1F;', N'n;';", "X;" } },

    // Double-quoted identifiers.
    { "quoted_identifier", R"(SELECT "a;""b" FROM t;X;)", { R"(SELECT "a;""b" FROM t;)", "X;" } },
    { "quote_in_quoted_identifier", R"(SELECT "it's;";X;)", { R"(SELECT "it's;";)", "X;" } },

    // Dollar quotes.
    { "dollar_quote", "SELECT $$;'$$;X;", { "SELECT $$;'$$;", "X;" } },
    { "tagged_dollar_quote", "SELECT $body$ ; $$ ; $body$;X;", { "SELECT $body$ ; $$ ; $body$;", "X;" } },
    { "dollar_tag_mismatch", "SELECT $a$ ; $b$ ; $a$;X;", { "SELECT $a$ ; $b$ ; $a$;", "X;" } },
    { "dollar_close_shares_dollar", "SELECT $a$ ; $b$a$;X;", { "SELECT $a$ ; $b$a$;", "X;" } },
    { "dollar_tag_is_case_sensitive", "SELECT $A$ ; $a$ ; $A$;X;", { "SELECT $A$ ; $a$ ; $A$;", "X;" } },
    { "dollar_tag_prefix_does_not_close", "SELECT $ab$ ; $a$ ; $ab$;X;", { "SELECT $ab$ ; $a$ ; $ab$;", "X;" } },
    { "parameter_is_not_quote", "SELECT $1;SELECT $2;", { "SELECT $1;", "SELECT $2;" } },
    { "digit_tag_is_not_quote", "SELECT $1a$;X;", { "SELECT $1a$;", "X;" } },
    { "parameter_then_dollar_quote", "SELECT $1$$;$$;X;", { "SELECT $1$$;$$;", "X;" } },
    { "identifier_with_dollars", "SELECT a$$b;X;", { "SELECT a$$b;", "X;" } },
    { "high_byte_tag", "SELECT $\xe9$;$\xe9$;X;", { "SELECT $\xe9$;$\xe9$;", "X;" } },

    // Comments.
    { "line_comment_with_semicolon_and_quote", "SELECT 1 -- it's; a \"comment\n;X;",
        { "SELECT 1 -- it's; a \"comment\n;", "X;" } },
    { "line_comment_ends_at_cr", "SELECT 1 -- c\r;X;", { "SELECT 1 -- c\r;", "X;" } },
    { "block_comment", "SELECT /* ; ' \" $$ */ 1;X;", { "SELECT /* ; ' \" $$ */ 1;", "X;" } },
    { "nested_block_comment", "SELECT /* /* ; */ ; */ 1;X;", { "SELECT /* /* ; */ ; */ 1;", "X;" } },
    { "block_comment_many_stars", "SELECT /*** ; **/ 1;X;", { "SELECT /*** ; **/ 1;", "X;" } },
    { "comment_after_operator", "SELECT 1 +/* ; */ 2-- ;\n;X;", { "SELECT 1 +/* ; */ 2-- ;\n;", "X;" } },

    // Parentheses.
    { "semicolon_in_parentheses", "CREATE RULE r AS ON INSERT TO t DO ALSO (INSERT INTO a VALUES (1); NOTIFY b);X;",
        { "CREATE RULE r AS ON INSERT TO t DO ALSO (INSERT INTO a VALUES (1); NOTIFY b);", "X;" } },
    { "unbalanced_close_parenthesis", "SELECT 1);X;", { "SELECT 1);", "X;" } },

    // BEGIN ATOMIC bodies (psql's begin_depth).
    { "begin_atomic", k_routine + "BEGIN ATOMIC SELECT 1; SELECT 2; END;X;",
        { k_routine + "BEGIN ATOMIC SELECT 1; SELECT 2; END;", "X;" } },
    { "begin_atomic_with_case", k_routine + "BEGIN ATOMIC SELECT CASE WHEN x > 0 THEN 1 ELSE 2 END; SELECT 3; END;X;",
        { k_routine + "BEGIN ATOMIC SELECT CASE WHEN x > 0 THEN 1 ELSE 2 END; SELECT 3; END;", "X;" } },
    { "begin_atomic_with_nested_case",
        k_routine + "BEGIN ATOMIC SELECT CASE WHEN x > 0 THEN CASE x WHEN 1 THEN 1 END END; END;X;",
        { k_routine + "BEGIN ATOMIC SELECT CASE WHEN x > 0 THEN CASE x WHEN 1 THEN 1 END END; END;", "X;" } },
    { "begin_atomic_case_in_parentheses", k_routine + "BEGIN ATOMIC SELECT (CASE WHEN true THEN 1 END); END;X;",
        { k_routine + "BEGIN ATOMIC SELECT (CASE WHEN true THEN 1 END); END;", "X;" } },
    { "begin_atomic_quoted_end_is_not_keyword", k_routine + "BEGIN ATOMIC SELECT 'end'; SELECT 1 AS \"end\"; END;X;",
        { k_routine + "BEGIN ATOMIC SELECT 'end'; SELECT 1 AS \"end\"; END;", "X;" } },
    { "or_replace_procedure_mixed_case",
        "create Or rePlace PROCEDURE p() Begin Atomic insert into t values (1); eNd;X;",
        { "create Or rePlace PROCEDURE p() Begin Atomic insert into t values (1); eNd;", "X;" } },
    { "two_bodies_in_a_row",
        "CREATE PROCEDURE p() BEGIN ATOMIC SELECT 1; END;CREATE FUNCTION g() BEGIN ATOMIC SELECT 2; END;",
        { "CREATE PROCEDURE p() BEGIN ATOMIC SELECT 1; END;", "CREATE FUNCTION g() BEGIN ATOMIC SELECT 2; END;" } },
    { "function_without_body_then_transaction", "CREATE FUNCTION f() RETURNS int RETURN 1;BEGIN;SELECT 1;END;",
        { "CREATE FUNCTION f() RETURNS int RETURN 1;", "BEGIN;", "SELECT 1;", "END;" } },
    { "plpgsql_body_is_a_dollar_quote",
        "CREATE FUNCTION f() RETURNS void LANGUAGE plpgsql AS $$ BEGIN PERFORM 1; END $$;X;",
        { "CREATE FUNCTION f() RETURNS void LANGUAGE plpgsql AS $$ BEGIN PERFORM 1; END $$;", "X;" } },
    { "do_block", "DO $do$BEGIN RAISE NOTICE ';'; END$do$;X;", { "DO $do$BEGIN RAISE NOTICE ';'; END$do$;", "X;" } },

    // Top-level BEGIN/CASE never nest.
    { "top_level_transaction", "BEGIN;\nCREATE TABLE t (id int);\nCOMMIT;",
        { "BEGIN;", "\nCREATE TABLE t (id int);", "\nCOMMIT;" } },
    { "begin_after_comment", "-- vidb:no-transaction\nBEGIN ISOLATION LEVEL SERIALIZABLE;SELECT 1;END;",
        { "-- vidb:no-transaction\nBEGIN ISOLATION LEVEL SERIALIZABLE;", "SELECT 1;", "END;" } },
    { "case_outside_routine", "SELECT CASE WHEN true THEN 1 END;X;", { "SELECT CASE WHEN true THEN 1 END;", "X;" } },
    { "begin_as_column_name", "SELECT 1 AS begin;X;", { "SELECT 1 AS begin;", "X;" } },
    { "create_table_named_begin", "CREATE TABLE begin (x int);X;", { "CREATE TABLE begin (x int);", "X;" } },
    { "trigger_executing_function",
        "CREATE OR REPLACE TRIGGER t BEFORE INSERT ON x FOR EACH ROW EXECUTE FUNCTION begin();X;",
        { "CREATE OR REPLACE TRIGGER t BEFORE INSERT ON x FOR EACH ROW EXECUTE FUNCTION begin();", "X;" } },
    { "routine_word_in_parentheses", "CREATE FUNCTION f(begin int) RETURNS int RETURN 1;X;",
        { "CREATE FUNCTION f(begin int) RETURNS int RETURN 1;", "X;" } },

    // Unterminated constructs: the rest of the input is the last piece.
    { "unterminated_string", "SELECT 1; SELECT 'a; SELECT 2;", { "SELECT 1;", " SELECT 'a; SELECT 2;" } },
    { "unterminated_e_string", "SELECT 1; SELECT E'\\", { "SELECT 1;", " SELECT E'\\" } },
    { "unterminated_identifier", "SELECT 1; SELECT \"a; X;", { "SELECT 1;", " SELECT \"a; X;" } },
    { "unterminated_dollar_quote", "SELECT 1; SELECT $x$ ; $y$;", { "SELECT 1;", " SELECT $x$ ; $y$;" } },
    { "unterminated_block_comment", "SELECT 1; /* /* */ ; X;", { "SELECT 1;", " /* /* */ ; X;" } },
    { "unterminated_body", k_routine + "BEGIN ATOMIC SELECT 1;", { k_routine + "BEGIN ATOMIC SELECT 1;" } },
    { "lone_dollar_at_end", "SELECT 1;$", { "SELECT 1;", "$" } },

    // Any bytes.
    { "nul_bytes", "SELECT '\0;';\0;X"s, { "SELECT '\0;';"s, "\0;"s, "X" } },
    { "invalid_utf8", "SELECT \xff\xfe;\xc3;", { "SELECT \xff\xfe;", "\xc3;" } },
};

class SplitTest : public testing::TestWithParam<SplitCase> { };

TEST_P(SplitTest, splits_where_psql_does)
{
    const SplitCase& c = GetParam();
    const auto pieces = split_statements(c.input);
    EXPECT_EQ(texts_of(pieces), c.pieces);
    expect_well_formed(c.input, pieces);
    expect_pieces_resplit_to_themselves(pieces);
}

// The server's rule agrees with psql's wherever a body is a real BEGIN ATOMIC.
TEST_P(SplitTest, splits_the_same_with_the_server_rule)
{
    const SplitCase& c = GetParam();
    EXPECT_EQ(texts_of(split_statements(c.input, BodyRule::server)), c.pieces);
}

INSTANTIATE_TEST_SUITE_P(Adversarial, SplitTest, testing::ValuesIn(k_cases),
    [](const testing::TestParamInfo<SplitCase>& param_info) { return param_info.param.name; });

TEST(SqlLexer, empty_input_gives_no_pieces)
{
    EXPECT_TRUE(split_statements("").empty());
}

TEST(SqlLexer, whitespace_and_comment_pieces_are_blank)
{
    const auto pieces = split_statements("SELECT 1;  -- trailing ';'\n/* c; */\n");
    ASSERT_EQ(pieces.size(), 2u);
    EXPECT_FALSE(pieces[0].blank);
    EXPECT_TRUE(pieces[1].blank);

    const auto comment_only = split_statements("-- vidb:no-transaction\n/* nothing */");
    ASSERT_EQ(comment_only.size(), 1u);
    EXPECT_TRUE(comment_only[0].blank);

    const auto spaces = split_statements(" \t\r\n\f");
    ASSERT_EQ(spaces.size(), 1u);
    EXPECT_TRUE(spaces[0].blank);
}

TEST(SqlLexer, empty_statement_is_blank)
{
    const auto pieces = split_statements("SELECT 1; ;\n-- c\n;");
    ASSERT_EQ(pieces.size(), 3u);
    EXPECT_FALSE(pieces[0].blank);
    EXPECT_TRUE(pieces[1].blank);
    EXPECT_TRUE(pieces[2].blank);
}

TEST(SqlLexer, vertical_tab_and_nul_are_not_blank)
{
    EXPECT_FALSE(split_statements("\v")[0].blank);
    EXPECT_FALSE(split_statements("\0"s)[0].blank);
}

TEST(SqlLexer, unterminated_block_comment_is_not_blank)
{
    // Otherwise everything after a stray "/*" would be skipped without an error.
    const auto pieces = split_statements("SELECT 1;\n/* CREATE TABLE t (id int);\n");
    ASSERT_EQ(pieces.size(), 2u);
    EXPECT_FALSE(pieces[1].blank);
    EXPECT_EQ(pieces[1].line, 2u);
}

TEST(SqlLexer, terminated_line_comment_at_end_is_blank)
{
    const auto pieces = split_statements("SELECT 1; -- no newline at end");
    ASSERT_EQ(pieces.size(), 2u);
    EXPECT_TRUE(pieces[1].blank);
}

TEST(SqlLexer, line_is_first_significant_byte)
{
    const std::string sql = "-- header\n" // 1
                            "\n" // 2
                            "SELECT 1;\n" // 3
                            "/* multi\n" // 4
                            "   line */ SELECT\n" // 5
                            "  2; SELECT 'a\n" // 6
                            "b'; -- tail\n" // 7
                            "\n"; // 8
    const auto pieces = split_statements(sql);
    ASSERT_EQ(pieces.size(), 4u);
    EXPECT_EQ(pieces[0].line, 3u);
    EXPECT_EQ(pieces[1].line, 5u);
    EXPECT_EQ(pieces[2].line, 6u);
    EXPECT_TRUE(pieces[3].blank);
    EXPECT_EQ(pieces[3].line, 7u); // blank: line of its offset, just after "b';"
    expect_well_formed(sql, pieces);
}

TEST(SqlLexer, line_counts_crlf_once)
{
    const auto pieces = split_statements("SELECT 1;\r\n\r\nSELECT 2;\r\n");
    ASSERT_EQ(pieces.size(), 3u);
    EXPECT_EQ(pieces[0].line, 1u);
    EXPECT_EQ(pieces[1].line, 3u);
    EXPECT_TRUE(pieces[2].blank);
    EXPECT_EQ(pieces[2].line, 3u);
}

TEST(SqlLexer, offsets_and_lengths_describe_the_text)
{
    const std::string sql = "SELECT 1;\nSELECT ';';\n";
    const auto pieces = split_statements(sql);
    ASSERT_EQ(pieces.size(), 3u);
    EXPECT_EQ(pieces[1].offset, 9u);
    EXPECT_EQ(pieces[1].length, 12u);
    EXPECT_EQ(pieces[1].text, "\nSELECT ';';");
    EXPECT_EQ(pieces[2].offset, 21u);
    EXPECT_EQ(pieces[2].length, 1u);
}

// Random inputs over an alphabet that keeps hitting quotes, comments, tags and keywords.
TEST(SqlLexer, random_inputs_round_trip)
{
    static constexpr std::string_view k_alphabet = "'\";$-/*\nEBCDGINTA()e&U\\ \r1a";
    static const std::vector<std::string_view> k_words = { "BEGIN", "END", "CASE", "CREATE", "FUNCTION", "PROCEDURE",
        "OR", "REPLACE", "ATOMIC", "$$", "$a$", "E'", "U&'", "/*", "*/", "--", std::string_view("\0", 1) };
    std::mt19937 rng(20240607);
    for (int round = 0; round < 20000; ++round) {
        std::string sql;
        const auto size = std::uniform_int_distribution<int>(0, 80)(rng);
        for (int i = 0; i < size; ++i) {
            if (rng() % 5 == 0) {
                sql.append(k_words[rng() % k_words.size()]);
                sql += ' ';
            } else {
                sql += k_alphabet[rng() % k_alphabet.size()];
            }
        }
        const auto pieces = split_statements(sql);
        expect_well_formed(sql, pieces);
        expect_pieces_resplit_to_themselves(pieces);
        if (HasFailure()) {
            ADD_FAILURE() << "input: " << testing::PrintToString(sql);
            return;
        }
    }
}

std::string repeat(std::string_view part, std::size_t times)
{
    std::string out;
    out.reserve(part.size() * times);
    for (std::size_t i = 0; i < times; ++i) {
        out += part;
    }
    return out;
}

TEST(SqlLexerServerRule, only_begin_atomic_opens_a_body)
{
    // psql keeps reading after a routine named "begin" (it waits for END); the server does not.
    const std::string named_begin = "CREATE FUNCTION begin() RETURNS int LANGUAGE sql AS 'SELECT 1';COMMIT;";
    EXPECT_EQ(split_statements(named_begin).size(), 1u);
    EXPECT_EQ(texts_of(split_statements(named_begin, BodyRule::server)),
        (std::vector<std::string> { "CREATE FUNCTION begin() RETURNS int LANGUAGE sql AS 'SELECT 1';", "COMMIT;" }));
    const std::string returns_begin = "CREATE FUNCTION f() RETURNS begin AS 'x' LANGUAGE sql;ROLLBACK;";
    EXPECT_EQ(split_statements(returns_begin, BodyRule::server).size(), 2u);
    // Comments may stand between BEGIN and ATOMIC; a CASE inside the body nests.
    const std::string body = k_routine + "BEGIN /* c */ -- d\n ATOMIC SELECT CASE WHEN x THEN 1 END; END;X;";
    EXPECT_EQ(texts_of(split_statements(body, BodyRule::server)),
        (std::vector<std::string> {
            k_routine + "BEGIN /* c */ -- d\n ATOMIC SELECT CASE WHEN x THEN 1 END; END;", "X;" }));
    // Anything else between them: no body.
    EXPECT_EQ(split_statements(k_routine + "BEGIN 1 ATOMIC; END;", BodyRule::server).size(), 2u);
}

// Records what an observer is told, as "kind:text" entries.
class Recorder : public SqlObserver {
public:
    explicit Recorder(std::string_view sql)
        : m_sql(sql)
    {
    }
    void token(TokenKind kind, std::size_t offset, std::size_t length) override
    {
        const char* name = kind == TokenKind::word ? "w" : kind == TokenKind::backslash ? "b" : "o";
        seen.push_back(std::string(name) + ":" + std::string(m_sql.substr(offset, length)));
    }
    void comment(std::size_t offset, std::size_t length) override
    {
        seen.push_back("c:" + std::string(m_sql.substr(offset, length)));
    }
    void statement(const Statement& statement) override { seen.push_back("s:" + std::string(statement.text)); }
    std::vector<std::string> seen;

private:
    std::string_view m_sql;
};

TEST(SqlLexerObserver, sees_words_literals_comments_backslashes_and_statements)
{
    const std::string sql = "-- c\nCOPY t FROM stdin; /* x */ SELECT E'\\'', \"q\", $$d$$\n\\x 1;";
    Recorder recorder(sql);
    scan_statements(sql, recorder);
    EXPECT_EQ(recorder.seen,
        (std::vector<std::string> { "c:-- c", "w:COPY", "w:t", "w:FROM", "w:stdin", "s:-- c\nCOPY t FROM stdin;",
            "c:/* x */", "w:SELECT", "o:E'\\''", "o:,", "o:\"q\"", "o:,", "o:$$d$$", "b:\\", "w:x", "o:1",
            "s: /* x */ SELECT E'\\'', \"q\", $$d$$\n\\x 1;" }));
}

// Inputs that would make a quadratic scanner crawl; these finish in milliseconds.
TEST(SqlLexer, pathological_inputs_stay_linear)
{
    const std::size_t n = 200000;
    const std::string tag = "$" + std::string(1000, 't') + "$";
    const std::string near_miss = "$" + std::string(999, 't') + "u$";
    const std::vector<std::string> inputs = {
        tag + repeat(near_miss, n / 1000), // same-length wrong closing tags
        std::string(n, '$'), // empty-tag quotes opening and closing
        "$a" + std::string(n, 'a'), // a failed tag, then a huge word
        std::string(n, '('), // deep parentheses
        repeat("/*", n / 2), // deep unterminated comment
        "E'" + std::string(n, '\\'), // escapes up to the end
        "E'a'" + repeat("\n -- c\n'x'", n / 10), // a long chain of continuations
        k_routine + "BEGIN ATOMIC " + repeat("CASE ;", n / 6),
        std::string(n, '\''),
        std::string(n, ';'),
    };
    for (const auto& sql : inputs) {
        expect_well_formed(sql, split_statements(sql));
    }
}

} // namespace
} // namespace vidb::migrate
