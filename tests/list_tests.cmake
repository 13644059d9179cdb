# list_tests.cmake: a test file's table of tests, made from the file itself
# so that a test cannot be written and left out. Every START_TEST(name) at
# the start of a line becomes MIGC_TEST(name), in the order of the file, in
# the table migc_file_tests (check_main.h), which the file includes after its
# last test as MIGC_FILE_TESTS. migc_add_unit_test runs it at build time as:
# cmake -DSOURCE=<test_x.c> -DOUTPUT=<header> -P <this file>.
file(STRINGS ${SOURCE} starts REGEX "^START_TEST\\(")
get_filename_component(source_name ${SOURCE} NAME)
string(CONCAT text
  "/* Generated from ${source_name} by tests/list_tests.cmake: its tests,\n"
  " * as START_TEST names them. Do not edit. */\n")
set(table "")
foreach(start ${starts})
  string(REGEX REPLACE "^START_TEST\\(([A-Za-z_][A-Za-z0-9_]*)\\).*" "\\1"
    name "${start}")
  string(APPEND table "    MIGC_TEST(${name}),\n")
endforeach()
# A file without START_TEST at the start of a line (its tests made by a
# macro) lists its own; it gets no table, so including this fails to build.
if(NOT table STREQUAL "")
  string(APPEND text "static const struct migc_test migc_file_tests[] = {\n"
    "${table}};\n")
endif()
file(WRITE ${OUTPUT} "${text}")
