// libFuzzer target for reading other tools' migration folders (source_layout.h and
// parse_source_files): the first line of the input is a file name, the rest its text.
// Whatever the bytes, parsing either refuses with a SourceFolderError or yields sections
// that are exact slices of the file, in order, with no byte lost between them; a goose
// section's statements (split_goose_statements) cover it the same way.
#include "migrate/migration_version.h"
#include "migrate/source_folder.h"
#include "migrate/source_layout.h"

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

namespace {

void check(bool condition)
{
    if (!condition) {
        std::abort();
    }
}

void check_split(std::string_view text, const vidb::migrate::SplitFile& split)
{
    if (split.problem) {
        check(!split.problem->message.empty());
        return;
    }
    // The sections are the end of the text: the up section, then the down section (if
    // any) directly after it, running to the last byte.
    const std::string sections = split.up.text + (split.down ? split.down->text : std::string());
    check(text.ends_with(sections) && !split.up.text.empty());
}

// goose's statements of a section: contiguous pieces covering it, byte for byte.
void check_goose_statements(std::string_view section)
{
    std::size_t offset = 0;
    for (const auto& piece : vidb::migrate::split_goose_statements(section)) {
        check(piece.offset == offset && piece.length > 0 && piece.text == section.substr(offset, piece.length));
        offset += piece.length;
    }
    check(offset == section.size());
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const std::string_view input(reinterpret_cast<const char*>(data), size);
    const std::size_t newline = input.find('\n');
    const std::string name(input.substr(0, newline));
    const std::string_view text = newline == std::string_view::npos ? std::string_view() : input.substr(newline + 1);
    check_split(text, vidb::migrate::split_dbmate(text));
    const auto goose = vidb::migrate::split_goose(text);
    check_split(text, goose);
    if (!goose.problem) {
        check_goose_statements(goose.up.text);
    }
    if (const auto one = vidb::migrate::parse_one_file_name(name, false)) {
        check(name.starts_with(one->version_text));
    }
    if (const auto up_down = vidb::migrate::parse_golang_migrate_name(name)) {
        check(name.starts_with(up_down->version_text + "_" + up_down->name + "."));
    }
    // A version (Flyway's dotted ones): its shown text reads back as the same version with
    // the same key, and its history row (key, version_text) rebuilds it.
    using vidb::migrate::MigrationVersion;
    if (const auto version = MigrationVersion::parse(name)) {
        const auto again = MigrationVersion::parse(version->text());
        check(again && *again == *version && again->key() == version->key());
        check(version->is_integer() == (version->key() >= 0));
        check(MigrationVersion::from_row(version->key(), version->stored_text()) == version);
        check(!(*version < *again) && !(*again < *version));
    }
    using vidb::migrate::SourceFormat;
    for (const SourceFormat format : { SourceFormat::auto_detect, SourceFormat::golang_migrate, SourceFormat::dbmate,
             SourceFormat::goose, SourceFormat::flyway }) {
        const std::vector<vidb::migrate::RawSourceFile> raw { { name, std::string(text) } };
        try {
            for (const auto& file : vidb::migrate::parse_source_files(raw, "", { .format = format })) {
                check(file.file_name == name && file.first_line >= 1);
            }
        } catch (const vidb::migrate::SourceFolderError&) {
        }
    }
    return 0;
}
