#include "migrate/checksum.h"

#include <openssl/evp.h>

#include <array>
#include <memory>
#include <stdexcept>

namespace vidb::migrate {

const EVP_MD* sha256_md()
{
    // Fetched once: EVP_sha256() makes every EVP_Digest() look the algorithm up again, which
    // cost more than hashing a small file (a packed vidb hashes every file at start-up).
    static const EVP_MD* const md = [] {
        const EVP_MD* fetched = EVP_MD_fetch(nullptr, "SHA256", nullptr);
        return fetched != nullptr ? fetched : EVP_sha256();
    }();
    return md;
}

std::string sha256_hex(std::string_view bytes)
{
    std::array<unsigned char, EVP_MAX_MD_SIZE> digest {};
    unsigned int digest_length = 0;
    if (EVP_Digest(bytes.data(), bytes.size(), digest.data(), &digest_length, sha256_md(), nullptr) != 1) {
        throw std::runtime_error("OpenSSL could not compute a SHA-256 digest");
    }
    constexpr char k_hex[] = "0123456789abcdef";
    std::string hex;
    hex.reserve(digest_length * 2);
    for (unsigned int i = 0; i < digest_length; ++i) {
        hex.push_back(k_hex[digest[i] >> 4]);
        hex.push_back(k_hex[digest[i] & 0x0f]);
    }
    return hex;
}

} // namespace vidb::migrate
