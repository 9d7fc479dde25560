#include "migrate/checksum.h"

// OpenSSL's low-level SHA-256 functions rather than EVP: the first EVP digest initialises
// OpenSSL's provider machinery (reads openssl.cnf, builds its algorithm tables), about five
// million instructions, which a packed vidb would pay on every start (`vidb --version`
// included) to verify and checksum its payload. These are deprecated in OpenSSL 3 but run
// the same implementation (SHA-NI / AVX assembly) with no initialisation at all.
#define OPENSSL_SUPPRESS_DEPRECATED
#include <openssl/sha.h>

namespace vidb::migrate {

std::array<unsigned char, 32> sha256_bytes(std::string_view bytes)
{
    static_assert(SHA256_DIGEST_LENGTH == 32);
    std::array<unsigned char, 32> digest {};
    SHA256_CTX context;
    SHA256_Init(&context);
    SHA256_Update(&context, bytes.data(), bytes.size());
    SHA256_Final(digest.data(), &context);
    return digest;
}

std::string sha256_hex(std::string_view bytes)
{
    constexpr char k_hex[] = "0123456789abcdef";
    const auto digest = sha256_bytes(bytes);
    std::string hex;
    hex.reserve(digest.size() * 2);
    for (const unsigned char byte : digest) {
        hex.push_back(k_hex[byte >> 4]);
        hex.push_back(k_hex[byte & 0x0f]);
    }
    return hex;
}

} // namespace vidb::migrate
