#include "db/result.h"

#include <libpq-fe.h>

#include <cstdlib>

namespace vidb::db {

void Result::Deleter::operator()(pg_result* raw) const noexcept
{
    PQclear(raw);
}

Result::Result(pg_result* raw)
    : m_raw(raw)
{
}

int Result::rows() const
{
    return m_raw ? PQntuples(m_raw.get()) : 0;
}

int Result::columns() const
{
    return m_raw ? PQnfields(m_raw.get()) : 0;
}

bool Result::is_null(int row, int column) const
{
    return PQgetisnull(m_raw.get(), row, column) != 0;
}

std::string_view Result::get(int row, int column) const
{
    return { PQgetvalue(m_raw.get(), row, column), static_cast<std::size_t>(PQgetlength(m_raw.get(), row, column)) };
}

std::optional<std::string> Result::optional(int row, int column) const
{
    if (is_null(row, column)) {
        return std::nullopt;
    }
    return std::string(get(row, column));
}

long long Result::get_int(int row, int column) const
{
    return is_null(row, column) ? 0 : std::strtoll(PQgetvalue(m_raw.get(), row, column), nullptr, 10);
}

bool Result::get_bool(int row, int column) const
{
    return get(row, column) == "t";
}

long long Result::affected() const
{
    const char* tuples = m_raw ? PQcmdTuples(m_raw.get()) : "";
    return *tuples ? std::strtoll(tuples, nullptr, 10) : 0;
}

} // namespace vidb::db
