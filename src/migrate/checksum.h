#pragma once

#include <array>
#include <string>
#include <string_view>

namespace vidb::migrate {

// SHA-256 of the bytes (OpenSSL), raw.
std::array<unsigned char, 32> sha256_bytes(std::string_view bytes);

// Lower-case hex SHA-256 of the bytes.
std::string sha256_hex(std::string_view bytes);

} // namespace vidb::migrate
