// Common mistakes in a DATABASE_URL are usage errors that quote no part of the password:
// special characters left unencoded, a foreign scheme, a mistyped "://".
#include "common/error.h"
#include "config/secrets.h"
#include "db/conninfo.h"

#include <gtest/gtest.h>

#include <string>

using vidb::db::Conninfo;

namespace {

// The message vidb would print (redacted as Output does), or "" when the string parses.
std::string error_of(const std::string& text)
{
    try {
        Conninfo::parse(text);
    } catch (const vidb::UsageError& error) {
        EXPECT_EQ(error.exit_status(), 2) << text;
        std::string all = error.what();
        for (const auto& detail : error.details()) {
            all += "\n" + detail;
        }
        return vidb::config::redact(all);
    }
    return "";
}

} // namespace

TEST(ConninfoMistakes, UnencodedCharactersInThePasswordLeakNoPartOfIt)
{
    for (const char* bad : { "postgresql://app:50%Sup3rPart@127.0.0.1/app", "postgresql://app:Sup3r/Part@127.0.0.1/app",
             "postgresql://app:Sup3r@Part@127.0.0.1/app", "postgresql://app:Sup3r@Pa/rt@127.0.0.1/app",
             "postgresql://app:Sup3r?x@Part@h/app", "postgresql://app:Sup3r%00Part@h/app" }) {
        const std::string message = error_of(bad);
        ASSERT_FALSE(message.empty()) << "accepted: " << bad;
        EXPECT_EQ(message.find("Sup3r"), std::string::npos) << message;
        EXPECT_EQ(message.find("Part"), std::string::npos) << message;
    }
    EXPECT_NE(error_of("postgresql://app:Sup3r/Part@127.0.0.1/app").find("percent-encode"), std::string::npos);
}

TEST(ConninfoMistakes, ForeignSchemesAndMistypedUrlsAreNamedNotEchoed)
{
    const std::string mysql = error_of("mysql://root:Sup3rPart@localhost/db");
    EXPECT_NE(mysql.find("unsupported scheme 'mysql://'"), std::string::npos) << mysql;
    EXPECT_EQ(mysql.find("Sup3rPart"), std::string::npos);
    for (const char* typo : { "postgresql//app:Sup3rPart@localhost/app", "postgres:app:Sup3rPart@localhost/app" }) {
        const std::string message = error_of(typo);
        EXPECT_NE(message.find("neither a postgresql:// URL nor keyword=value pairs"), std::string::npos) << message;
        EXPECT_EQ(message.find("Sup3rPart"), std::string::npos) << message;
    }
}

TEST(ConninfoMistakes, OptionNamesAreStillShownAndGoodUrlsStillParse)
{
    EXPECT_NE(error_of("host=h hots=x").find("invalid connection option \"hots\""), std::string::npos);
    EXPECT_NE(error_of("postgresql://h/db?foo=bar").find("invalid URI query parameter: \"foo\""), std::string::npos);
    EXPECT_EQ(error_of("postgresql://app:p%40ss%2Fword@h1:5432,h2:5433/db?sslmode=require"), "");
    EXPECT_EQ(error_of("postgres://app:pw@[::1]:5432/db"), "");
    EXPECT_EQ(Conninfo::parse("postgresql://app:p%40ss%2Fword@h/db").options.at("password"), "p@ss/word");
}
