# list_tests.cmake: a test file's tables of tests, made from the file itself
# so that a test cannot be written and left out. Every START_TEST(name) at
# the start of a line becomes MIGC_TEST(name), in the order of the file, in
# the table that the last MIGC_TESTS(table); above it declares (check_main.h),
# or in migc_file_tests before the first. A test inside #if/#ifdef/#ifndef
# stands in its table under the same condition (a table whose tests all
# share one stands under it whole). The file includes the tables as
# MIGC_FILE_TESTS after its last test. migc_add_unit_test runs this at build
# time as: cmake -DSOURCE=<test_x.c> -DOUTPUT=<header> -P <this file>.
cmake_minimum_required(VERSION 3.21)
file(STRINGS ${SOURCE} lines
  REGEX "^(START_TEST\\(|MIGC_TESTS\\(|#[ \t]*(if|ifdef|ifndef|elif|else|endif)([ \t(]|$))")
get_filename_component(source_name ${SOURCE} NAME)

set(table migc_file_tests)
set(tables "")
set(declared "")
set(conditions "") # the active #if conditions, innermost last
foreach(line ${lines})
  if(line MATCHES "^#[ \t]*ifdef[ \t]+([A-Za-z0-9_]+)")
    list(APPEND conditions "defined(${CMAKE_MATCH_1})")
  elseif(line MATCHES "^#[ \t]*ifndef[ \t]+([A-Za-z0-9_]+)")
    list(APPEND conditions "!defined(${CMAKE_MATCH_1})")
  elseif(line MATCHES "^#[ \t]*if[ \t]+(.*)$")
    list(APPEND conditions "(${CMAKE_MATCH_1})")
  elseif(line MATCHES "^#[ \t]*elif")
    message(FATAL_ERROR "${SOURCE}: #elif around tests is not understood; "
      "write #else #if, or list the tests by hand")
  elseif(line MATCHES "^#[ \t]*else")
    list(POP_BACK conditions last)
    list(APPEND conditions "!${last}")
  elseif(line MATCHES "^#[ \t]*endif")
    list(POP_BACK conditions)
  elseif(line MATCHES "^MIGC_TESTS\\(([A-Za-z_][A-Za-z0-9_]*)\\)")
    set(table ${CMAKE_MATCH_1})
    list(APPEND declared ${table})
  elseif(line MATCHES "^START_TEST\\(([A-Za-z_][A-Za-z0-9_]*)\\)")
    if(NOT table IN_LIST tables)
      list(APPEND tables ${table})
      set(common_${table} "${conditions}")
    endif()
    # What the table's tests share stays the longest common run of
    # conditions from the outermost.
    set(shared "")
    set(index 0)
    list(LENGTH conditions count)
    foreach(condition ${common_${table}})
      if(index LESS count)
        list(GET conditions ${index} mine)
        if(mine STREQUAL condition)
          list(APPEND shared "${condition}")
          math(EXPR index "${index} + 1")
          continue()
        endif()
      endif()
      break()
    endforeach()
    set(common_${table} "${shared}")
    list(APPEND tests_${table} "${CMAKE_MATCH_1}")
    set(conditions_${CMAKE_MATCH_1} "${conditions}")
  endif()
endforeach()

# `conditions` as one #if expression, "" for none.
function(joined out conditions)
  list(JOIN conditions " && " text)
  set(${out} "${text}" PARENT_SCOPE)
endfunction()

string(CONCAT text
  "/* Generated from ${source_name} by tests/list_tests.cmake: its tests,\n"
  " * as START_TEST names them. Do not edit. */\n")
foreach(table ${tables})
  joined(table_if "${common_${table}}")
  list(LENGTH common_${table} skip)
  if(NOT table_if STREQUAL "")
    string(APPEND text "#if ${table_if}\n")
  endif()
  if(table IN_LIST declared)
    string(APPEND text "const struct migc_test ${table}[] = {\n")
  else()
    string(APPEND text "static const struct migc_test ${table}[] = {\n")
  endif()
  foreach(test ${tests_${table}})
    set(own "${conditions_${test}}")
    list(LENGTH own count)
    if(count GREATER skip)
      list(SUBLIST own ${skip} -1 own)
    else()
      set(own "")
    endif()
    joined(test_if "${own}")
    if(test_if STREQUAL "")
      string(APPEND text "    MIGC_TEST(${test}),\n")
    else()
      string(APPEND text "#if ${test_if}\n    MIGC_TEST(${test}),\n#endif\n")
    endif()
  endforeach()
  string(APPEND text "};\n")
  if(NOT table_if STREQUAL "")
    string(APPEND text "#endif\n")
  endif()
endforeach()
file(WRITE ${OUTPUT} "${text}")
