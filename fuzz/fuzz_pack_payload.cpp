// libFuzzer target for what a packed vidb reads from the end of its own file: the
// trailer (decode_trailer) and the payload (decode_payload). Any input either decodes or
// throws PayloadError; a decoded payload encodes back to the same bytes and holds only
// NAME.sql / checks/NAME.sql paths.
#include "migrate/pack_payload.h"

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

namespace {

void check(bool condition)
{
    if (!condition) {
        std::abort();
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    using namespace vidb::migrate;
    const std::string_view input(reinterpret_cast<const char*>(data), size);
    try {
        const Payload payload = decode_payload(input);
        check(encode_payload(payload) == input);
        for (const auto& file : payload.files) {
            std::string_view name = file.relative_path;
            if (name.starts_with("checks/")) {
                name.remove_prefix(7);
            }
            check(name.find('/') == std::string_view::npos && name != "." && name != ".." && name.ends_with(".sql"));
        }
    } catch (const PayloadError&) {
    }
    if (input.size() >= k_trailer_size) {
        try {
            const auto trailer = decode_trailer(input.substr(input.size() - k_trailer_size));
            if (trailer) {
                check(encode_trailer(*trailer) == input.substr(input.size() - k_trailer_size));
            }
        } catch (const PayloadError&) {
        }
    }
    return 0;
}
