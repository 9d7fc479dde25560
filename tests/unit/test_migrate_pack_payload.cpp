#include "migrate/carried_set.h"
#include "migrate/pack_payload.h"
#include "migrate/packed_binary.h"

#include <gtest/gtest.h>

using namespace vidb::migrate;

namespace {

Payload sample(bool binary_bytes = false)
{
    Payload payload;
    payload.info = { "vidb", "2026-02-25T12:00:00Z", "migrations", "0.1.0" };
    payload.files = { { "0001_a.up.sql", "CREATE TABLE a();\r\n" }, { "0001_a.down.sql", "DROP TABLE a;\n" },
        { "checks/ok.sql", binary_bytes ? std::string("SELECT 1;\0\xff", 11) : "SELECT 1;\n" } };
    return payload;
}

std::string decode_error(std::string_view bytes)
{
    try {
        decode_payload(bytes);
    } catch (const PayloadError& error) {
        return error.what();
    }
    return "";
}

} // namespace

TEST(PackPayload, RoundTripsFilesByteForByte)
{
    const Payload payload = sample(true);
    const Payload back = decode_payload(encode_payload(payload));
    EXPECT_EQ(back.info.layout, "vidb");
    EXPECT_EQ(back.info.packed_at, "2026-02-25T12:00:00Z");
    EXPECT_EQ(back.info.packed_from, "migrations");
    EXPECT_EQ(back.info.packed_by, "0.1.0");
    ASSERT_EQ(back.files.size(), 3u);
    for (std::size_t i = 0; i < back.files.size(); ++i) {
        EXPECT_EQ(back.files[i].relative_path, payload.files[i].relative_path);
        EXPECT_EQ(back.files[i].bytes, payload.files[i].bytes);
    }
}

TEST(PackPayload, RefusesTruncatedForeignAndUnsafe)
{
    const std::string bytes = encode_payload(sample());
    for (std::size_t cut = 0; cut < bytes.size(); ++cut) {
        EXPECT_NE(decode_error(bytes.substr(0, cut)), "") << "cut at " << cut;
    }
    EXPECT_EQ(decode_error(bytes + "x"), "the payload has bytes after its last file");
    EXPECT_EQ(decode_error("ELF..." + bytes), "the payload does not start with vidb's header");
    for (const char* path : { "../0001_a.up.sql", "/etc/0001_a.up.sql", "checks/../../x.sql", "checks/sub/x.sql",
             "0001_a.up.txt", ".sql", "checks/..", "a\\b.sql" }) {
        Payload payload;
        payload.files = { { path, "x" } };
        EXPECT_NE(decode_error(encode_payload(payload)).find("only NAME.sql and checks/NAME.sql"), std::string::npos)
            << path;
    }
}

TEST(PackPayload, TrailerRoundTripsAndIsRecognised)
{
    Trailer trailer;
    trailer.payload_size = 123456789;
    trailer.payload_sha256 = sha256_of("payload");
    const std::string bytes = encode_trailer(trailer);
    ASSERT_EQ(bytes.size(), k_trailer_size);
    const auto back = decode_trailer(bytes);
    ASSERT_TRUE(back);
    EXPECT_EQ(back->payload_size, trailer.payload_size);
    EXPECT_EQ(back->payload_sha256, trailer.payload_sha256);
    // The end of an ordinary executable is no trailer; a trailer of another format is an error.
    EXPECT_FALSE(decode_trailer(std::string(k_trailer_size, '\0')));
    EXPECT_FALSE(decode_trailer(bytes.substr(1)));
    std::string future = bytes;
    future[40] = 2;
    EXPECT_THROW(decode_trailer(future), PayloadError);
    EXPECT_EQ(hex(sha256_of("")), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

TEST(PackPayload, DamageIsNamed)
{
    const std::string payload = "payload";
    const Trailer trailer { payload.size(), sha256_of(payload) };
    EXPECT_EQ(payload_damage(trailer, 100), "");
    EXPECT_NE(payload_damage(std::nullopt, 100).find("missing"), std::string::npos);
    EXPECT_NE(payload_damage(Trailer { 1000, {} }, 100).find("names 1000 bytes"), std::string::npos);
    EXPECT_EQ(payload_damage(payload, trailer, trailer.payload_sha256), "");
    EXPECT_NE(payload_damage("paylaod", trailer, trailer.payload_sha256).find("SHA-256"), std::string::npos);
    EXPECT_NE(payload_damage(payload, trailer, sha256_of("other")).find("not the ones it was packed with"),
        std::string::npos);
}

TEST(PackPayload, LoadsThroughTheFolderRulesWithTheEmbeddersChecksums)
{
    CarriedSet set;
    load_payload(encode_payload(sample()), set);
    EXPECT_EQ(set.source, SetSource::packed);
    EXPECT_EQ(set.info.packed_from, "migrations");
    ASSERT_EQ(set.files.size(), 3u);
    const auto parsed = parse_source_files(sample().files, "");
    EXPECT_EQ(set.digest, source_set_digest(parsed));
    for (std::size_t i = 0; i < parsed.size(); ++i) {
        EXPECT_EQ(set.files[i].checksum, parsed[i].checksum);
        EXPECT_EQ(
            std::string_view(reinterpret_cast<const char*>(set.files[i].data), set.files[i].size), parsed[i].text);
    }
    Payload other = sample();
    other.info.layout = "flyway-someday";
    CarriedSet refused;
    EXPECT_THROW(load_payload(encode_payload(other), refused), PayloadError);
    Payload bad = sample();
    bad.files.push_back({ "0002_b.down.sql", "x" });
    EXPECT_THROW(load_payload(encode_payload(bad), refused), SourceFolderError);
}

TEST(PackPayload, LayoutTagCarriesAForcedFormat)
{
    using vidb::migrate::format_of_layout_tag;
    using vidb::migrate::payload_layout_tag;
    using vidb::migrate::SourceFormat;
    EXPECT_EQ(payload_layout_tag(SourceFormat::auto_detect), "vidb");
    EXPECT_EQ(payload_layout_tag(SourceFormat::dbmate), "vidb:dbmate");
    for (const auto format : { SourceFormat::auto_detect, SourceFormat::vidb, SourceFormat::golang_migrate,
             SourceFormat::dbmate, SourceFormat::goose, SourceFormat::flyway }) {
        EXPECT_EQ(format_of_layout_tag(payload_layout_tag(format)), format);
    }
    for (const char* tag : { "", "vidb:", "vidb:auto", "vidb:liquibase", "sqitch", "VIDB" }) {
        EXPECT_FALSE(format_of_layout_tag(tag)) << tag;
    }
}
