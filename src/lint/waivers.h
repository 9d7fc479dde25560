#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace vidb::lint {

// `-- vidb:allow <rule> <reason>`: silences that rule for the statement the comment
// is on or above.
struct Waiver {
    std::size_t offset = 0; // of the comment
    std::string rule; // as written (may name no rule: then it is a finding itself)
    std::string reason; // empty when missing (a finding itself)
};

// Every waiver comment in the file, in order (line comments only, outside quotes).
std::vector<Waiver> find_waivers(std::string_view sql);

} // namespace vidb::lint
