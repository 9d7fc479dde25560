#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>

struct pg_result;

namespace vidb::db {

// An owned, successful query result (failures never become a Result: they throw).
class Result {
public:
    Result() = default;
    explicit Result(pg_result* raw);

    int rows() const;
    int columns() const;
    bool is_null(int row, int column) const;
    std::string_view get(int row, int column) const;
    std::optional<std::string> optional(int row, int column) const;
    long long get_int(int row, int column) const;
    bool get_bool(int row, int column) const;
    // Rows affected by an INSERT/UPDATE/DELETE.
    long long affected() const;

private:
    struct Deleter {
        void operator()(pg_result* raw) const noexcept;
    };
    std::unique_ptr<pg_result, Deleter> m_raw;
};

} // namespace vidb::db
