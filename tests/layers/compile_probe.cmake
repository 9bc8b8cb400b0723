# Compiles one fixture of tests/fixtures/layers/ with the include path and definitions of a
# layer's target, as that layer's own sources are compiled (-fsyntax-only: no object is written).
# Run by the architecture.Layer* tests of tests/layers/CMakeLists.txt:
#   cmake -DCOMPILER=... -DSTANDARD=-std=c++20 -DLAYER_FLAGS=<generated file> -DFIXTURE=<file>
#         -DSOURCE_ROOT=<src/> [-DREFUSES=<layer/header.hpp>] -P compile_probe.cmake
# Without REFUSES the fixture must compile. With REFUSES it must fail on exactly that header not
# being found, and on nothing else: a compiler that crashes, a missing compiler or fixture, or an
# error about any other header fails the test, so it cannot pass by accident the way an expected
# failure (WILL_FAIL) would.
cmake_minimum_required(VERSION 3.25)

foreach(variable COMPILER STANDARD LAYER_FLAGS FIXTURE SOURCE_ROOT)
  if(NOT DEFINED ${variable} OR "${${variable}}" STREQUAL "")
    message(FATAL_ERROR "compile_probe: ${variable} is not set")
  endif()
endforeach()
if(NOT EXISTS "${FIXTURE}")
  message(FATAL_ERROR "compile_probe: the fixture ${FIXTURE} does not exist")
endif()
# Sets LAYER_INCLUDE_DIRECTORIES, LAYER_COMPILE_DEFINITIONS and COMPILER_INCLUDE_DIRECTORIES
# (written by tests/layers/CMakeLists.txt at generation time).
include("${LAYER_FLAGS}")

get_filename_component(fixture_name "${FIXTURE}" NAME)
if(DEFINED REFUSES)
  # The header must be real: a header that no longer exists in src/ would be "not found" whatever
  # the include path, and the test would prove nothing.
  if(NOT EXISTS "${SOURCE_ROOT}/${REFUSES}")
    message(FATAL_ERROR "compile_probe: ${REFUSES} does not exist under ${SOURCE_ROOT}; point "
                        "${fixture_name} and its test at a header the upper layer has")
  endif()
  file(STRINGS "${FIXTURE}" include_lines REGEX "^#include \"${REFUSES}\"$")
  if(NOT include_lines)
    message(FATAL_ERROR "compile_probe: ${fixture_name} does not include \"${REFUSES}\"")
  endif()
endif()

set(arguments ${STANDARD} -fsyntax-only)
list(REMOVE_DUPLICATES LAYER_INCLUDE_DIRECTORIES)
foreach(directory IN LISTS LAYER_INCLUDE_DIRECTORIES)
  if(NOT directory STREQUAL "" AND NOT directory IN_LIST COMPILER_INCLUDE_DIRECTORIES)
    list(APPEND arguments "-I${directory}")
  endif()
endforeach()
foreach(definition IN LISTS LAYER_COMPILE_DEFINITIONS)
  if(NOT definition STREQUAL "")
    list(APPEND arguments "-D${definition}")
  endif()
endforeach()
execute_process(
  COMMAND "${COMPILER}" ${arguments} "${FIXTURE}"
  RESULT_VARIABLE result
  OUTPUT_VARIABLE output
  ERROR_VARIABLE output)
string(REPLACE ";" " " shown "${COMPILER} ${arguments} ${FIXTURE}")

if(NOT DEFINED REFUSES)
  if(NOT result EQUAL 0)
    message(FATAL_ERROR "compile_probe: ${fixture_name} should compile but did not "
                        "(${result}):\n${shown}\n${output}")
  endif()
  message(STATUS "compile_probe: ${fixture_name} compiles")
  return()
endif()

# GCC: "x.cpp:5:10: fatal error: pipeline/run.hpp: No such file or directory";
# clang: "x.cpp:5:10: fatal error: 'pipeline/run.hpp' file not found". Either, at an #include line
# of the fixture itself (not of a header it includes).
string(REPLACE "." "\\." header_pattern "${REFUSES}")
string(REPLACE "." "\\." fixture_pattern "${fixture_name}")
set(refused_pattern "${fixture_pattern}:[0-9]+:[0-9]+: fatal error: (${header_pattern}: No such file or directory|'${header_pattern}' file not found)")
if(result EQUAL 0)
  message(FATAL_ERROR "compile_probe: ${fixture_name} compiled, but its layer must not see "
                      "${REFUSES}:\n${shown}")
endif()
if(NOT output MATCHES "${refused_pattern}")
  message(FATAL_ERROR "compile_probe: ${fixture_name} failed (${result}), but not with "
                      "\"${REFUSES}: No such file or directory\":\n${shown}\n${output}")
endif()
# The refused header must be the only error: one about anything else means the fixture or the
# layer's own headers are broken, which this test does not prove anything about.
string(REGEX MATCHALL "(fatal )?error:" errors "${output}")
list(LENGTH errors error_count)
if(NOT error_count EQUAL 1)
  message(FATAL_ERROR "compile_probe: ${fixture_name} failed on ${REFUSES} as it should, but "
                      "with other errors too:\n${shown}\n${output}")
endif()
message(STATUS "compile_probe: ${fixture_name}: ${REFUSES} not found, as it should be")
