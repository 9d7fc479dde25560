# vidb_embed_migrations(<library target> <migrations dir>)
# Compiles every migration and check in <dir> into a static library that provides
# vidb::migrate::embedded_files(). Adding, editing or removing a file rebuilds it:
# the glob is re-evaluated at build time (CONFIGURE_DEPENDS) and every file is a dependency.
function(vidb_embed_migrations target dir)
  get_filename_component(dir "${dir}" ABSOLUTE)
  file(GLOB migration_files CONFIGURE_DEPENDS "${dir}/*.sql")
  file(GLOB check_files CONFIGURE_DEPENDS "${dir}/checks/*.sql")
  set(output "${CMAKE_CURRENT_BINARY_DIR}/${target}.cpp")
  # A removed file is no dependency any more, so also depend on the list of files:
  # rewritten (only when it changes) each time the glob is re-evaluated.
  set(file_list "${CMAKE_CURRENT_BINARY_DIR}/${target}.files")
  string(REPLACE ";" "\n" file_list_text "${migration_files};${check_files}")
  file(CONFIGURE OUTPUT "${file_list}" CONTENT "${file_list_text}\n")
  add_custom_command(
    OUTPUT "${output}"
    COMMAND vidb_embed "${dir}" "${output}"
    DEPENDS vidb_embed ${migration_files} ${check_files} "${file_list}"
    COMMENT "Embedding migrations from ${dir}"
    VERBATIM)
  add_library(${target} STATIC "${output}")
  target_include_directories(${target} PRIVATE "${PROJECT_SOURCE_DIR}/src")
endfunction()

# vidb_add_executable(<target> <migrations dir>): a vidb binary with another folder embedded
# (tests use this for fixture folders).
function(vidb_add_executable target dir)
  vidb_embed_migrations(${target}_migrations "${dir}")
  add_executable(${target} "${PROJECT_SOURCE_DIR}/main.cpp")
  target_link_libraries(${target} PRIVATE vidb_core ${target}_migrations)
endfunction()
