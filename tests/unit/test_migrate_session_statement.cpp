#include "migrate/session_statement.h"

#include <gtest/gtest.h>

using vidb::migrate::is_session_setting;

TEST(SessionStatement, SessionSettingsAreReplayable)
{
    for (const char* sql : { "SET ROLE app;", "set search_path = x", "-- c\nSET /* c */ statement_timeout = 0;",
             "SET SESSION AUTHORIZATION app", "SET SESSION search_path TO x", "RESET ROLE", "reset all;",
             "SET\tdefault_transaction_read_only = on" }) {
        EXPECT_TRUE(is_session_setting(sql)) << sql;
    }
}

TEST(SessionStatement, EverythingElseIsNot)
{
    for (const char* sql : { "SET LOCAL role app", "SET TRANSACTION READ ONLY", "SET CONSTRAINTS ALL DEFERRED",
             "SELECT set_config('a.b', '1', false)", "CREATE TABLE set (x int)", "settle", "",
             "-- SET ROLE x\nSELECT 1", "UPDATE t SET x = 1", "ALTER TABLE t SET LOGGED" }) {
        EXPECT_FALSE(is_session_setting(sql)) << sql;
    }
}
