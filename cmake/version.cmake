# Stamps version and git commit into the binary (re-evaluated on every configure).
# VIDB_STAMP_COMMIT=OFF writes "unstamped" instead: `make test` builds its sanitized
# tree so, because a new commit otherwise changes build_info.cpp, which relinks every
# executable and repacks every fixture (80 MB each there) although no code changed.
option(VIDB_STAMP_COMMIT "Stamp the git commit into the binaries" ON)
find_package(Git QUIET)
set(VIDB_GIT_COMMIT "unknown")
if(NOT VIDB_STAMP_COMMIT)
  set(VIDB_GIT_COMMIT "unstamped")
elseif(GIT_FOUND AND EXISTS "${CMAKE_SOURCE_DIR}/.git")
  execute_process(COMMAND "${GIT_EXECUTABLE}" rev-parse --short=12 HEAD
    WORKING_DIRECTORY "${CMAKE_SOURCE_DIR}" OUTPUT_VARIABLE VIDB_GIT_COMMIT
    OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET)
  if(NOT VIDB_GIT_COMMIT)
    set(VIDB_GIT_COMMIT "unknown")
  endif()
endif()
set(VIDB_VERSION_CPP "${CMAKE_BINARY_DIR}/generated/build_info.cpp")
configure_file("${CMAKE_SOURCE_DIR}/cmake/build_info.cpp.in" "${VIDB_VERSION_CPP}" @ONLY)
