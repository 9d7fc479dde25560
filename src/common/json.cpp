#include "common/json.h"

namespace vidb {

std::string json_dump(const Json& document)
{
    return document.dump(-1, ' ', false, Json::error_handler_t::replace);
}

std::string json_string(std::string_view text)
{
    return json_dump(Json(std::string(text)));
}

} // namespace vidb
