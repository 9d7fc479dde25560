// Issue 14, item 5: the JSON shape and the text lines of vidb lint.
#include "lint/report.h"
#include "lint/trace.h"

#include <gtest/gtest.h>

namespace vidb::lint {
namespace {

LintRun sample()
{
    LintRun run;
    run.files = { "0002_a.up.sql", "0003_b.up.sql" };
    run.findings = { { "0002_a.up.sql", 3, 7, "create-index-not-concurrently", Severity::error, "CREATE INDEX ..." },
        { "0003_b.up.sql", 1, 1, "varchar-length", Severity::warning, "column x is varchar(n)" } };
    return run;
}

TEST(LintReportJson, ObjectWithAFindingsArrayOfTheDocumentedKeys)
{
    const Json doc = findings_json(sample());
    EXPECT_EQ(doc.dump(),
        R"j({"ok":false,"files":2,"errors":1,"warnings":1,"infos":0,"findings":[)j"
        R"j({"file":"0002_a.up.sql","line":3,"column":7,"rule":"create-index-not-concurrently",)j"
        R"j("severity":"error","message":"CREATE INDEX ..."},)j"
        R"j({"file":"0003_b.up.sql","line":1,"column":1,"rule":"varchar-length",)j"
        R"j("severity":"warning","message":"column x is varchar(n)"}]})j");
    EXPECT_EQ(
        findings_json(LintRun {}).dump(), R"j({"ok":true,"files":0,"errors":0,"warnings":0,"infos":0,"findings":[]})j");
}

TEST(LintReportText, CompilerStyleLinesAndTotals)
{
    const LintRun run = sample();
    EXPECT_EQ(text_line(run.findings[0], false),
        "0002_a.up.sql:3:7: error: CREATE INDEX ... [create-index-not-concurrently]");
    EXPECT_EQ(text_line(run.findings[0], true),
        "0002_a.up.sql:3:7: \033[31merror\033[0m: CREATE INDEX ... [create-index-not-concurrently]");
    EXPECT_EQ(text_summary(run), "1 error, 1 warning, 0 infos in 2 files");
}

TEST(LintTrace, LockModesAsTheManualNamesThem)
{
    EXPECT_EQ(lock_mode_name("ShareLock"), "SHARE");
    EXPECT_EQ(lock_mode_name("AccessExclusiveLock"), "ACCESS EXCLUSIVE");
    EXPECT_EQ(lock_mode_name("ShareUpdateExclusiveLock"), "SHARE UPDATE EXCLUSIVE");
}

} // namespace
} // namespace vidb::lint
