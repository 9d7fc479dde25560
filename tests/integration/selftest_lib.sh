# shellcheck shell=bash
# Helpers for the vidb selftest integration tests; source after lib.sh.

# The report line of check NAME in $OUT ("✓ NAME ...", "✗ NAME ..." or "○ NAME ...").
check_line() {
  local line
  while IFS= read -r line; do
    case $line in
      "✓ $1 "* | "✗ $1 "* | "○ $1 "*) printf '%s\n' "$line"; return 0 ;;
    esac
  done <<<"$OUT"
  return 1
}

# expect_check pass|fail|skip NAME [TEXT]: the check is reported with that status (and
# its line contains TEXT).
expect_check() {
  local mark line
  _checks=$((_checks + 1))
  case $1 in
    pass) mark="✓" ;;
    fail) mark="✗" ;;
    skip) mark="○" ;;
    *) fail "expect_check: unknown status $1" ;;
  esac
  line=$(check_line "$2") || fail "no report line for check '$2'"
  [[ $line == "$mark "* ]] || fail "check '$2' should $1: $line"
  if [[ -n ${3:-} ]]; then
    [[ $line == *"$3"* ]] || fail "check '$2': line does not contain '$3': $line"
  fi
}

# The last line of $OUT.
last_line() { printf '%s\n' "$OUT" | tail -n 1; }

# expect_summary PASSED FAILED [SKIPPED]: the exact final line of the text report.
expect_summary() {
  local want="$1 passed, $2 failed"
  [[ -n ${3:-} && ${3:-0} != 0 ]] && want+=", $3 skipped"
  expect_eq "$(last_line)" "$want" "final line"
}

# Every built-in check, in report order.
SELFTEST_BUILTINS=("connect" "server version" "connection pooler" "migrate privileges" "history table"
  "migrations applied" "no unknown versions" "no checksum drift" "no partial migrations" "no invalid indexes")
# The project checks shipped in sql/checks.
SELFTEST_PROJECT_CHECKS=(checks/010_projects_table.sql checks/020_projects_columns.sql
  checks/030_projects_create_read.sql checks/040_projects_updated_at.sql checks/050_projects_name_index.sql)
