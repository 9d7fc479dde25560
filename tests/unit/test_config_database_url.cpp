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

using vidb::config::normalize_url;

TEST(NormalizeUrl, AsyncpgSslBecomesSslmode)
{
    EXPECT_EQ(normalize_url("postgresql+asyncpg://u:p@h/db?ssl=require").url, "postgresql://u:p@h/db?sslmode=require");
    EXPECT_EQ(normalize_url("postgresql://h/db?ssl=true").url, "postgresql://h/db?sslmode=require");
    EXPECT_EQ(normalize_url("postgresql://h/db?ssl=disable&application_name=x").url,
        "postgresql://h/db?sslmode=disable&application_name=x");
    EXPECT_EQ(normalize_url("postgresql://h/db?ssl=false").url, "postgresql://h/db?sslmode=disable");
    EXPECT_EQ(normalize_url("postgresql://h/db?ssl=prefer").url, "postgresql://h/db?sslmode=prefer");
    EXPECT_EQ(normalize_url("postgresql://h/db?ssl=verify-full").url, "postgresql://h/db?sslmode=verify-full");
    // sslmode= decides when both are there.
    EXPECT_EQ(normalize_url("postgresql://h/db?ssl=true&sslmode=disable").url, "postgresql://h/db?sslmode=disable");
    EXPECT_FALSE(normalize_url("postgresql://h/db?ssl=require").notes.empty());
}

TEST(NormalizeUrl, DriverOnlyParametersAreLeftOutWithANote)
{
    const auto prisma
        = normalize_url("postgresql://u:p@h:5432/db?schema=app%5Fv2&pgbouncer=true&connection_limit=5&pool_timeout=0");
    EXPECT_EQ(prisma.url, "postgresql://u:p@h:5432/db");
    EXPECT_EQ(prisma.schema, "app_v2");
    EXPECT_EQ(prisma.notes.size(), 4u);
    EXPECT_EQ(normalize_url("postgres://h/db?prepared_statement_cache_size=0&sslmode=require").url,
        "postgres://h/db?sslmode=require");
    EXPECT_EQ(normalize_url("postgresql://h?statement_cache_size=0").url, "postgresql://h");
}

TEST(NormalizeUrl, LeavesLibpqUrlsAndKeywordValueStringsAlone)
{
    for (const char* text : { "postgresql://u:p@h/db?sslmode=require&application_name=x", "postgresql://h/db",
             "host=h dbname=db ssl=true", "", "postgresql://u:p?ss@h/db" }) {
        const auto normalized = normalize_url(text);
        EXPECT_EQ(normalized.url, text);
        EXPECT_TRUE(normalized.notes.empty()) << text;
    }
    // A '?' in an unencoded password is not the query (libpq reads up to the '@').
    EXPECT_EQ(normalize_url("postgresql://u:p?ssl=x@h/db?ssl=true").url, "postgresql://u:p?ssl=x@h/db?sslmode=require");
}
