#pragma once

#include <string>
#include <string_view>

namespace vidb::cli {

// A JSON string literal (quotes included) for `text`.
std::string json_string(std::string_view text);

} // namespace vidb::cli
