#pragma once

#include "localdb/process.h"

#include <optional>
#include <string>

namespace vidb::localdb {

std::optional<Account> lookup_account(const std::string& name);
bool running_as_root();

// Who runs the native server: vidb's own account, or, when vidb runs as root, the
// unprivileged `postgres` account (initdb and postgres refuse to run as root; the
// postgresql package creates that account). Throws Error when it is missing.
Account server_account();

// Whether `account` can search (enter) the directory `path`: every parent must let it through.
bool can_enter(const Account& account, const std::string& path);

} // namespace vidb::localdb
