// libFuzzer target for the reader of CREATE INDEX statements (migrate/index_statement.cpp):
// any bytes must give an answer without a crash, and a name only with a table.
#include "migrate/index_statement.h"

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const std::string_view sql(reinterpret_cast<const char*>(data), size);
    (void)vidb::migrate::may_leave_invalid_index(sql);
    if (const auto index = vidb::migrate::created_index(sql)) {
        if (index->table.empty() || index->table.size() > sql.size()) {
            std::abort();
        }
    }
    return 0;
}
