#include "common/json.h"
#include "selftest/report.h"

#include <gtest/gtest.h>

using namespace vidb::selftest;

namespace {

CheckResult make(std::string name, Outcome outcome, Group group = Group::builtin, std::string file = "")
{
    return CheckResult { std::move(name), group, std::move(file), 1.5, std::move(outcome) };
}

Report sample()
{
    Report report;
    report.checks.push_back(make("connect", passed("postgres@localhost:5432/app")));
    report.checks.push_back(make("checks/020_fails.sql",
        failed("checks/020_fails.sql:9: expected <1000> & \"more\"", { "SQLSTATE P0004", "context: line\twith tab" }),
        Group::project, "checks/020_fails.sql"));
    report.checks.push_back(make("roundtrip: apply all", skipped("no CREATEDB # privilege"), Group::roundtrip));
    report.duration_ms = 12.5;
    return report;
}

std::string last_line(const std::string& text)
{
    std::string trimmed = text;
    while (!trimmed.empty() && trimmed.back() == '\n') {
        trimmed.pop_back();
    }
    return trimmed.substr(trimmed.rfind('\n') + 1);
}

} // namespace

TEST(SelftestReport, XmlEscapeMarkup)
{
    EXPECT_EQ(xml_escape("a<b>&\"c\"'d'"), "a&lt;b&gt;&amp;&quot;c&quot;&apos;d&apos;");
    EXPECT_EQ(xml_escape("line\nnext\ttab"), "line\nnext\ttab");
    EXPECT_EQ(xml_escape("✓ ünïcode 𝄞"), "✓ ünïcode 𝄞");
}

TEST(SelftestReport, XmlEscapeReplacesWhatXmlCannotCarry)
{
    const std::string replacement = "\xEF\xBF\xBD";
    EXPECT_EQ(xml_escape(std::string("a\x01z")), "a" + replacement + "z");
    EXPECT_EQ(xml_escape(std::string("nul\0!", 5)), "nul" + replacement + "!");
    EXPECT_EQ(xml_escape("bad \xFF byte"), "bad " + replacement + " byte");
    EXPECT_EQ(xml_escape("cut \xE2\x9C"), "cut " + replacement + replacement);
    EXPECT_EQ(xml_escape("overlong \xC0\xAF"), "overlong " + replacement + replacement);
    EXPECT_EQ(xml_escape("surrogate \xED\xA0\x80"), "surrogate " + replacement);
}

TEST(SelftestReport, JunitListsEveryCheckWithEscapedText)
{
    const std::string xml = format_junit(sample(), "2026-01-02T03:04:05");
    EXPECT_EQ(xml.rfind("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n", 0), 0u);
    EXPECT_NE(xml.find("<testsuites name=\"vidb selftest\" tests=\"3\" failures=\"1\" errors=\"0\" skipped=\"1\""),
        std::string::npos);
    EXPECT_NE(xml.find("timestamp=\"2026-01-02T03:04:05\""), std::string::npos);
    EXPECT_NE(xml.find("<testcase name=\"connect\" classname=\"vidb.selftest\" time=\"0.002\">\n"
                       "      <system-out>postgres@localhost:5432/app</system-out>\n    </testcase>\n"),
        std::string::npos);
    EXPECT_NE(
        xml.find("classname=\"vidb.selftest.checks\" time=\"0.002\" file=\"checks/020_fails.sql\""), std::string::npos);
    EXPECT_NE(xml.find("<failure message=\"checks/020_fails.sql:9: expected &lt;1000&gt; &amp; &quot;more&quot;\""),
        std::string::npos);
    // The body keeps the detail lines; an attribute keeps a tab as a character reference.
    EXPECT_NE(xml.find("SQLSTATE P0004\ncontext: line\twith tab</failure>"), std::string::npos);
    EXPECT_NE(xml.find("<skipped message=\"no CREATEDB # privilege\"/>"), std::string::npos);
    EXPECT_EQ(xml.find("<1000>"), std::string::npos);
    EXPECT_EQ(last_line(xml), "</testsuites>");
}

TEST(SelftestReport, JunitAttributeKeepsNewlines)
{
    Report report;
    report.checks.push_back(make("x", failed("two\nlines")));
    EXPECT_NE(format_junit(report, "").find("message=\"two&#10;lines\""), std::string::npos);
}

TEST(SelftestReport, JunitPassWithoutMessageIsEmptyElement)
{
    Report report;
    report.checks.push_back(make("no checksum drift", passed("")));
    EXPECT_NE(format_junit(report, "")
                  .find("<testcase name=\"no checksum drift\" classname=\"vidb.selftest\" "
                        "time=\"0.002\"/>\n"),
        std::string::npos);
}

TEST(SelftestReport, Tap)
{
    const std::string tap = format_tap(sample());
    EXPECT_EQ(tap.rfind("TAP version 13\n1..3\n", 0), 0u);
    EXPECT_NE(tap.find("\nok 1 - connect\n"), std::string::npos);
    EXPECT_NE(tap.find("\nnot ok 2 - checks/020_fails.sql\n  ---\n"), std::string::npos);
    EXPECT_NE(tap.find("  message: \"checks/020_fails.sql:9: expected <1000> & \\\"more\\\"\"\n"), std::string::npos);
    EXPECT_NE(tap.find("  details:\n    - \"SQLSTATE P0004\"\n    - \"context: line\\twith tab\"\n  ...\n"),
        std::string::npos);
    // '#' in a description would start a directive.
    EXPECT_NE(tap.find("\nok 3 - roundtrip: apply all # SKIP no CREATEDB \\# privilege\n"), std::string::npos);
    EXPECT_EQ(last_line(tap), "# 1 passed, 1 failed, 1 skipped");
}

TEST(SelftestReport, TextSummaryIsTheLastLine)
{
    EXPECT_EQ(text_summary(sample()), "1 passed, 1 failed, 1 skipped");
    Report clean;
    clean.checks.push_back(make("connect", passed("")));
    clean.checks.push_back(make("server version", passed("")));
    EXPECT_EQ(text_summary(clean), "2 passed, 0 failed");
    EXPECT_EQ(last_line(format_text(clean, false)), "2 passed, 0 failed");
    EXPECT_EQ(text_summary(Report {}), "0 passed, 0 failed");
}

TEST(SelftestReport, TextLines)
{
    const Report report = sample();
    const std::string text = format_text(report, false);
    EXPECT_NE(text.find("✓ connect                  1.5 ms  postgres@localhost:5432/app\n"), std::string::npos);
    EXPECT_NE(text.find("✗ checks/020_fails.sql     1.5 ms  checks/020_fails.sql:9:"), std::string::npos);
    EXPECT_NE(text.find("\n      SQLSTATE P0004\n"), std::string::npos);
    EXPECT_NE(text.find("○ roundtrip: apply all    skipped  no CREATEDB"), std::string::npos);
    EXPECT_EQ(text.find('\033'), std::string::npos);
    EXPECT_NE(text_line(report.checks[0], 7, true).find("\033[32m✓\033[0m"), std::string::npos);
}

TEST(SelftestReport, Durations)
{
    EXPECT_EQ(format_duration(0.04), "0.0 ms");
    EXPECT_EQ(format_duration(12.345), "12.3 ms");
    EXPECT_EQ(format_duration(1250), "1.25 s");
}

TEST(SelftestReport, Json)
{
    const std::string json = format_json(sample());
    EXPECT_EQ(
        json.rfind("{\"ok\":false,\"passed\":1,\"failed\":1,\"skipped\":1,\"duration_ms\":12.5,\"checks\":[", 0), 0u);
    EXPECT_NE(json.find("{\"name\":\"connect\",\"group\":\"builtin\",\"status\":\"pass\""), std::string::npos);
    EXPECT_NE(
        json.find("\"details\":[\"SQLSTATE P0004\",\"context: line\\twith tab\"],\"file\":\"checks/020_fails.sql\"}"),
        std::string::npos);
    EXPECT_EQ(json.back(), '\n');
}

TEST(SelftestReport, JsonShapeParsesBackWithBadBytes)
{
    Report report = sample();
    report.checks[0].outcome.message = "bad byte \xff and \"quotes\"";
    const auto document = vidb::Json::parse(format_json(report));
    EXPECT_EQ(document["checks"].size(), 3u);
    EXPECT_EQ(document["checks"][0]["message"], "bad byte \xEF\xBF\xBD and \"quotes\"");
    EXPECT_EQ(document["checks"][1]["group"], "project");
    EXPECT_EQ(document["checks"][1]["file"], "checks/020_fails.sql");
    EXPECT_FALSE(document["checks"][0].contains("file"));
    EXPECT_EQ(document["checks"][2]["status"], "skip");
    EXPECT_DOUBLE_EQ(document["checks"][0]["duration_ms"].get<double>(), 1.5);
}
