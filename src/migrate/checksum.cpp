#include "migrate/checksum.h"

#include <openssl/evp.h>

#include <array>
#include <memory>
#include <stdexcept>

namespace vidb::migrate {

std::string sha256_hex(std::string_view bytes)
{
    std::array<unsigned char, EVP_MAX_MD_SIZE> digest {};
    unsigned int digest_length = 0;
    if (EVP_Digest(bytes.data(), bytes.size(), digest.data(), &digest_length, EVP_sha256(), nullptr) != 1) {
        throw std::runtime_error("OpenSSL could not compute a SHA-256 digest");
    }
    constexpr char k_hex[] = "0123456789abcdef";
    std::string hex;
    hex.reserve(static_cast<std::size_t>(digest_length) * 2);
    for (unsigned int i = 0; i < digest_length; ++i) {
        hex.push_back(k_hex[digest[i] >> 4]);
        hex.push_back(k_hex[digest[i] & 0x0f]);
    }
    return hex;
}

} // namespace vidb::migrate
