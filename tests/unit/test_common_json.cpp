#include "common/json.h"

#include <gtest/gtest.h>

using vidb::Json;

TEST(CommonJson, StringEscapesControlCharactersAndQuotes)
{
    EXPECT_EQ(vidb::json_string("a\"b\\c\nd\x01"), "\"a\\\"b\\\\c\\nd\\u0001\"");
    EXPECT_EQ(vidb::json_string("caf\xC3\xA9"), "\"caf\xC3\xA9\"");
}

TEST(CommonJson, InvalidUtf8BecomesReplacementCharacterNotAnException)
{
    // A message from a SQL_ASCII database or a Latin-1 file name must not lose the document.
    EXPECT_EQ(vidb::json_string("caf\xE9"), "\"caf\xEF\xBF\xBD\"");
    EXPECT_EQ(vidb::json_dump(Json { { "m", "x\xFF" } }), "{\"m\":\"x\xEF\xBF\xBD\"}");
}

TEST(CommonJson, KeysKeepTheirOrderOnOneLine)
{
    const Json document = { { "ok", true }, { "b", 1 }, { "a", Json::array() } };
    EXPECT_EQ(vidb::json_dump(document), "{\"ok\":true,\"b\":1,\"a\":[]}");
}
