# Writes a CTest file with one test per GoogleTest suite (unit.<Suite>, run as
# --gtest_filter=<Suite>.*), from the executable's --gtest_list_tests. Run after each
# link of the unit test binary (tests/CMakeLists.txt).
#
# Why not gtest_discover_tests: it registers every TEST as its own process, and under
# AddressSanitizer each start costs ~40 ms of loader and shadow-memory work, so the 357
# tests spent 15 s of CPU starting and well under 1 s testing. A suite per process keeps
# a failing test easy to find (the suite's name, then GoogleTest's own report) and each
# suite's timeout.
#
#   cmake -D TEST_EXECUTABLE=... -D CTEST_FILE=... -D TEST_PREFIX=unit. -D TEST_LABELS=unit
#         -D TEST_TIMEOUT=60 -P gtest_suites.cmake
foreach(var TEST_EXECUTABLE CTEST_FILE TEST_PREFIX TEST_LABELS TEST_TIMEOUT)
  if(NOT DEFINED ${var})
    message(FATAL_ERROR "gtest_suites.cmake: ${var} is not set")
  endif()
endforeach()

execute_process(
  COMMAND "${TEST_EXECUTABLE}" --gtest_list_tests
  OUTPUT_VARIABLE listing
  ERROR_VARIABLE listing_err
  RESULT_VARIABLE rc
  TIMEOUT 60)
if(NOT rc EQUAL 0)
  file(REMOVE "${CTEST_FILE}")
  message(FATAL_ERROR "${TEST_EXECUTABLE} --gtest_list_tests failed (${rc}):\n${listing}${listing_err}")
endif()

# Suite lines start in column 0 and end with '.', optionally followed by a comment
# (typed suites: "Prefix/Suite.  # TypeParam = int"); test lines are indented.
string(REPLACE "\n" ";" lines "${listing}")
set(content "# Written by cmake/gtest_suites.cmake from ${TEST_EXECUTABLE} --gtest_list_tests\n")
set(count 0)
foreach(line IN LISTS lines)
  if(line MATCHES "^([A-Za-z0-9_/]+)\\.( .*)?$")
    set(suite "${CMAKE_MATCH_1}")
    set(name "${TEST_PREFIX}${suite}")
    string(APPEND content
      "add_test([==[${name}]==] [==[${TEST_EXECUTABLE}]==] [==[--gtest_filter=${suite}.*]==])\n"
      "set_tests_properties([==[${name}]==] PROPERTIES LABELS [==[${TEST_LABELS}]==] TIMEOUT ${TEST_TIMEOUT})\n")
    math(EXPR count "${count} + 1")
  endif()
endforeach()
if(count EQUAL 0)
  message(FATAL_ERROR "gtest_suites.cmake: no suite in ${TEST_EXECUTABLE} --gtest_list_tests")
endif()
# Written only on change, so CTest's view of the tests moves only when the suites do.
file(WRITE "${CTEST_FILE}.new" "${content}")
execute_process(COMMAND "${CMAKE_COMMAND}" -E copy_if_different "${CTEST_FILE}.new" "${CTEST_FILE}")
file(REMOVE "${CTEST_FILE}.new")
