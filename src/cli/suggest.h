#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace vidb::cli {

// The candidate closest to `word` (edit distance at most 2), or "" when none is close.
std::string closest_match(std::string_view word, const std::vector<std::string>& candidates);

} // namespace vidb::cli
