# migc_add_migrations(): compiles a versions directory into a library target
# and, optionally, a command line with the set inside. Works after
# add_subdirectory(migc) and after find_package(migc).
#
#   migc_add_migrations(<name>
#     VERSIONS <dir>              # revision files (*.sql)
#     [DIALECT sqlite|postgresql] # default sqlite
#     [CLI <executable>]          # build the command line as <executable>
#     [SCHEMA <schema.sql>]       # the declared schema, for autogenerate
#     [VERIFY ON|OFF]             # prove each downgrade at build time
#                                 # (default ON for sqlite)
#     [LINT WARN|ERROR|OFF]       # the linter's findings (default WARN)
#     [VERSION_TABLE [schema.]name]) # the CLI's default version table
#
# Targets: <name> (library), <name>-upgrade, <name>-downgrade (one step),
# <name>-current, <name>-history, <name>-stamp, <name>-sql (the --sql script
# from base to MIGC_TARGET), <name>-revision and
# <name>-merge (-DMIGC_MESSAGE=...), <name>-graph, <name>-check, and with
# SCHEMA <name>-autogenerate.
include_guard(GLOBAL)

set(MIGC_MESSAGE "" CACHE STRING "Message for the next <set>-revision target")

function(_migc_real_target out name)
  get_target_property(_aliased ${name} ALIASED_TARGET)
  if(_aliased)
    set(${out} ${_aliased} PARENT_SCOPE)
  else()
    set(${out} ${name} PARENT_SCOPE)
  endif()
endfunction()

function(migc_add_migrations name)
  cmake_parse_arguments(PARSE_ARGV 1 ARG "" "VERSIONS;DIALECT;CLI;SCHEMA;VERIFY;VERSION_TABLE;LINT" "")
  if(ARG_UNPARSED_ARGUMENTS)
    message(FATAL_ERROR "migc_add_migrations(${name}): unknown arguments: ${ARG_UNPARSED_ARGUMENTS}")
  endif()
  if(NOT name MATCHES "^[A-Za-z_][A-Za-z0-9_]*$")
    message(FATAL_ERROR "migc_add_migrations(${name}): the name becomes a C identifier; use letters, digits and underscores")
  endif()
  if(NOT ARG_VERSIONS)
    message(FATAL_ERROR "migc_add_migrations(${name}): VERSIONS <dir> is required")
  endif()
  if(NOT ARG_DIALECT)
    set(ARG_DIALECT sqlite)
  endif()
  if(NOT ARG_DIALECT MATCHES "^(sqlite|postgresql)$")
    message(FATAL_ERROR "migc_add_migrations(${name}): DIALECT must be sqlite or postgresql, not '${ARG_DIALECT}'")
  endif()
  set(_driver migc::${ARG_DIALECT})
  if(ARG_DIALECT STREQUAL "postgresql")
    set(_driver migc::postgresql)
  endif()
  if(NOT TARGET ${_driver})
    # find_package(migc) says why it loaded no such driver.
    set(_why "migc was built without the ${ARG_DIALECT} driver")
    if(MIGC_${ARG_DIALECT}_NOT_FOUND_REASON)
      set(_why "${MIGC_${ARG_DIALECT}_NOT_FOUND_REASON}")
    endif()
    message(FATAL_ERROR "migc_add_migrations(${name}): no ${_driver}: ${_why}")
  endif()
  if(NOT CMAKE_C_COMPILER_LOADED)
    message(FATAL_ERROR "migc_add_migrations(${name}): the generated set is C, and C is not "
      "enabled in this directory: add it to project()'s LANGUAGES (project(app CXX C)), "
      "or find migc with find_package(migc), which enables it")
  endif()
  get_filename_component(_versions "${ARG_VERSIONS}" ABSOLUTE
    BASE_DIR "${CMAKE_CURRENT_SOURCE_DIR}")
  if(NOT DEFINED ARG_VERIFY)
    if(ARG_DIALECT STREQUAL "sqlite")
      set(ARG_VERIFY ON)
    else()
      set(ARG_VERIFY OFF)
    endif()
  endif()
  set(_verify)
  if(ARG_VERIFY)
    set(_verify --verify)
  endif()
  if(NOT ARG_LINT)
    set(ARG_LINT WARN)
  endif()
  string(TOLOWER "${ARG_LINT}" _lint)
  if(NOT _lint MATCHES "^(warn|error|off)$")
    message(FATAL_ERROR "migc_add_migrations(${name}): LINT must be WARN, ERROR or OFF, not '${ARG_LINT}'")
  endif()
  set(_schema_args)
  if(ARG_SCHEMA)
    get_filename_component(_schema "${ARG_SCHEMA}" ABSOLUTE
      BASE_DIR "${CMAKE_CURRENT_SOURCE_DIR}")
    set(_schema_args --schema "${_schema}")
  endif()
  if(NOT IS_DIRECTORY "${_versions}")
    message(FATAL_ERROR "migc_add_migrations(${name}): VERSIONS ${_versions} is not a directory")
  endif()

  set(_out "${CMAKE_CURRENT_BINARY_DIR}/migc/${name}")
  file(MAKE_DIRECTORY "${_out}")
  # Re-globbed at every build: adding a revision file reconfigures.
  file(GLOB _revisions CONFIGURE_DEPENDS "${_versions}/*.sql")
  list(SORT _revisions)
  # Removing a file must regenerate too; a vanished dependency does not
  # trigger a rebuild, so the list itself is an input.
  string(REPLACE ";" "\n" _list "${_revisions}")
  file(CONFIGURE OUTPUT "${_out}/${name}.files" CONTENT "${_list}\n")

  _migc_real_target(_generator migc::migc)
  add_custom_command(
    OUTPUT "${_out}/${name}.c" "${_out}/${name}.h"
    COMMAND ${_generator} generate --versions "${_versions}" --name ${name}
            --dialect ${ARG_DIALECT} --output-dir "${_out}" ${_verify}
            --lint ${_lint}
    DEPENDS ${_revisions} "${_out}/${name}.files" ${_generator}
    COMMENT "migc: generating ${name} from ${_versions}"
    VERBATIM)
  add_library(${name} STATIC "${_out}/${name}.c" "${_out}/${name}.h")
  target_include_directories(${name} PUBLIC "${_out}")
  target_link_libraries(${name} PUBLIC migc::runtime ${_driver})

  # The command line: the one asked for, or an internal one for the targets.
  if(ARG_CLI)
    set(_cli ${ARG_CLI})
    add_executable(${_cli} "${_out}/${name}_cli_main.c")
  else()
    set(_cli ${name}-cli)
    add_executable(${_cli} EXCLUDE_FROM_ALL "${_out}/${name}_cli_main.c")
  endif()
  if(ARG_VERSION_TABLE)
    if(NOT ARG_VERSION_TABLE MATCHES "^([A-Za-z_][A-Za-z0-9_]*\\.)?[A-Za-z_][A-Za-z0-9_]*$")
      message(FATAL_ERROR "migc_add_migrations(${name}): VERSION_TABLE must be name or schema.name (letters, digits, underscores)")
    endif()
    set(_table_literal "\"${ARG_VERSION_TABLE}\"")
  else()
    set(_table_literal "NULL")
  endif()
  # Only the set's driver: a SQLite set's command line loads no libpq.
  set(_cli_driver migc::cli_${ARG_DIALECT})
  if(NOT TARGET ${_cli_driver})
    message(FATAL_ERROR "migc_add_migrations(${name}): migc was built without the command line's ${ARG_DIALECT} driver")
  endif()
  file(CONFIGURE OUTPUT "${_out}/${name}_cli_main.c" CONTENT
"/* Generated by migc_add_migrations(): the command line for ${name},
 * with the ${ARG_DIALECT} driver only. */
#include \"${name}.h\"
#include \"migc_cli.h\"

#include <stddef.h>

static const migc_cli_driver *const drivers[] = {&migc_cli_${ARG_DIALECT}, NULL};

int main(int argc, char **argv)
{
	return migc_cli_main_drivers(&${name}, ${_table_literal}, drivers,
				     argc, argv);
}
")
  target_link_libraries(${_cli} PRIVATE ${name} ${_cli_driver})

  if(NOT DEFINED MIGC_DATABASE_URL)
    set(MIGC_DATABASE_URL "sqlite:///${CMAKE_BINARY_DIR}/${name}.db" CACHE STRING
      "Database the <set>-upgrade/-downgrade/-current/-history targets use")
  endif()
  set(MIGC_TARGET "head" CACHE STRING "Target of the <set>-upgrade target")
  add_custom_target(${name}-upgrade
    COMMAND ${_cli} --url "${MIGC_DATABASE_URL}" upgrade "${MIGC_TARGET}"
    USES_TERMINAL VERBATIM)
  add_custom_target(${name}-downgrade
    COMMAND ${_cli} --url "${MIGC_DATABASE_URL}" downgrade -1
    USES_TERMINAL VERBATIM)
  add_custom_target(${name}-current
    COMMAND ${_cli} --url "${MIGC_DATABASE_URL}" current
    USES_TERMINAL VERBATIM)
  add_custom_target(${name}-history
    COMMAND ${_cli} --url "${MIGC_DATABASE_URL}" history --verbose
    USES_TERMINAL VERBATIM)
  add_custom_target(${name}-stamp
    COMMAND ${_cli} --url "${MIGC_DATABASE_URL}" stamp "${MIGC_TARGET}"
    USES_TERMINAL VERBATIM)
  # The offline script from base to MIGC_TARGET, no database needed.
  add_custom_target(${name}-sql
    COMMAND ${_cli} upgrade "base:${MIGC_TARGET}" --sql
    USES_TERMINAL VERBATIM)
  add_custom_target(${name}-graph
    COMMAND ${_generator} graph --format dot --versions "${_versions}"
    USES_TERMINAL VERBATIM)
  # The build-time proof for SQLite; for PostgreSQL it needs a server, so
  # it is a target to run against MIGC_DATABASE_URL.
  add_custom_target(${name}-verify
    COMMAND ${_generator} verify --versions "${_versions}"
            --dialect ${ARG_DIALECT} --url "${MIGC_DATABASE_URL}"
    USES_TERMINAL VERBATIM)
  add_custom_target(${name}-check
    COMMAND ${_generator} check --versions "${_versions}"
            --dialect ${ARG_DIALECT} --lint ${_lint} ${_schema_args}
    USES_TERMINAL VERBATIM)
  # Commands that write revision files need a message.
  set(_writers revision merge)
  if(ARG_SCHEMA)
    list(APPEND _writers autogenerate)
  endif()
  foreach(_verb ${_writers})
    if(MIGC_MESSAGE STREQUAL "")
      add_custom_target(${name}-${_verb}
        COMMAND ${CMAKE_COMMAND} -E echo
                "migc: set the message first: cmake -DMIGC_MESSAGE=\"add tags\" <build dir>"
        COMMAND ${CMAKE_COMMAND} -E false
        VERBATIM)
    elseif(_verb STREQUAL "revision")
      add_custom_target(${name}-revision
        COMMAND ${_generator} revision -m "${MIGC_MESSAGE}" --versions "${_versions}"
        USES_TERMINAL VERBATIM)
    elseif(_verb STREQUAL "merge")
      add_custom_target(${name}-merge
        COMMAND ${_generator} merge -m "${MIGC_MESSAGE}" heads --versions "${_versions}"
        USES_TERMINAL VERBATIM)
    else()
      add_custom_target(${name}-autogenerate
        COMMAND ${_generator} revision --autogenerate -m "${MIGC_MESSAGE}"
                --versions "${_versions}" --dialect ${ARG_DIALECT} ${_schema_args}
        USES_TERMINAL VERBATIM)
    endif()
  endforeach()
endfunction()
