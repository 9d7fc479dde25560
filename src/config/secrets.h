#pragma once

#include <string>
#include <string_view>

namespace vidb::config {

// Remembers a secret (a password) so that redact() can mask it wherever it appears.
void add_secret(std::string_view secret);

// Forgets every remembered secret (for fuzzers and tests that register many).
void clear_secrets();

// The text with every remembered secret replaced by "***", and any
// `scheme://user:password@` userinfo password masked too.
std::string redact(std::string_view text);

} // namespace vidb::config
