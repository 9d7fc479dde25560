#pragma once

#include <string>
#include <string_view>

namespace vidb::migrate {

// `migrate --dry-run --sql`: the strings vidb would send, collected instead of sent (see
// History::send) and written as a script psql runs the same way: each string as it is,
// then a `;` line where its last statement lacks one (psql sends a statement once it
// reads its semicolon; vidb sends each string whole).
class SqlScript {
public:
    void add(std::string_view sql);
    void comment(std::string_view line); // "-- line"
    const std::string& text() const { return m_text; }

private:
    std::string m_text;
};

} // namespace vidb::migrate
