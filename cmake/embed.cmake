# vidb_embed_migrations(<library target> <migrations dir> [NO_SOURCE_CHECKS] [LINT off|warn|error]
#   [FORMAT <layout>])
# Compiles every migration and check in <dir> into a static library that provides
# vidb::migrate::embedded_files(). Adding, editing or removing a file rebuilds it:
# the glob is re-evaluated at build time (CONFIGURE_DEPENDS) and every file is a dependency.
# The files' bytes are copied to <target>_data/ and included by the assembler (.incbin),
# so the compiler never sees them as C++ (a 50 MB migration is no 50 MB array).
# NO_SOURCE_CHECKS: embed files that fail check_migration_source() (test fixtures only).
# LINT: run `vidb lint`'s rules at build time (default off; the project's own folder gets
# -DVIDB_LINT, default warn): warn prints findings, error fails the build on an error one.
# FORMAT: the folder's layout (auto, vidb, golang-migrate, dbmate, goose, flyway); default auto.
# vidb_file_list(<out var> <name> <files...>): a file in the binary dir listing FILES,
# rewritten only when the list changes (each time a CONFIGURE_DEPENDS glob is
# re-evaluated). A rule that depends on it as well as on the files reruns when a file is
# removed, which would otherwise be no dependency any more.
function(vidb_file_list out name)
  set(file_list "${CMAKE_CURRENT_BINARY_DIR}/${name}.files")
  string(REPLACE ";" "\n" file_list_text "${ARGN}")
  file(CONFIGURE OUTPUT "${file_list}" CONTENT "${file_list_text}\n")
  set(${out} "${file_list}" PARENT_SCOPE)
endfunction()

function(vidb_embed_migrations target dir)
  cmake_parse_arguments(PARSE_ARGV 2 arg "NO_SOURCE_CHECKS" "LINT;FORMAT" "")
  get_filename_component(dir "${dir}" ABSOLUTE)
  file(GLOB migration_files CONFIGURE_DEPENDS "${dir}/*.sql")
  file(GLOB check_files CONFIGURE_DEPENDS "${dir}/checks/*.sql")
  set(output "${CMAKE_CURRENT_BINARY_DIR}/${target}.cpp")
  set(data_dir "${CMAKE_CURRENT_BINARY_DIR}/${target}_data")
  set(data_files "")
  foreach(file ${migration_files})
    get_filename_component(name "${file}" NAME)
    list(APPEND data_files "${data_dir}/${name}")
  endforeach()
  foreach(file ${check_files})
    get_filename_component(name "${file}" NAME)
    list(APPEND data_files "${data_dir}/checks/${name}")
  endforeach()
  vidb_file_list(file_list ${target} ${migration_files} ${check_files})
  set(flags "")
  if(arg_NO_SOURCE_CHECKS)
    set(flags --no-source-checks)
  endif()
  if(arg_LINT)
    if(NOT arg_LINT MATCHES "^(off|warn|error)$")
      message(FATAL_ERROR "VIDB_LINT must be off, warn or error (got '${arg_LINT}')")
    endif()
    list(APPEND flags "--lint=${arg_LINT}")
  endif()
  if(arg_FORMAT)
    list(APPEND flags --format "${arg_FORMAT}")
  endif()
  # vidb_embed writes a file only when its content changes; the touch then marks every
  # output as made by this run. Without it an unchanged output stayed older than a
  # relinked vidb_embed, and the rule ran again at every build, twice in one build for
  # the Makefile generator.
  add_custom_command(
    OUTPUT "${output}" ${data_files}
    COMMAND vidb_embed ${flags} "${dir}" "${output}" "${data_dir}"
    COMMAND "${CMAKE_COMMAND}" -E touch "${output}" ${data_files}
    DEPENDS vidb_embed ${migration_files} ${check_files} "${file_list}"
    COMMENT "Embedding migrations from ${dir}"
    VERBATIM)
  # The generated source names every file's checksum, so it changes with the data; the
  # object also depends on the data files themselves, which only the assembler reads.
  set_source_files_properties("${output}" PROPERTIES OBJECT_DEPENDS "${data_files}")
  add_library(${target} STATIC "${output}")
  target_include_directories(${target} PRIVATE "${PROJECT_SOURCE_DIR}/src")
endfunction()

# vidb_add_executable(<target> <migrations dir> [NO_SOURCE_CHECKS]): a vidb binary with
# another folder embedded (tests use this for fixture folders).
function(vidb_add_executable target dir)
  vidb_embed_migrations(${target}_migrations "${dir}" ${ARGN})
  add_executable(${target} "${PROJECT_SOURCE_DIR}/main.cpp")
  target_link_libraries(${target} PRIVATE vidb_core ${target}_migrations)
endfunction()
