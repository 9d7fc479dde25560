#pragma once

#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace vidb::migrate {

// A migration's version: what orders migrations, what the user types and sees, and the key
// of its row in vidb_schema_migrations.
//
// Written as digits, or (Flyway) parts of digits separated by '.' or '_' (V17.1__, V1_1__).
// Ordered as Flyway orders them: part by part as unbounded integers, a missing part
// counting as 0, so 2 < 2.1 < 2.10 < 3 and 1.0 == 1 == 01.
//
// Stored as history.version bigint: a version that is one integer fitting bigint is that
// integer (the column holds it as before, version_text NULL); any other (dotted, or too big)
// gets a negative key derived from its canonical text (see key()) and version_text holds
// its text. Keys are identity only: nothing is ordered by them.
class MigrationVersion {
public:
    MigrationVersion() = default; // version 0
    // An integer version (at most INT64_MAX), shown in decimal; implicit, as the integer
    // versions of vidb's own layout are plain numbers.
    MigrationVersion(std::uint64_t value); // NOLINT(google-explicit-constructor)

    // Digits, or digit runs separated by single '.' or '_'; nothing for anything else.
    // The text is kept as shown (zero padding kept, '_' shown as '.', as Flyway shows it).
    static std::optional<MigrationVersion> parse(std::string_view text);
    static MigrationVersion of_integer(std::uint64_t value) { return MigrationVersion(value); }
    // A history row's (version, version_text): nothing when they disagree (a NULL text
    // with a negative key, a text that is no version, or one whose key is not KEY).
    static std::optional<MigrationVersion> from_row(std::int64_t key, const std::optional<std::string>& text);

    // The history key: the integer itself, or -(1 + the first 8 bytes of SHA-256 of the
    // canonical text, big-endian, masked to 62 bits), always < 0 so it never meets an
    // integer version.
    std::int64_t key() const { return m_key; }
    // Stored with version_text NULL: one integer that fits bigint.
    bool is_integer() const { return m_key >= 0; }
    // As shown to users: "0001", "17.1", "20240115180414".
    const std::string& text() const { return m_text; }
    // How messages tell the user to type it ("vidb repair 1 --resume", "... 17.1 ..."):
    // an integer in decimal (as vidb always wrote it), any other version as text().
    std::string argument() const { return is_integer() ? std::to_string(m_key) : m_text; }
    // What version_text holds: nothing for an integer version, else text().
    std::optional<std::string> stored_text() const;
    // Parts without leading zeros and without trailing zero parts, joined by '.': equal
    // versions have equal canonical text ("1.0" and "01" are "1").
    std::string canonical() const;

    friend std::strong_ordering operator<=>(const MigrationVersion& a, const MigrationVersion& b);
    friend bool operator==(const MigrationVersion& a, const MigrationVersion& b) { return a.m_parts == b.m_parts; }

private:
    std::vector<std::string> m_parts { "0" }; // canonical: no leading zeros, no trailing "0" parts
    std::string m_text = "0";
    std::int64_t m_key = 0;
};

} // namespace vidb::migrate
