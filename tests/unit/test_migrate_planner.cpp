#include "common/error.h"
#include "migrate/planner.h"

#include <gtest/gtest.h>

#include <algorithm>

using namespace vidb::migrate;

namespace {

const unsigned char k_sql[] = "select 1;";

// Migrations 1, 2 (no down) and 3, with checksums "c1".."c3".
const EmbeddedFile k_files[] = {
    { EmbeddedKind::up, 1, "0001", "one", "0001_one.up.sql", k_sql, 9, "c1", false },
    { EmbeddedKind::down, 1, "0001", "one", "0001_one.down.sql", k_sql, 9, "d1", false },
    { EmbeddedKind::up, 2, "0002", "two", "0002_two.up.sql", k_sql, 9, "c2", false },
    { EmbeddedKind::up, 3, "0003", "three", "0003_three.up.sql", k_sql, 9, "c3", false },
    { EmbeddedKind::down, 3, "0003", "three", "0003_three.down.sql", k_sql, 9, "d3", false },
};

const Catalog& catalog()
{
    static const Catalog instance = Catalog::from_files(k_files);
    return instance;
}

HistorySnapshot applied(std::initializer_list<std::pair<std::uint64_t, const char*>> rows)
{
    HistorySnapshot snapshot;
    snapshot.exists = true;
    for (const auto& [version, checksum] : rows) {
        const Migration* known = catalog().find(version);
        snapshot.applied.push_back({ version, known ? std::string(known->name) : "n", checksum, "", 1, "" });
    }
    return snapshot;
}

std::vector<std::uint64_t> versions(const std::vector<const Migration*>& plan)
{
    std::vector<std::uint64_t> out;
    for (const auto* m : plan) {
        out.push_back(static_cast<std::uint64_t>(m->version.key()));
    }
    return out;
}

} // namespace

TEST(PlanMigrate, PendingInOrderAndStopsAtTo)
{
    EXPECT_EQ(versions(plan_migrate(catalog(), {}, {}).apply), (std::vector<std::uint64_t> { 1, 2, 3 }));
    EXPECT_EQ(versions(plan_migrate(catalog(), applied({ { 1, "c1" } }), { .to = 2 }).apply),
        (std::vector<std::uint64_t> { 2 }));
    EXPECT_TRUE(plan_migrate(catalog(), applied({ { 1, "c1" }, { 2, "c2" }, { 3, "c3" } }), {}).apply.empty());
    EXPECT_THROW(plan_migrate(catalog(), {}, { .to = 9 }), vidb::UsageError);
}

TEST(PlanMigrate, DriftIsRefusedNamingBothChecksums)
{
    try {
        plan_migrate(catalog(), applied({ { 1, "old-checksum" } }), {});
        FAIL() << "drift accepted";
    } catch (const vidb::RefusedError& error) {
        ASSERT_FALSE(error.details().empty());
        EXPECT_EQ(error.details()[0], "0001_one: applied old-checksum, embedded c1");
    }
}

TEST(PlanMigrate, OutOfOrderIsRefusedUnlessAllowed)
{
    EXPECT_THROW(plan_migrate(catalog(), applied({ { 1, "c1" }, { 3, "c3" } }), {}), vidb::RefusedError);
    EXPECT_EQ(
        versions(plan_migrate(catalog(), applied({ { 1, "c1" }, { 3, "c3" } }), { .allow_out_of_order = true }).apply),
        (std::vector<std::uint64_t> { 2 }));
}

TEST(PlanMigrate, UnknownVersionsAreReportedAndLeftAlone)
{
    const auto plan = plan_migrate(catalog(), applied({ { 1, "c1" }, { 2, "c2" }, { 3, "c3" }, { 4, "c4" } }), {});
    EXPECT_TRUE(plan.apply.empty());
    EXPECT_EQ(plan.unknown, (std::vector<MigrationVersion> { 4 }));
}

TEST(PlanMigrate, PartialRefusedUnderTheLockToleratedBefore)
{
    auto snapshot = applied({ { 1, "c1" } });
    snapshot.partial.push_back({ 2, "two", 1, 3, "boom", "" });
    EXPECT_THROW(plan_migrate(catalog(), snapshot, {}), vidb::RefusedError);
    EXPECT_TRUE(plan_migrate(catalog(), snapshot, { .partial_may_be_running = true }).partial_seen);
    EXPECT_EQ(compute_status(catalog(), snapshot)[1].state, State::partial);
}

TEST(PlanRevert, NewestFirstAndRefusesIrreversibleByName)
{
    const auto all = applied({ { 1, "c1" }, { 2, "c2" }, { 3, "c3" } });
    EXPECT_EQ(versions(plan_revert(catalog(), all, {})), (std::vector<std::uint64_t> { 3 }));
    try {
        plan_revert(catalog(), all, { .count = 2 });
        FAIL() << "irreversible accepted";
    } catch (const vidb::RefusedError& error) {
        EXPECT_NE(std::string(error.what()).find("0002_two is irreversible"), std::string::npos) << error.what();
    }
    EXPECT_THROW(plan_revert(catalog(), all, { .all = true }), vidb::RefusedError);
    EXPECT_EQ(versions(plan_revert(catalog(), applied({ { 1, "c1" }, { 3, "c3" } }), { .all = true })),
        (std::vector<std::uint64_t> { 3, 1 }));
    EXPECT_EQ(versions(plan_revert(catalog(), applied({ { 1, "c1" }, { 3, "c3" } }), { .to = 1 })),
        (std::vector<std::uint64_t> { 3 }));
    EXPECT_TRUE(plan_revert(catalog(), {}, {}).empty());
}

TEST(ComputeStatus, CollisionMissingAndUnknownAreTold)
{
    auto snapshot = applied({ { 1, "c1" }, { 3, "c3" } });
    snapshot.applied.push_back({ 2, "other_branch", "cx", "", 1, "" }); // another file under 0002
    snapshot.applied.push_back({ 7, "from_newer_build", "c7", "", 1, "" });
    std::sort(snapshot.applied.begin(), snapshot.applied.end(),
        [](const AppliedMigration& a, const AppliedMigration& b) { return a.version < b.version; });
    const auto status = compute_status(catalog(), snapshot);
    ASSERT_EQ(status.size(), 4U);
    EXPECT_EQ(status[1].state, State::collision);
    EXPECT_EQ(status[3].state, State::unknown);
    EXPECT_EQ(status[3].version_text, "0007"); // padded like the files

    // 0002 deleted from the binary while 0003 is still there: missing, not unknown.
    const EmbeddedFile without_two[] = { k_files[0], k_files[1], k_files[3], k_files[4] };
    const Catalog lacking = Catalog::from_files(without_two);
    const auto gap = compute_status(lacking, applied({ { 1, "c1" }, { 2, "c2" }, { 3, "c3" } }));
    EXPECT_EQ(gap[1].state, State::missing);
    EXPECT_EQ(gap[1].version_text, "0002");
    EXPECT_EQ(plan_migrate(lacking, applied({ { 1, "c1" }, { 2, "c2" }, { 3, "c3" } }), {}).missing,
        (std::vector<MigrationVersion> { 2 }));
}

TEST(ComputeStatus, SameTextUnderANewNameIsStillApplied)
{
    auto snapshot = applied({ { 1, "c1" } });
    snapshot.applied[0].name = "typo_fixed_later";
    EXPECT_EQ(compute_status(catalog(), snapshot)[0].state, State::applied);
}

TEST(PlanMigrate, CollisionIsRefusedWithARename)
{
    auto snapshot = applied({ { 1, "c1" } });
    snapshot.applied.push_back({ 2, "other_branch", "cx", "", 1, "" });
    try {
        plan_migrate(catalog(), snapshot, {});
        FAIL() << "collision accepted";
    } catch (const vidb::RefusedError& error) {
        EXPECT_NE(std::string(error.what()).find("version collision"), std::string::npos) << error.what();
        ASSERT_FALSE(error.details().empty());
        EXPECT_NE(
            error.details()[0].find("rename your file to a new version (e.g. 0004_two.up.sql)"), std::string::npos)
            << error.details()[0];
    }
    EXPECT_THROW(plan_revert(catalog(), snapshot, {}), vidb::RefusedError);
}

TEST(FormatVersion, PadsOnlyWhenTheFilesAgree)
{
    EXPECT_EQ(format_version(catalog(), 12), "0012");
    EXPECT_EQ(format_version(catalog(), 123456), "123456");
    const EmbeddedFile mixed[]
        = { k_files[0], { EmbeddedKind::up, 20, "20", "x", "20_x.up.sql", k_sql, 9, "c", false } };
    EXPECT_EQ(format_version(Catalog::from_files(mixed), 5), "5");
}

TEST(PlanRevert, DriftedIsRefusedNamingBothChecksumsUnlessAllowed)
{
    const auto drifted = applied({ { 1, "c1" }, { 3, "old-three" } });
    try {
        plan_revert(catalog(), drifted, {});
        FAIL() << "drifted revert accepted";
    } catch (const vidb::RefusedError& error) {
        const std::string what = error.what();
        EXPECT_NE(
            what.find("0003_three changed since it was applied (applied old-three, embedded c3)"), std::string::npos)
            << what;
        EXPECT_NE(what.find("--allow-drift"), std::string::npos) << what;
    }
    EXPECT_EQ(versions(plan_revert(catalog(), drifted, { .allow_drift = true })), (std::vector<std::uint64_t> { 3 }));
    // Only the migrations in the plan matter: a drifted older one does not stop reverting 3.
    EXPECT_EQ(versions(plan_revert(catalog(), applied({ { 1, "old-one" }, { 3, "c3" } }), {})),
        (std::vector<std::uint64_t> { 3 }));
}

TEST(PlanRevert, PartialDownIsPartialAndRefusedEverywhere)
{
    auto snapshot = applied({ { 1, "c1" }, { 3, "c3" } });
    PartialMigration down;
    down.version = 3;
    down.name = "three";
    down.statements_done = 1;
    down.statements_total = 2;
    down.direction = Direction::down;
    snapshot.partial.push_back(down);
    const auto status = compute_status(catalog(), snapshot);
    EXPECT_EQ(status[2].state, State::partial);
    EXPECT_NE(status[2].applied, nullptr);
    try {
        plan_revert(catalog(), snapshot, {});
        FAIL() << "revert past a partial revert";
    } catch (const vidb::RefusedError& error) {
        EXPECT_NE(std::string(error.what()).find("is partially reverted: 1 of 2 statements of its down ran"),
            std::string::npos)
            << error.what();
    }
    EXPECT_THROW(plan_migrate(catalog(), snapshot, {}), vidb::RefusedError);
    EXPECT_EQ(versions(plan_revert(catalog(), snapshot, { .partial_may_be_running = true })),
        (std::vector<std::uint64_t> { 3 }));
}

namespace {

// Flyway's dotted versions, as the embedder writes them: the key is MigrationVersion::key.
const EmbeddedFile k_dotted[] = {
    { EmbeddedKind::up, 1, "1", "a", "V1__a.sql", k_sql, 9, "c1", false },
    { EmbeddedKind::up, 0, "1.10", "c", "V1.10__c.sql", k_sql, 9, "c110", false },
    { EmbeddedKind::up, 0, "1.1", "b", "V1.1__b.sql", k_sql, 9, "c11", false },
    { EmbeddedKind::up, 2, "2", "d", "V2__d.sql", k_sql, 9, "c2", false },
    { EmbeddedKind::down, 0, "1.10", "c", "U1.10__c.sql", k_sql, 9, "u110", false },
};

MigrationVersion v(const char* text)
{
    return *MigrationVersion::parse(text);
}

HistorySnapshot applied_dotted(std::initializer_list<std::pair<const char*, const char*>> rows)
{
    HistorySnapshot snapshot;
    snapshot.exists = true;
    for (const auto& [text, checksum] : rows) {
        snapshot.applied.push_back({ v(text), "n", checksum, "", 1, "" });
    }
    return snapshot;
}

std::vector<std::string> texts(const std::vector<const Migration*>& plan)
{
    std::vector<std::string> out;
    for (const auto* m : plan) {
        out.emplace_back(m->version_text);
    }
    return out;
}

} // namespace

TEST(PlanMigrate, DottedVersionsInNumericOrder)
{
    const Catalog dotted = Catalog::from_files(k_dotted);
    EXPECT_EQ(texts(plan_migrate(dotted, {}, {}).apply), (std::vector<std::string> { "1", "1.1", "1.10", "2" }));
    EXPECT_EQ(texts(plan_migrate(dotted, {}, { .to = v("1.1") }).apply), (std::vector<std::string> { "1", "1.1" }));
    // 1.10 is after 1.1 (numbers, not text): applying 1.1 after 1.10 is out of order.
    EXPECT_THROW(plan_migrate(dotted, applied_dotted({ { "1", "c1" }, { "1.10", "c110" } }), {}), vidb::RefusedError);
    const auto late
        = plan_migrate(dotted, applied_dotted({ { "1", "c1" }, { "1.10", "c110" } }), { .allow_out_of_order = true });
    EXPECT_EQ(texts(late.apply), (std::vector<std::string> { "1.1", "2" }));
    // An applied dotted version this binary lacks: unknown when newer, missing when older.
    const auto status = compute_status(dotted, applied_dotted({ { "1.5", "x" }, { "2.0.1", "y" } }));
    ASSERT_EQ(status.size(), 6u);
    EXPECT_EQ(status[3].version_text, "1.10");
    EXPECT_EQ(status[2].version_text, "1.5");
    EXPECT_EQ(status[2].state, State::missing);
    EXPECT_EQ(status[5].version_text, "2.0.1");
    EXPECT_EQ(status[5].state, State::unknown);
}

TEST(PlanRevert, DottedToVersion)
{
    const Catalog dotted = Catalog::from_files(k_dotted);
    const auto all = applied_dotted({ { "1", "c1" }, { "1.1", "c11" }, { "1.10", "c110" } });
    EXPECT_EQ(texts(plan_revert(dotted, all, { .to = v("1.1") })), (std::vector<std::string> { "1.10" }));
    EXPECT_EQ(format_version(dotted, v("1.1")), "1.1");
    EXPECT_EQ(format_version(dotted, v("3.0.2")), "3.0.2");
}
