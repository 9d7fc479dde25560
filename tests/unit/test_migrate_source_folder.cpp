#include "migrate/source_folder.h"

#include <gtest/gtest.h>

using vidb::migrate::EmbeddedKind;
using vidb::migrate::parse_source_files;
using vidb::migrate::RawSourceFile;
using vidb::migrate::source_set_digest;
using vidb::migrate::SourceFolderError;

namespace {

std::string error_of(const std::vector<RawSourceFile>& files)
{
    try {
        parse_source_files(files, "db");
    } catch (const SourceFolderError& error) {
        return error.what();
    }
    return "";
}

} // namespace

TEST(SourceFolder, SortsMigrationsThenChecksAndNormalisesLineEndings)
{
    const std::vector<RawSourceFile> raw { { "checks/a.sql", "SELECT 1;\n" },
        { "0002_b.up.sql", "CREATE TABLE b();\r\n" }, { "0001_a.down.sql", "DROP TABLE a;\n" },
        { "0001_a.up.sql", "-- vidb:no-transaction\nCREATE TABLE a();\n" } };
    const auto files = parse_source_files(raw, "db");
    ASSERT_EQ(files.size(), 4u);
    EXPECT_EQ(files[0].file_name, "0001_a.down.sql");
    EXPECT_EQ(files[0].kind, EmbeddedKind::down);
    EXPECT_EQ(files[1].file_name, "0001_a.up.sql");
    EXPECT_TRUE(files[1].no_transaction);
    EXPECT_EQ(files[2].text, "CREATE TABLE b();\n");
    EXPECT_EQ(files[2].version, 2u);
    EXPECT_EQ(files[3].kind, EmbeddedKind::check);
    EXPECT_EQ(files[3].name, "a");
}

TEST(SourceFolder, RefusesWhatTheEmbedderRefusesNamingTheFile)
{
    EXPECT_EQ(error_of({ { "0001_a.up.sql", "" }, { "1_b.up.sql", "" } }),
        "db/1_b.up.sql: duplicate version 1 (also 0001_a.up.sql)");
    EXPECT_EQ(error_of({ { "0001_a.down.sql", "" } }),
        "db/0001_a.down.sql: down migration without an up migration for version 1");
    EXPECT_NE(error_of({ { "init.sql", "" } }).find("db/init.sql: not a migration file name"), std::string::npos);
    EXPECT_NE(error_of({ { "0001_a.up.sql", "\xEF\xBB\xBFSELECT 1;" } }).find("db/0001_a.up.sql: "), std::string::npos);
    EXPECT_EQ(error_of({ { "0001_a.up.sql", "BEGIN;\nSELECT 1;\nCOMMIT;\nBEGIN;\nCOMMIT;\n" } })
                  .rfind("db/0001_a.up.sql:", 0),
        0u);
}

TEST(SourceFolder, DigestChangesWithAnyFile)
{
    const auto one = parse_source_files(std::vector<RawSourceFile> { { "0001_a.up.sql", "SELECT 1;" } }, "");
    const auto two = parse_source_files(std::vector<RawSourceFile> { { "0001_a.up.sql", "SELECT 2;" } }, "");
    EXPECT_EQ(source_set_digest(one), source_set_digest(one));
    EXPECT_NE(source_set_digest(one), source_set_digest(two));
}
