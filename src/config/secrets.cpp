#include "config/secrets.h"

#include <algorithm>
#include <cctype>
#include <mutex>
#include <vector>

namespace vidb::config {

namespace {

constexpr std::size_t k_short_secret = 6;
std::mutex g_mutex;
std::vector<std::string>& secrets()
{
    static std::vector<std::string> list;
    return list;
}

// Masks "user:password@" after "://" even before the URL has been parsed, so that
// a malformed URL echoed in an error cannot leak its password.
std::string mask_userinfo(std::string text)
{
    std::size_t from = 0;
    while ((from = text.find("://", from)) != std::string::npos) {
        const std::size_t start = from + 3;
        const std::size_t end = text.find_first_of("/?# \t\n\"'", start);
        const std::size_t at = text.rfind('@', end == std::string::npos ? text.size() : end);
        if (at != std::string::npos && at >= start) {
            const std::size_t colon = text.find(':', start);
            if (colon != std::string::npos && colon < at) {
                text.replace(colon + 1, at - colon - 1, "***");
            }
        }
        from = start;
    }
    return text;
}

} // namespace

void add_secret(std::string_view secret)
{
    if (secret.empty()) {
        return;
    }
    std::lock_guard lock(g_mutex);
    auto& list = secrets();
    if (std::find(list.begin(), list.end(), secret) == list.end()) {
        list.emplace_back(secret);
        // Longest first, so a secret containing another is masked whole.
        std::sort(list.begin(), list.end(), [](const auto& a, const auto& b) { return a.size() > b.size(); });
    }
}

void clear_secrets()
{
    std::lock_guard lock(g_mutex);
    secrets().clear();
}

std::string redact(std::string_view text)
{
    std::string out = mask_userinfo(std::string(text));
    std::lock_guard lock(g_mutex);
    const auto word_char = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_'; };
    for (const auto& secret : secrets()) {
        std::size_t at = 0;
        while ((at = out.find(secret, at)) != std::string::npos) {
            // A very short password ("b") inside a word ("vidb") is not that password:
            // mask it only where it stands alone, or the output becomes unreadable.
            const bool inside_word = secret.size() < k_short_secret
                && ((at > 0 && word_char(out[at - 1]))
                    || (at + secret.size() < out.size() && word_char(out[at + secret.size()])));
            if (inside_word) {
                at += 1;
                continue;
            }
            out.replace(at, secret.size(), "***");
            at += 3;
        }
    }
    return out;
}

} // namespace vidb::config
