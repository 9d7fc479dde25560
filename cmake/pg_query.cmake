# cmake/pg_query.cmake — vidb::pg_query, libpg_query (PostgreSQL's grammar as a library,
# Debian libpg-query-dev) for `vidb lint`, from its static archive in every build.
#
# libpg_query.a carries its own copy of PostgreSQL's src/common and src/port (pg_utf_mblen,
# pg_wchar_table, strtoint, ...), which libpq's static libpgcommon/libpgport define too: a
# static link fails on the duplicates, and a dynamic one lets one copy interpose the
# other. So every global symbol it defines, except its API (pg_query_*), is renamed to
# vidb_pgq_<name> in a copy of the archive in the build tree (objcopy --redefine-syms
# renames definitions and references alike, so the library stays whole). Redone when the
# installed archive changes (CMAKE_CONFIGURE_DEPENDS).
#
# Size: pg_query_parse() shares its object file with pg_query_parse_protobuf(), whose
# one reference, pg_query_nodes_to_protobuf, would pull in the protobuf output code and
# protobuf-c (~0.6 MB; dist/vidb must stay within 8 MiB). It is renamed like the others,
# and src/lint/parse.cpp defines vidb_pgq_pg_query_nodes_to_protobuf (it aborts; vidb
# never asks for protobuf), so the linker needs none of those members.
find_path(VIDB_PG_QUERY_INCLUDE_DIR pg_query.h REQUIRED)
find_library(VIDB_PG_QUERY_LIBRARY NAMES libpg_query.a REQUIRED)
find_package(Threads REQUIRED)
if(NOT CMAKE_NM OR NOT CMAKE_OBJCOPY)
  message(FATAL_ERROR "nm and objcopy (binutils) are needed to link libpg_query")
endif()

set(_pgq_dir "${CMAKE_BINARY_DIR}/pg_query")
set(_pgq_archive "${_pgq_dir}/libpg_query_vidb.a")
set(_pgq_map "${_pgq_dir}/redefine-syms.txt")
set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS "${VIDB_PG_QUERY_LIBRARY}")
file(MAKE_DIRECTORY "${_pgq_dir}")
execute_process(COMMAND "${CMAKE_NM}" -g --defined-only "${VIDB_PG_QUERY_LIBRARY}"
  OUTPUT_VARIABLE _pgq_symbols RESULT_VARIABLE _pgq_rc ERROR_QUIET)
if(NOT _pgq_rc EQUAL 0)
  message(FATAL_ERROR "nm failed on ${VIDB_PG_QUERY_LIBRARY}")
endif()
string(REGEX MATCHALL "[0-9a-fA-F]+ [A-Za-z] [A-Za-z_][A-Za-z0-9_.$]*" _pgq_lines "${_pgq_symbols}")
set(_pgq_renames "")
set(_pgq_seen "")
foreach(_line ${_pgq_lines})
  string(REGEX REPLACE "^[0-9a-fA-F]+ [A-Za-z] " "" _name "${_line}")
  if((NOT _name MATCHES "^pg_query" OR _name STREQUAL "pg_query_nodes_to_protobuf") AND NOT _name IN_LIST _pgq_seen)
    list(APPEND _pgq_seen "${_name}")
    string(APPEND _pgq_renames "${_name} vidb_pgq_${_name}\n")
  endif()
endforeach()
# Written beside and copied over only when different: every configure (make test runs
# one per tree) redoes this, and a newer archive would relink every binary and re-run
# every embed step of a tree that has nothing to rebuild.
file(WRITE "${_pgq_map}" "${_pgq_renames}")
execute_process(COMMAND "${CMAKE_OBJCOPY}" "--redefine-syms=${_pgq_map}" "${VIDB_PG_QUERY_LIBRARY}"
  "${_pgq_archive}.new" RESULT_VARIABLE _pgq_rc ERROR_VARIABLE _pgq_err)
if(NOT _pgq_rc EQUAL 0)
  message(FATAL_ERROR "objcopy could not rename libpg_query's internal symbols: ${_pgq_err}")
endif()
execute_process(COMMAND "${CMAKE_COMMAND}" -E copy_if_different "${_pgq_archive}.new" "${_pgq_archive}")
file(REMOVE "${_pgq_archive}.new")

add_library(vidb::pg_query STATIC IMPORTED)
set_target_properties(vidb::pg_query PROPERTIES IMPORTED_LOCATION "${_pgq_archive}"
  INTERFACE_INCLUDE_DIRECTORIES "${VIDB_PG_QUERY_INCLUDE_DIR}" INTERFACE_LINK_LIBRARIES Threads::Threads)
list(LENGTH _pgq_seen _pgq_count)
message(STATUS "libpg_query: ${VIDB_PG_QUERY_LIBRARY}, ${_pgq_count} internal symbols renamed vidb_pgq_*")
unset(_pgq_symbols)
unset(_pgq_lines)
unset(_pgq_renames)
unset(_pgq_seen)
