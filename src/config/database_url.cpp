#include "config/database_url.h"

#include "config/environment.h"

namespace vidb::config {

std::string normalize_scheme(std::string_view url)
{
    const std::size_t sep = url.find("://");
    if (sep == std::string_view::npos) {
        return std::string(url);
    }
    const std::string_view scheme = url.substr(0, sep);
    const std::size_t plus = scheme.find('+');
    if (plus == std::string_view::npos) {
        return std::string(url);
    }
    const std::string_view base = scheme.substr(0, plus);
    if (base != "postgresql" && base != "postgres") {
        return std::string(url);
    }
    return "postgresql" + std::string(url.substr(sep));
}

DatabaseTarget resolve_database_target(const std::string& url_flag, const Environment& env)
{
    if (!url_flag.empty()) {
        return { normalize_scheme(url_flag), "--url" };
    }
    if (const auto value = env.get("DATABASE_URL"); value && !value->empty()) {
        const std::string source = env.source_of("DATABASE_URL");
        return { normalize_scheme(*value), "DATABASE_URL (" + source + ")" };
    }
    return { "", "PG* defaults" };
}

} // namespace vidb::config
