#pragma once

#include "selftest/check_result.h"

#include <string>
#include <string_view>
#include <vector>

namespace vidb::selftest {

enum class Format { text, tap, junit, json };

// --- text: one line per check, the failure's detail indented, the totals last ---

// "✓ connect      1.2 ms  message" (names padded to `name_width`; ANSI colours with `color`).
std::string text_line(const CheckResult& check, std::size_t name_width, bool color);
// The check's detail lines, indented (empty when it passed without details).
std::vector<std::string> text_details(const CheckResult& check);
// "N passed, M failed", plus ", K skipped" when something was skipped. Scripts and
// CI logs match the start of it: keep it so.
std::string text_summary(const Report& report);
std::string format_text(const Report& report, bool color);

// --- machine formats: the whole document, ending in a newline ---

// TAP version 13: "ok"/"not ok" lines, "# SKIP reason", a YAML block for failures.
std::string format_tap(const Report& report);
// JUnit XML as Jenkins, GitLab and GitHub reporters read it: one <testcase> per check.
// `suite` names the <testsuites> and <testsuite> (vidb lint uses the same report).
std::string format_junit(const Report& report, std::string_view timestamp, std::string_view suite = "vidb selftest");
// The time now as JUnit's timestamp wants it: ISO 8601, UTC, no zone suffix (the schema has none).
std::string junit_timestamp_now();
std::string format_json(const Report& report);

// Text safe inside XML attributes and elements: markup escaped, and characters XML 1.0
// cannot carry at all (control characters, broken UTF-8) replaced by U+FFFD.
std::string xml_escape(std::string_view text);
// "2.1 ms", "1.25 s".
std::string format_duration(double ms);

} // namespace vidb::selftest
