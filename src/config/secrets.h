#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace vidb::config {

// Masks passwords where connection settings carry them, by their position, never by
// searching the text for a password's value: with the password "postgres", the user
// and the database "postgres" stay readable. Masked with "***":
//   - the password of a URL's user info, `scheme://user:PASSWORD@host` (unencoded
//     '@', '/', '#' or '?' in it included, as when someone forgot to percent-encode);
//   - the value after any key ending in "password" directly followed by '=' (any case):
//     `password=...`, `password='...'` (keyword/value strings), `?password=...&` (URL
//     query), `PGPASSWORD=...`, `POSTGRES_PASSWORD=...` (environment assignments).
std::string redact(std::string_view text);

// For a libpq message about a connection with this password: every "double-quoted"
// value that contains the password is masked (a part of a password cut off by an
// unencoded special character lands in a host or port that libpq then quotes), except
// a value that is exactly one of `names` (the connection's user, database and host).
std::string mask_quoted_secret(std::string_view text, std::string_view password, const std::vector<std::string>& names);

} // namespace vidb::config
