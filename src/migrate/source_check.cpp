#include "migrate/source_check.h"

#include "migrate/sql_lexer.h"

#include <algorithm>
#include <array>
#include <initializer_list>

namespace vidb::migrate {

namespace {

constexpr std::string_view k_no_transaction_fix = "put `-- vidb:no-transaction` at the top of the file";

char lower(char c)
{
    return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}

// `keyword` is lower case; ASCII case-insensitive, like the server's keyword lookup.
bool is_keyword(std::string_view word, std::string_view keyword)
{
    return std::equal(
        word.begin(), word.end(), keyword.begin(), keyword.end(), [](char w, char k) { return lower(w) == k; });
}

bool is_one_of(std::string_view word, std::initializer_list<std::string_view> keywords)
{
    return std::any_of(keywords.begin(), keywords.end(), [&](std::string_view k) { return is_keyword(word, k); });
}

bool is_blank(char c)
{
    return c == ' ' || c == '\t';
}

std::string_view skip_blanks(std::string_view text)
{
    while (!text.empty() && is_blank(text.front())) {
        text.remove_prefix(1);
    }
    return text;
}

// Messages quote user text; keep them one short line.
std::string shown(std::string_view text)
{
    constexpr std::size_t k_max = 40;
    return text.size() <= k_max ? std::string(text) : std::string(text.substr(0, k_max)) + "...";
}

// 1-based line of an offset; offsets mostly grow, so each newline is counted once.
class LineCounter {
public:
    explicit LineCounter(std::string_view text)
        : m_text(text)
    {
    }
    std::size_t line_at(std::size_t offset)
    {
        if (offset < m_pos) {
            m_pos = 0;
            m_line = 1;
        }
        const std::string_view skipped = m_text.substr(m_pos, offset - m_pos);
        m_line += static_cast<std::size_t>(std::count(skipped.begin(), skipped.end(), '\n'));
        m_pos = offset;
        return m_line;
    }

private:
    std::string_view m_text;
    std::size_t m_pos = 0;
    std::size_t m_line = 1;
};

void blank(std::string& text, std::size_t offset, std::size_t length)
{
    for (std::size_t i = offset; i < offset + length; ++i) {
        if (text[i] != '\n') {
            text[i] = ' ';
        }
    }
}

// Backslashes outside quotes and comments are psql meta-commands. pg_dump's
// `\restrict KEY` / `\unrestrict KEY` lines (15.14+) only guard psql against a malicious
// dump and mean nothing to the server: pass 1 collects them to be blanked. Pass 2 reads
// the blanked text (what is sent) and reports every backslash left, so nothing a blanked
// line hid from the lexer (a quote in a key) escapes.
class MetaCommandFinder {
public:
    enum class Mode { blank_restrict, report };

    MetaCommandFinder(std::string_view text, std::vector<SourceProblem>& problems, Mode mode)
        : m_text(text)
        , m_lines(text)
        , m_problems(problems)
        , m_mode(mode)
    {
    }

    void backslash(std::size_t offset)
    {
        if (offset < m_line_done) {
            return;
        }
        const std::size_t line_start = m_text.rfind('\n', offset) + 1; // npos + 1 == 0
        const std::size_t line_end = std::min(m_text.find('\n', offset), m_text.size());
        m_line_done = line_end; // one report (or one blanking) per line
        const std::string_view command = m_text.substr(offset, line_end - offset);
        const std::string_view name = command.substr(1, command.find_first_of(" \t\\", 1) - 1);
        const bool first_on_line = std::all_of(m_text.begin() + static_cast<std::ptrdiff_t>(line_start),
            m_text.begin() + static_cast<std::ptrdiff_t>(offset), is_blank);
        const bool ascii = std::all_of(
            command.begin(), command.end(), [](char c) { return static_cast<unsigned char>(c) < 0x80 && c != '\r'; });
        if (m_mode == Mode::blank_restrict) {
            if (first_on_line && ascii && (name == "restrict" || name == "unrestrict")) {
                m_blanked.emplace_back(offset, command.size());
            }
            return;
        }
        m_problems.push_back({ m_lines.line_at(offset),
            "psql meta-command \\" + shown(name)
                + " is not SQL; vidb sends SQL to the server, not psql scripts: remove it (only pg_dump's "
                  "\\restrict and \\unrestrict lines are skipped)" });
    }

    const std::vector<std::pair<std::size_t, std::size_t>>& blanked() const { return m_blanked; }

private:
    std::string_view m_text;
    LineCounter m_lines;
    std::vector<SourceProblem>& m_problems;
    Mode m_mode;
    std::size_t m_line_done = 0;
    std::vector<std::pair<std::size_t, std::size_t>> m_blanked;
};

// Pass 1.
class RestrictLineFinder : public SqlObserver {
public:
    explicit RestrictLineFinder(std::string_view text)
        : m_finder(text, m_unused, MetaCommandFinder::Mode::blank_restrict)
    {
    }
    void token(TokenKind kind, std::size_t offset, std::size_t /*length*/) override
    {
        if (kind == TokenKind::backslash) {
            m_finder.backslash(offset);
        }
    }
    const std::vector<std::pair<std::size_t, std::size_t>>& blanked() const { return m_finder.blanked(); }

private:
    std::vector<SourceProblem> m_unused;
    MetaCommandFinder m_finder;
};

enum class ControlKind { begin, commit, other };

// A top-level transaction-control statement of the file.
struct Control {
    std::size_t index = 0; // among the file's non-blank statements
    std::size_t line = 0;
    std::string label; // e.g. "COMMIT", "START TRANSACTION"
    ControlKind kind = ControlKind::other;
    bool plain = false; // BEGIN|START TRANSACTION|COMMIT|END [WORK|TRANSACTION] and nothing else
    std::vector<std::pair<std::size_t, std::size_t>> spans; // its words and ';'
};

std::string control_reason(std::string_view label)
{
    if (label == "BEGIN" || label == "START TRANSACTION") {
        return "vidb already runs the file and its history row in one transaction, and a later COMMIT would "
               "split them";
    }
    if (label == "COMMIT" || label == "END") {
        return "it would commit vidb's history row before the rest of the file ran";
    }
    if (label == "SET TRANSACTION") {
        return "vidb's transaction has already run its own statements, so it cannot take effect";
    }
    if (label == "SET SESSION CHARACTERISTICS") {
        return "it would change the transactions vidb runs after this migration";
    }
    return "it would end vidb's transaction (and its history row) part way";
}

// Pass 2, with the server's statement boundaries (a transactional file is sent whole).
class SourceChecker : public SqlObserver {
public:
    SourceChecker(std::string_view text, SourcePlan& plan)
        : m_text(text)
        , m_lines(text)
        , m_plan(plan)
        , m_meta(text, plan.problems, MetaCommandFinder::Mode::report)
    {
    }

    void token(TokenKind kind, std::size_t offset, std::size_t length) override;
    void comment(std::size_t offset, std::size_t length) override;
    void statement(const Statement& statement) override;

    std::size_t statement_count() const { return m_statement_index; }
    const std::vector<Control>& controls() const { return m_controls; }

private:
    enum class Copy { none, from_stdin, to_stdout };

    std::string_view word(std::size_t i) const
    {
        return i < m_word_count ? m_text.substr(m_words[i].first, m_words[i].second) : std::string_view();
    }
    std::optional<Control> classify(const Statement& statement) const;
    void problem(std::size_t line, std::string message) { m_plan.problems.push_back({ line, std::move(message) }); }

    std::string_view m_text;
    LineCounter m_lines;
    SourcePlan& m_plan;
    MetaCommandFinder m_meta;
    bool m_seen_sql = false; // a token before: directives must come earlier
    std::size_t m_statement_index = 0;
    std::vector<Control> m_controls;

    // The statement being read.
    std::array<std::pair<std::size_t, std::size_t>, 3> m_words {}; // its leading words
    std::size_t m_word_count = 0;
    std::size_t m_token_count = 0;
    bool m_all_words = true;
    bool m_copy = false;
    std::string_view m_previous_word;
    Copy m_copy_stdio = Copy::none;
};

void SourceChecker::token(TokenKind kind, std::size_t offset, std::size_t length)
{
    m_seen_sql = true;
    if (kind == TokenKind::backslash) {
        m_meta.backslash(offset);
    }
    if (kind != TokenKind::word) {
        m_all_words = false;
        m_previous_word = {};
        ++m_token_count;
        return;
    }
    const std::string_view text = m_text.substr(offset, length);
    if (m_all_words && m_word_count == m_token_count && m_word_count < m_words.size()) {
        m_words[m_word_count++] = { offset, length };
    }
    m_copy = m_copy || (m_token_count == 0 && is_keyword(text, "copy"));
    if (m_copy && m_copy_stdio == Copy::none) {
        if (is_keyword(m_previous_word, "from") && is_keyword(text, "stdin")) {
            m_copy_stdio = Copy::from_stdin;
        } else if (is_keyword(m_previous_word, "to") && is_keyword(text, "stdout")) {
            m_copy_stdio = Copy::to_stdout;
        }
    }
    m_previous_word = text;
    ++m_token_count;
}

void SourceChecker::comment(std::size_t offset, std::size_t length)
{
    const std::string_view text = m_text.substr(offset, length);
    const Directive directive = parse_directive(text);
    if (directive.kind == DirectiveKind::none) {
        return;
    }
    const std::size_t line = m_lines.line_at(offset);
    if (text.starts_with("/*")) {
        problem(line,
            "vidb directives are line comments, this one is in a /* */ comment: write it as -- vidb:"
                + shown(directive.word));
    } else if (directive.kind == DirectiveKind::unknown) {
        problem(line,
            "unknown directive vidb:" + shown(directive.word)
                + "; the known ones are -- vidb:no-transaction, in the comments before the first statement, and "
                  "-- vidb:allow <rule> <reason> (a vidb lint waiver)");
    } else if (directive.kind == DirectiveKind::allow) {
        // A waiver, read by vidb lint: fine anywhere.
    } else if (m_seen_sql) {
        problem(line,
            "the -- vidb:no-transaction directive comes after SQL, where it would be ignored; move it into the "
            "comments before the first statement (e.g. the first line)");
    } else {
        m_plan.no_transaction = true;
    }
}

std::optional<Control> SourceChecker::classify(const Statement& statement) const
{
    const std::string_view w0 = word(0);
    const std::string_view w1 = word(1);
    const std::string_view w2 = word(2);
    const bool only_words = m_all_words && m_token_count == m_word_count;
    Control control;
    if (is_keyword(w0, "begin")) {
        control.label = "BEGIN";
        control.kind = ControlKind::begin;
        control.plain
            = only_words && (m_word_count == 1 || (m_word_count == 2 && is_one_of(w1, { "work", "transaction" })));
    } else if (is_keyword(w0, "start") && is_keyword(w1, "transaction")) {
        control.label = "START TRANSACTION";
        control.kind = ControlKind::begin;
        control.plain = only_words && m_word_count == 2;
    } else if (is_one_of(w0, { "commit", "end" })) {
        control.label = is_keyword(w0, "end") ? "END" : "COMMIT";
        control.kind = ControlKind::commit;
        control.plain
            = only_words && (m_word_count == 1 || (m_word_count == 2 && is_one_of(w1, { "work", "transaction" })));
    } else if (is_keyword(w0, "rollback")) {
        // ROLLBACK [WORK|TRANSACTION] TO [SAVEPOINT] name stays inside the transaction.
        if (is_keyword(w1, "to") || (is_one_of(w1, { "work", "transaction" }) && is_keyword(w2, "to"))) {
            return std::nullopt;
        }
        control.label = "ROLLBACK";
    } else if (is_keyword(w0, "abort")) {
        control.label = "ABORT";
    } else if (is_keyword(w0, "prepare") && is_keyword(w1, "transaction")) {
        control.label = "PREPARE TRANSACTION";
    } else if (is_keyword(w0, "set") && is_keyword(w1, "transaction")) {
        control.label = "SET TRANSACTION";
    } else if (is_keyword(w0, "set") && is_keyword(w1, "session") && is_keyword(w2, "characteristics")) {
        control.label = "SET SESSION CHARACTERISTICS";
    } else {
        return std::nullopt;
    }
    control.index = m_statement_index;
    control.line = statement.line;
    if (control.plain) {
        for (std::size_t i = 0; i < m_word_count; ++i) {
            control.spans.push_back(m_words[i]);
        }
        if (statement.text.ends_with(';')) {
            control.spans.emplace_back(statement.offset + statement.length - 1, 1);
        }
    }
    return control;
}

void SourceChecker::statement(const Statement& statement)
{
    if (!statement.blank) {
        if (auto control = classify(statement)) {
            m_controls.push_back(std::move(*control));
        }
        if (m_copy_stdio == Copy::from_stdin) {
            problem(statement.line,
                "COPY ... FROM STDIN needs rows that vidb does not send (it sends SQL, not psql's COPY data): "
                "use INSERT statements (pg_dump --inserts) or COPY ... FROM a file on the server");
        } else if (m_copy_stdio == Copy::to_stdout) {
            problem(statement.line, "COPY ... TO STDOUT sends rows that vidb does not read: remove it");
        }
        ++m_statement_index;
    }
    m_word_count = 0;
    m_token_count = 0;
    m_all_words = true;
    m_copy = false;
    m_previous_word = {};
    m_copy_stdio = Copy::none;
}

std::string& run_text(SourcePlan& plan, std::string_view text)
{
    if (!plan.run_sql) {
        plan.run_sql = std::string(text);
    }
    return *plan.run_sql;
}

} // namespace

Directive parse_directive(std::string_view comment)
{
    std::string_view rest;
    if (comment.starts_with("--")) {
        rest = comment.substr(2);
    } else if (comment.starts_with("/*")) {
        rest = comment.substr(2);
        if (rest.ends_with("*/")) {
            rest.remove_suffix(2);
        }
    } else {
        return {};
    }
    rest = skip_blanks(rest);
    if (rest.size() < 5 || !is_keyword(rest.substr(0, 5), "vidb:")) {
        return {};
    }
    rest = skip_blanks(rest.substr(5));
    const std::string_view word = rest.substr(0, rest.find_first_of(" \t\r\n"));
    const DirectiveKind kind = is_keyword(word, "no-transaction") ? DirectiveKind::no_transaction
        : is_keyword(word, "allow")                               ? DirectiveKind::allow
                                                                  : DirectiveKind::unknown;
    return { kind, std::string(word) };
}

SourcePlan check_migration_source(std::string_view text)
{
    SourcePlan plan;
    // Most files hold no backslash at all: skip that pass.
    if (text.find('\\') != std::string_view::npos) {
        RestrictLineFinder finder(text);
        scan_statements(text, finder, BodyRule::server);
        for (const auto& [offset, length] : finder.blanked()) {
            blank(run_text(plan, text), offset, length);
        }
    }
    const std::string_view sql = plan.run_sql ? std::string_view(*plan.run_sql) : text;
    SourceChecker checker(sql, plan);
    scan_statements(sql, checker, BodyRule::server);

    if (!plan.no_transaction) {
        const auto& controls = checker.controls();
        // golang-migrate style: BEGIN; first, COMMIT; last, nothing else. vidb's own
        // transaction takes their place.
        const bool outer_pair = controls.size() == 2 && controls[0].index == 0 && controls[0].kind == ControlKind::begin
            && controls[0].plain && controls[1].index + 1 == checker.statement_count()
            && controls[1].kind == ControlKind::commit && controls[1].plain;
        if (outer_pair) {
            for (const Control& control : controls) {
                for (const auto& [offset, length] : control.spans) {
                    blank(run_text(plan, text), offset, length);
                }
            }
        } else if (controls.size() == 1 && controls[0].index == 0 && controls[0].kind == ControlKind::begin
            && controls[0].plain) {
            plan.problems.push_back({ controls[0].line,
                controls[0].label
                    + " opens the file, but its last statement is no COMMIT: vidb strips only a whole outer pair; "
                      "remove the BEGIN (vidb runs the file in one transaction anyway)" });
        } else {
            for (const Control& control : controls) {
                // A leading plain BEGIN is fine; what follows it is the problem.
                if (&control == &controls.front() && control.index == 0 && control.kind == ControlKind::begin
                    && control.plain) {
                    continue;
                }
                plan.problems.push_back({ control.line,
                    control.label + " at the top level of a transactional migration: " + control_reason(control.label)
                        + "; remove it (one BEGIN; first with one COMMIT; last is accepted), or "
                        + std::string(k_no_transaction_fix) + " to manage transactions yourself" });
            }
        }
    }
    std::stable_sort(plan.problems.begin(), plan.problems.end(),
        [](const SourceProblem& a, const SourceProblem& b) { return a.line < b.line; });
    return plan;
}

} // namespace vidb::migrate
