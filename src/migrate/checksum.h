#pragma once

#include <string>
#include <string_view>

struct evp_md_st; // OpenSSL's EVP_MD

namespace vidb::migrate {

// Lower-case hex SHA-256 of the bytes (OpenSSL EVP).
std::string sha256_hex(std::string_view bytes);

// OpenSSL's SHA-256, fetched once for the process.
const evp_md_st* sha256_md();

} // namespace vidb::migrate
