#include "lint/waivers.h"

#include "migrate/sql_lexer.h"

namespace vidb::lint {

namespace {

constexpr std::string_view k_blanks = " \t\r";

std::string_view trim(std::string_view text)
{
    const std::size_t start = text.find_first_not_of(k_blanks);
    if (start == std::string_view::npos) {
        return {};
    }
    return text.substr(start, text.find_last_not_of(k_blanks) - start + 1);
}

bool starts_with_nocase(std::string_view text, std::string_view prefix)
{
    if (text.size() < prefix.size()) {
        return false;
    }
    for (std::size_t i = 0; i < prefix.size(); ++i) {
        const char c = text[i] >= 'A' && text[i] <= 'Z' ? static_cast<char>(text[i] - 'A' + 'a') : text[i];
        if (c != prefix[i]) {
            return false;
        }
    }
    return true;
}

// The splitter's view of comments: what is inside a string literal is no waiver.
class WaiverFinder : public migrate::SqlObserver {
public:
    explicit WaiverFinder(std::string_view sql)
        : m_sql(sql)
    {
    }
    void comment(std::size_t offset, std::size_t length) override
    {
        std::string_view text = m_sql.substr(offset, length);
        if (!text.starts_with("--")) {
            return;
        }
        text = trim(text.substr(2));
        constexpr std::string_view k_directive = "vidb:allow";
        if (!starts_with_nocase(text, k_directive)
            || (text.size() > k_directive.size()
                && k_blanks.find(text[k_directive.size()]) == std::string_view::npos)) {
            return;
        }
        text = trim(text.substr(k_directive.size()));
        const std::size_t rule_end = std::min(text.find_first_of(k_blanks), text.size());
        m_waivers.push_back(
            { offset, std::string(text.substr(0, rule_end)), std::string(trim(text.substr(rule_end))) });
    }
    std::vector<Waiver> take() { return std::move(m_waivers); }

private:
    std::string_view m_sql;
    std::vector<Waiver> m_waivers;
};

} // namespace

std::vector<Waiver> find_waivers(std::string_view sql)
{
    WaiverFinder finder(sql);
    migrate::scan_statements(sql, finder, migrate::BodyRule::server);
    return finder.take();
}

} // namespace vidb::lint
