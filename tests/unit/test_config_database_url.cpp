#include "config/database_url.h"
#include "config/environment.h"

#include <gtest/gtest.h>

#include <cstdlib>

using vidb::config::normalize_scheme;

TEST(NormalizeScheme, SqlalchemyDriversBecomePlainPostgresql)
{
    EXPECT_EQ(normalize_scheme("postgresql+asyncpg://u:p@h/db"), "postgresql://u:p@h/db");
    EXPECT_EQ(normalize_scheme("postgresql+psycopg://h/db"), "postgresql://h/db");
    EXPECT_EQ(normalize_scheme("postgres+psycopg2://h:5/db?sslmode=require"), "postgresql://h:5/db?sslmode=require");
}

TEST(NormalizeScheme, LeavesEverythingElseAlone)
{
    EXPECT_EQ(normalize_scheme("postgresql://h/db"), "postgresql://h/db");
    EXPECT_EQ(normalize_scheme("postgres://h/db"), "postgres://h/db");
    EXPECT_EQ(normalize_scheme("mysql+pymysql://h/db"), "mysql+pymysql://h/db");
    EXPECT_EQ(normalize_scheme("host=h dbname=db"), "host=h dbname=db");
    EXPECT_EQ(normalize_scheme(""), "");
}

TEST(ResolveDatabaseTarget, FlagWinsOverEnvironment)
{
    setenv("DATABASE_URL", "postgresql://env/db", 1);
    const auto env = vidb::config::Environment::load("/dev/null");
    EXPECT_EQ(vidb::config::resolve_database_target("postgresql://flag/db", env).conninfo, "postgresql://flag/db");
    EXPECT_EQ(vidb::config::resolve_database_target("", env).conninfo, "postgresql://env/db");
    unsetenv("DATABASE_URL");
    EXPECT_EQ(vidb::config::resolve_database_target("", env).conninfo, "");
}
