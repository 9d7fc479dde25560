#include "migrate/sql_script.h"

namespace vidb::migrate {

namespace {

// Whether psql, having read `sql`, has sent its last statement: it ends with a semicolon
// that is not inside a `--` comment on its last line.
bool terminated(std::string_view sql)
{
    const auto end = sql.find_last_not_of(" \t\r\n");
    if (end == std::string_view::npos) {
        return true;
    }
    if (sql[end] != ';') {
        return false;
    }
    const auto line_start = sql.rfind('\n', end);
    const std::string_view last_line = sql.substr(line_start == std::string_view::npos ? 0 : line_start + 1);
    return last_line.find("--") == std::string_view::npos;
}

} // namespace

void SqlScript::add(std::string_view sql)
{
    m_text += sql;
    if (!sql.empty() && sql.back() != '\n') {
        m_text += '\n';
    }
    if (!terminated(sql)) {
        m_text += ";\n";
    }
}

void SqlScript::comment(std::string_view line)
{
    m_text += "\n-- ";
    m_text += line;
    m_text += "\n";
}

} // namespace vidb::migrate
