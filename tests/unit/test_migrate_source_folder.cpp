#include "migrate/applier.h"
#include "migrate/catalog.h"
#include "migrate/source_folder.h"

#include <gtest/gtest.h>

using vidb::migrate::Direction;
using vidb::migrate::EmbeddedKind;
using vidb::migrate::parse_source_files;
using vidb::migrate::RawSourceFile;
using vidb::migrate::source_set_digest;
using vidb::migrate::SourceFolderError;

namespace {

std::string error_of(const std::vector<RawSourceFile>& files, vidb::migrate::SourceFormat format = {})
{
    try {
        parse_source_files(files, "db", { .format = format });
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
    EXPECT_NE(error_of({ { "init.sql", "" } }, vidb::migrate::SourceFormat::vidb)
                  .find("db/init.sql: not a migration file name"),
        std::string::npos);
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

namespace {

using vidb::migrate::SourceFile;
using vidb::migrate::SourceFolderOptions;
using vidb::migrate::SourceFormat;

std::vector<SourceFile> parse(const std::vector<RawSourceFile>& raw, SourceFolderOptions options = {})
{
    return parse_source_files(raw, "db", options);
}

} // namespace

TEST(SourceLayouts, DbmateOneFileBecomesAnUpAndADownSection)
{
    const std::string text = "-- header comment\n-- migrate:up transaction:false\nCREATE INDEX CONCURRENTLY i ON t "
                             "(a);\n\n-- migrate:down\nDROP INDEX i;\n";
    const auto files = parse({ { "20240115180414_add index.sql", text } });
    ASSERT_EQ(files.size(), 2u);
    EXPECT_EQ(files[0].kind, EmbeddedKind::up);
    EXPECT_EQ(files[0].version, 20240115180414u);
    EXPECT_EQ(files[0].version_text, "20240115180414");
    EXPECT_EQ(files[0].name, "add index");
    EXPECT_EQ(files[0].section, "up");
    EXPECT_EQ(files[0].text, "-- migrate:up transaction:false\nCREATE INDEX CONCURRENTLY i ON t (a);\n\n");
    EXPECT_EQ(files[0].first_line, 2u);
    EXPECT_TRUE(files[0].no_transaction);
    EXPECT_EQ(files[1].kind, EmbeddedKind::down);
    EXPECT_EQ(files[1].text, "-- migrate:down\nDROP INDEX i;\n");
    EXPECT_FALSE(files[1].no_transaction);
    EXPECT_NE(files[0].checksum, files[1].checksum);
}

TEST(SourceLayouts, DbmateRefusesWhatItCannotHonourByName)
{
    EXPECT_EQ(error_of({ { "1_a.sql", "-- migrate:up transaction:maybe\nSELECT 1;\n" } }),
        "db/1_a.sql:1: dbmate option 'transaction:maybe' is not supported by vidb (only transaction:false and "
        "transaction:true)");
    EXPECT_EQ(error_of({ { "1_a.sql", "SELECT 0;\n-- migrate:up\nSELECT 1;\n" } }, SourceFormat::dbmate)
                  .rfind("db/1_a.sql:1: a statement before the '-- migrate:up' marker", 0),
        0u);
    EXPECT_EQ(error_of({ { "1_a.sql", "-- migrate:up\n-- migrate:up-section\n" } }),
        "db/1_a.sql:2: dbmate marker '-- migrate:up-section' is not supported by vidb (only migrate:up and "
        "migrate:down)");
    EXPECT_EQ(error_of({ { "1_a.sql", "SELECT 1;\n" } }, SourceFormat::dbmate),
        "db/1_a.sql: no '-- migrate:up' marker (dbmate requires one)");
    // A problem inside a section names the line in the file, not in the section.
    EXPECT_EQ(error_of({ { "1_a.sql", "-- migrate:up\nSELECT 1;\n-- migrate:down\nSELECT 2;\nCOPY t FROM STDIN;\n" } })
                  .rfind("db/1_a.sql:5: ", 0),
        0u);
}

TEST(SourceLayouts, GooseSectionsBlocksAndNoTransaction)
{
    const std::string text = "-- +GOOSE NO TRANSACTION\n-- +goose Up\n-- +goose StatementBegin\nCREATE FUNCTION f() "
                             "RETURNS int LANGUAGE sql AS $$ SELECT 1; $$;\n-- +goose StatementEnd\nSELECT 1\n-- "
                             "+goose Down\nDROP FUNCTION f();\n";
    const auto files = parse({ { "00002_fn.sql", text } });
    ASSERT_EQ(files.size(), 2u);
    EXPECT_EQ(files[0].version_text, "00002");
    EXPECT_EQ(files[0].name, "fn");
    EXPECT_TRUE(files[0].no_transaction);
    EXPECT_TRUE(files[1].no_transaction);
    EXPECT_EQ(files[0].text.rfind("-- +goose Up\n", 0), 0u);
    EXPECT_EQ(files[1].text, "-- +goose Down\nDROP FUNCTION f();\n");
}

namespace {

// The texts of the pieces that are sent (blank ones dropped).
std::vector<std::string> sent(const std::vector<vidb::migrate::Statement>& pieces)
{
    std::vector<std::string> texts;
    for (const auto& piece : pieces) {
        if (!piece.blank) {
            texts.emplace_back(piece.text);
        }
    }
    return texts;
}

} // namespace

TEST(SourceLayouts, GooseStatementsAreGoosesOneExecPerBlock)
{
    using vidb::migrate::split_goose_statements;
    const std::string section = "-- +goose Up\n"
                                "-- +goose StatementBegin\n"
                                "CREATE TABLE a (id int);\n"
                                "INSERT INTO a VALUES (1);\n"
                                "-- +goose StatementEnd\n"
                                "\n"
                                "-- +goose StatementBegin\n"
                                "CREATE FUNCTION f() RETURNS int LANGUAGE plpgsql AS $$\n"
                                "BEGIN\n"
                                "  RETURN 1;\n"
                                "END;\n"
                                "$$;\n"
                                "-- +goose StatementEnd\n"
                                "SELECT 1; SELECT 2; -- one line, one Exec\n"
                                "SELECT 'a;\n"
                                "b;';\n"
                                "SELECT 3\n";
    const auto pieces = split_goose_statements(section);
    std::string joined;
    for (const auto& piece : pieces) {
        joined += piece.text;
    }
    EXPECT_EQ(joined, section); // contiguous, covering the section
    const auto texts = sent(pieces);
    ASSERT_EQ(texts.size(), 5u);
    EXPECT_EQ(texts[0],
        "-- +goose Up\n-- +goose StatementBegin\nCREATE TABLE a (id int);\nINSERT INTO a VALUES (1);\n-- +goose "
        "StatementEnd\n");
    EXPECT_EQ(texts[1].rfind("\n-- +goose StatementBegin\nCREATE FUNCTION f()", 0), 0u);
    EXPECT_TRUE(texts[1].ends_with("END;\n$$;\n-- +goose StatementEnd\n"));
    EXPECT_EQ(texts[2], "SELECT 1; SELECT 2; -- one line, one Exec\n");
    EXPECT_EQ(texts[3], "SELECT 'a;\nb;';\n"); // a ';' in a string ends nothing
    EXPECT_EQ(texts[4], "SELECT 3\n"); // a last statement without ';' counts
    std::vector<std::size_t> lines;
    for (const auto& piece : pieces) {
        if (!piece.blank) {
            lines.push_back(piece.line);
        }
    }
    EXPECT_EQ(lines, (std::vector<std::size_t> { 3, 8, 14, 15, 17 })); // the first SQL line of each
}

TEST(SourceLayouts, GooseSectionsRunInGoosesStatementsOthersInTheLexers)
{
    const std::string goose = "-- +goose NO TRANSACTION\n-- +goose Up\n-- +goose StatementBegin\nSELECT 1;\nSELECT "
                              "2;\n-- +goose StatementEnd\nSELECT 3;\n-- +goose Down\nSELECT 4; SELECT 5;\n";
    const std::string dbmate = "-- migrate:up transaction:false\nSELECT 1;\nSELECT 2;\n-- migrate:down\nSELECT 4; "
                               "SELECT 5;\n";
    const auto count = [](const std::vector<SourceFile>& files, Direction direction) {
        std::vector<vidb::migrate::EmbeddedFile> entries;
        for (const SourceFile& file : files) {
            entries.push_back({ file.kind, 1, file.version_text.c_str(), file.name.c_str(), file.file_name.c_str(),
                reinterpret_cast<const unsigned char*>(file.text.data()), file.text.size(), file.checksum.c_str(),
                file.no_transaction, file.goose_statements });
        }
        const auto catalog = vidb::migrate::Catalog::from_files(entries);
        return vidb::migrate::executable_statements(catalog.migrations().at(0), direction).size();
    };
    const auto goose_files = parse({ { "1_a.sql", goose } });
    EXPECT_TRUE(goose_files[0].goose_statements);
    EXPECT_EQ(count(goose_files, Direction::up), 2u); // the block, then SELECT 3
    EXPECT_EQ(count(goose_files, Direction::down), 1u); // one line, one Exec
    const auto dbmate_files = parse({ { "1_a.sql", dbmate } });
    EXPECT_FALSE(dbmate_files[0].goose_statements);
    EXPECT_EQ(count(dbmate_files, Direction::up), 2u);
    EXPECT_EQ(count(dbmate_files, Direction::down), 2u);
}

TEST(SourceLayouts, GooseRefusesUnsupportedAnnotationsByName)
{
    EXPECT_EQ(error_of({ { "1_a.sql", "-- +goose Up\n-- +goose envsub on\nSELECT '${X}';\n" } })
                  .rfind("db/1_a.sql:2: goose annotation '-- +goose envsub on' is not supported by vidb", 0),
        0u);
    EXPECT_EQ(error_of({ { "1_a.sql", "-- +goose Up\n-- +goose Frobnicate\n" } })
                  .rfind("db/1_a.sql:2: unknown goose annotation '-- +goose Frobnicate'", 0),
        0u);
    EXPECT_EQ(error_of({ { "1_a.sql", "-- +goose Up\n-- +goose StatementBegin\nSELECT 1;\n" } }),
        "db/1_a.sql:2: '-- +goose StatementBegin' without a StatementEnd");
    EXPECT_EQ(error_of({ { "1_a.sql", "-- +goose Up\n-- +goose StatementEnd\n" } }),
        "db/1_a.sql:2: '-- +goose StatementEnd' without a StatementBegin");
    EXPECT_EQ(error_of({ { "1_a.sql", "-- +goose Up\n  -- +goose Down\n" } }),
        "db/1_a.sql:2: a goose annotation with leading whitespace (goose refuses it too)");
}

TEST(SourceLayouts, GolangMigrateNamesAndSkippedFiles)
{
    std::vector<std::string> warnings;
    SourceFolderOptions options;
    options.warn = [&](const std::string& w) { warnings.push_back(w); };
    const auto files = parse({ { "1_créer les comptes.up.sql", "SELECT 1;" },
                                 { "1_créer les comptes.down.sql", "SELECT 2;" }, { "seed.sql", "SELECT 3;" } },
        options);
    ASSERT_EQ(files.size(), 2u);
    EXPECT_EQ(files[1].name, "créer les comptes");
    ASSERT_EQ(warnings.size(), 1u);
    EXPECT_EQ(warnings[0].rfind("db/seed.sql: skipped, not a migration file name", 0), 0u);
    // Detected, a file that starts with a version but matches no layout is most likely a mistake.
    EXPECT_EQ(
        error_of({ { "1_a.up.sql", "" }, { "2_b.sql", "" } }).rfind("db/2_b.sql: not a migration file name", 0), 0u);
}

TEST(SourceLayouts, DetectionRefusesAMixedFolderAndObeysAForcedLayout)
{
    const std::vector<RawSourceFile> mixed { { "1_a.sql", "-- +goose Up\nSELECT 1;\n" },
        { "2_b.sql", "-- migrate:up\nSELECT 1;\n" } };
    EXPECT_EQ(error_of(mixed),
        "db: mixes migration layouts (2_b.sql is dbmate, 1_a.sql is goose); keep one layout per folder, or force one "
        "with -DVIDB_MIGRATIONS_FORMAT=<layout>");
    // Forced goose: the dbmate file has no goose Up annotation.
    EXPECT_EQ(error_of(mixed, SourceFormat::goose), "db/2_b.sql: no '-- +goose Up' annotation (goose requires one)");
    EXPECT_EQ(vidb::migrate::parse_source_format("golang-migrate"), SourceFormat::golang_migrate);
    EXPECT_EQ(vidb::migrate::parse_source_format("flyway"), SourceFormat::flyway);
    EXPECT_FALSE(vidb::migrate::parse_source_format("liquibase"));
    EXPECT_EQ(error_of({ { "Vacation__notes.sql", "" } }), "");
}

TEST(SourceLayouts, FlywayVersionedUndoAndAutomaticNoTransaction)
{
    const auto files
        = parse({ { "V1__create_items.sql", "CREATE TABLE items ();" }, { "U1__drop_them.sql", "DROP TABLE items;" },
            { "V20240115__index.sql", "-- c\nSELECT 1;\n  create unique index concurrently i ON items (id);" } });
    ASSERT_EQ(files.size(), 3u);
    EXPECT_EQ(files[0].kind, EmbeddedKind::down);
    EXPECT_EQ(files[0].name, "create_items"); // an undo file belongs to its version
    EXPECT_EQ(files[1].version_text, "1");
    EXPECT_FALSE(files[1].no_transaction);
    EXPECT_EQ(files[2].version, 20240115u);
    EXPECT_TRUE(files[2].no_transaction);
}

TEST(SourceLayouts, FlywayDottedVersionsInFlywayOrder)
{
    const auto files = parse({ { "V2__b.sql", "" }, { "V1_1__x.sql", "" }, { "V2.10__d.sql", "" },
        { "V2.1__c.sql", "" }, { "U2.1__c.sql", "" }, { "V17.1.3__y.sql", "" } });
    ASSERT_EQ(files.size(), 6u);
    std::vector<std::string> ups;
    std::vector<vidb::migrate::MigrationVersion> versions;
    for (const auto& file : files) {
        if (file.kind == EmbeddedKind::up) {
            ups.push_back(file.version_text);
            versions.push_back(file.version);
        }
    }
    // In file-name order here; the Catalog orders them (see PlanMigrate.DottedVersionsInNumericOrder).
    EXPECT_EQ(ups, (std::vector<std::string> { "17.1.3", "1.1", "2.10", "2.1", "2" }));
    EXPECT_TRUE(versions[1] < versions[4]); // 1.1 < 2 < 2.1 < 2.10 < 17.1.3
    EXPECT_TRUE(versions[4] < versions[3]);
    EXPECT_TRUE(versions[3] < versions[2]);
    EXPECT_TRUE(versions[2] < versions[0]);
    EXPECT_EQ(files[0].kind, EmbeddedKind::down);
    EXPECT_EQ(files[0].name, "c");
    EXPECT_EQ(files[0].version_text, "2.1");
    EXPECT_LT(files[0].version.key(), 0);
}

TEST(SourceLayouts, FlywayEqualVersionsAndNoTransactionRepeatablesAreRefusedByName)
{
    EXPECT_EQ(error_of({ { "V1__a.sql", "" }, { "V1.0__b.sql", "" } }),
        "db/V1__a.sql: duplicate version 1 (also V1.0__b.sql, version 1.0): versions are compared number by number, "
        "so 1.0 and 1 are the same version");
    EXPECT_EQ(error_of({ { "V2.1__a.sql", "" }, { "V2.01__b.sql", "" } }),
        "db/V2.1__a.sql: duplicate version 2.1 (also V2.01__b.sql, version 2.01): versions are compared number by "
        "number, so 1.0 and 1 are the same version");
    EXPECT_EQ(
        error_of({ { "V2..1__a.sql", "" } }).rfind("db/V2..1__a.sql: Flyway version 2..1 is not a version", 0), 0u);
    EXPECT_EQ(error_of({ { "R__views.sql", "VACUUM;" } })
                  .rfind("db/R__views.sql: a repeatable migration always runs in one transaction", 0),
        0u);
    EXPECT_EQ(error_of({ { "U3__x.sql", "" } }), "db/U3__x.sql: down migration without an up migration for version 3");
    EXPECT_EQ(
        error_of({ { "V1__a.sql", "" }, { "V01__b.sql", "" } }), "db/V1__a.sql: duplicate version 1 (also V01__b.sql)");
}

TEST(SourceLayouts, StatementsRefusedInATransaction)
{
    using vidb::migrate::statement_refused_in_transaction;
    EXPECT_EQ(statement_refused_in_transaction("SELECT 1;\n/* x */ VACUUM ANALYZE t;"), "VACUUM at line 2");
    EXPECT_EQ(statement_refused_in_transaction("drop index concurrently i;"), "DROP INDEX CONCURRENTLY at line 1");
    EXPECT_EQ(
        statement_refused_in_transaction("REINDEX (VERBOSE) TABLE CONCURRENTLY t;"), "REINDEX CONCURRENTLY at line 1");
    EXPECT_EQ(statement_refused_in_transaction("CREATE DATABASE x;"), "CREATE DATABASE at line 1");
    EXPECT_EQ(statement_refused_in_transaction("ALTER SYSTEM SET work_mem = '8MB';"), "ALTER SYSTEM at line 1");
    EXPECT_FALSE(statement_refused_in_transaction("CREATE INDEX i ON t (a); -- VACUUM\nSELECT 'VACUUM';"));
    EXPECT_FALSE(statement_refused_in_transaction(
        "CREATE FUNCTION f() RETURNS void LANGUAGE plpgsql AS $$ BEGIN EXECUTE 'VACUUM'; END $$;"));
    EXPECT_FALSE(statement_refused_in_transaction("REFRESH MATERIALIZED VIEW CONCURRENTLY v;"));
}

TEST(SourceLayouts, FlywayChecksumIsCrc32OverLinesWithoutTerminators)
{
    using vidb::migrate::flyway_checksum;
    // java.util.zip.CRC32 over "SELECT 1;" and over "" (values from Python's zlib.crc32, signed).
    EXPECT_EQ(flyway_checksum("SELECT 1;"), flyway_checksum("SELECT 1;\r\n"));
    EXPECT_EQ(flyway_checksum("SELECT 1;\nSELECT 2;\n"), flyway_checksum("SELECT 1;\r\nSELECT 2;"));
    EXPECT_EQ(flyway_checksum("\xEF\xBB\xBFSELECT 1;"), flyway_checksum("SELECT 1;"));
    EXPECT_EQ(flyway_checksum(""), 0);
    EXPECT_EQ(flyway_checksum("SELECT 1;"), 78787420);
    EXPECT_EQ(flyway_checksum("-- Flyway versioned migration: runs in a transaction.\nCREATE TABLE items (\n    id "
                              "bigserial PRIMARY KEY,\n    label text NOT NULL\n);\n"),
        -793315083);
}

TEST(SourceLayouts, RepeatablesInEveryLayout)
{
    const auto files = parse({ { "views.repeatable.sql", "CREATE VIEW v AS SELECT 1;" },
        { "0001_a.up.sql", "SELECT 1;" }, { "checks/c.sql", "SELECT 1;" } });
    ASSERT_EQ(files.size(), 3u);
    EXPECT_EQ(files[1].kind, EmbeddedKind::repeatable);
    EXPECT_EQ(files[1].name, "views");
    EXPECT_EQ(files[1].version, 0u);
    const auto flyway = parse({ { "V1__a.sql", "SELECT 1;" }, { "R__b_view.sql", "SELECT 2;" } });
    ASSERT_EQ(flyway.size(), 2u);
    EXPECT_EQ(flyway[1].kind, EmbeddedKind::repeatable);
    EXPECT_EQ(flyway[1].name, "b_view");
    // Flyway folders use R__ only: a .repeatable.sql file there is no migration (skipped).
    EXPECT_EQ(error_of({ { "x.repeatable.sql", "" }, { "R__x.sql", "" } }, SourceFormat::flyway), "");
    EXPECT_EQ(error_of({ { "1_a.up.sql", "" }, { "v.repeatable.sql", "-- vidb:no-transaction\nVACUUM;" } })
                  .rfind("db/v.repeatable.sql: a repeatable migration always runs in one transaction", 0),
        0u);
}
