#include "db/library_info.h"

#include <libpq-fe.h>

namespace vidb::db {

std::string libpq_version()
{
    const int version = PQlibVersion();
    return std::to_string(version / 10000) + "." + std::to_string(version % 10000);
}

std::string tls_library()
{
    const char* library = PQsslAttribute(nullptr, "library");
    return library ? library : "";
}

} // namespace vidb::db
