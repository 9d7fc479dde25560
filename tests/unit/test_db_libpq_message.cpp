#include "db/libpq_message.h"

#include <gtest/gtest.h>

using vidb::db::parse_libpq_message;

TEST(LibpqMessage, TakesTheSqlstateOutOfAVerboseServerError)
{
    const auto message = parse_libpq_message("connection to server at \"127.0.0.1\", port 5432 failed: FATAL:  28P01: "
                                             "password authentication failed for user \"app\"\n"
                                             "LOCATION:  auth_failed, auth.c:326\n");
    EXPECT_EQ(message.sqlstate, "28P01");
    EXPECT_EQ(message.headline,
        "connection to server at \"127.0.0.1\", port 5432 failed: FATAL:  password authentication failed for user "
        "\"app\"");
    EXPECT_TRUE(message.details.empty());
}

// The server's words are translated (lc_messages); the SQLSTATE is not.
TEST(LibpqMessage, FindsTheSqlstateInATranslatedMessage)
{
    const auto message = parse_libpq_message("connection to server at \"127.0.0.1\", port 5432 failed: FATAL:  28P01: "
                                             "Passwort-Authentifizierung für Benutzer »app« fehlgeschlagen\n");
    EXPECT_EQ(message.sqlstate, "28P01");
    EXPECT_EQ(message.headline.find("28P01"), std::string::npos);
}

TEST(LibpqMessage, KeepsFurtherLinesAsWholeDetailLines)
{
    const auto refused = parse_libpq_message("connection to server at \"h\" (10.0.0.1), port 5432 failed: Connection "
                                             "refused\n\tIs the server running on that host and accepting TCP/IP "
                                             "connections?\n");
    EXPECT_EQ(refused.sqlstate, "");
    EXPECT_EQ(refused.headline, "connection to server at \"h\" (10.0.0.1), port 5432 failed: Connection refused");
    ASSERT_EQ(refused.details.size(), 1u);
    EXPECT_EQ(refused.details[0], "Is the server running on that host and accepting TCP/IP connections?");

    const auto closed = parse_libpq_message("server closed the connection unexpectedly\n\tThis probably means the "
                                            "server terminated abnormally\n\tbefore or while processing the "
                                            "request.\n");
    EXPECT_EQ(closed.headline, "server closed the connection unexpectedly");
    ASSERT_EQ(closed.details.size(), 1u);
    EXPECT_EQ(closed.details[0],
        "This probably means the server terminated abnormally before or while processing the request.");
}

TEST(LibpqMessage, NoSqlstateWithoutItsShape)
{
    EXPECT_EQ(parse_libpq_message("FATAL:  hello: world").sqlstate, "");
    EXPECT_EQ(parse_libpq_message("FATAL:  abcde: lower case").sqlstate, "");
    EXPECT_EQ(parse_libpq_message("").headline, "");
    EXPECT_EQ(parse_libpq_message("FATAL:  57P03: the database system is starting up").sqlstate, "57P03");
}
