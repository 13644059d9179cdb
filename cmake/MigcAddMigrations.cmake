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
#     [SINGLE_HEAD]               # several heads fail the build
#     [FROM_BASELINE]             # start at the baseline (migc squash):
#                                 # the revisions before it left out
#     [URL <url>]                 # the database of the targets below
#                                 # (default for sqlite: <name>.db in the
#                                 # build directory; for postgresql none:
#                                 # MIGC_DATABASE_URL or PGDATABASE...)
#     [VERSION_TABLE [schema.]name]) # the CLI's default version table
#
# Targets: <name> (library), <name>-upgrade, <name>-downgrade,
# <name>-current, <name>-history, <name>-stamp, <name>-sql (the --sql script
# from base to MIGC_TARGET), <name>-revision and <name>-merge, <name>-graph
# (<name>.dot, and <name>.svg with Graphviz), <name>-check, <name>-verify,
# and with SCHEMA <name>-autogenerate. What one run needs comes from the
# environment at build time (cmake/MigcRun.cmake):
#   MIGC_MESSAGE="add tags" cmake --build build --target <name>-revision
#   MIGC_TARGET=ae10 cmake --build build --target <name>-downgrade
include_guard(GLOBAL)

# Where MigcRun.cmake and MigcScan.cmake are, for every directory that
# calls the function (a variable would stay in the includer's scope).
set_property(GLOBAL PROPERTY MIGC_CMAKE_DIR "${CMAKE_CURRENT_LIST_DIR}")
set_property(GLOBAL PROPERTY MIGC_VERSION_STRING "${migc_VERSION}")

function(_migc_real_target out name)
  get_target_property(_aliased ${name} ALIASED_TARGET)
  if(_aliased)
    set(${out} ${_aliased} PARENT_SCOPE)
  else()
    set(${out} ${name} PARENT_SCOPE)
  endif()
endfunction()

function(migc_add_migrations name)
  cmake_parse_arguments(PARSE_ARGV 1 ARG "SINGLE_HEAD;FROM_BASELINE" "VERSIONS;DIALECT;CLI;SCHEMA;VERIFY;VERSION_TABLE;LINT;URL" "")
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
  set(_verify --no-verify)
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

  get_property(_MIGC_CMAKE_DIR GLOBAL PROPERTY MIGC_CMAKE_DIR)
  set(_out "${CMAKE_CURRENT_BINARY_DIR}/migc/${name}")
  file(MAKE_DIRECTORY "${_out}")
  # The versions directory is listed at every build (MigcScan.cmake): a
  # revision file added, edited or removed changes the list, which
  # regenerates the set; nothing else does.
  set(_list "${_out}/${name}.files")
  add_custom_target(${name}-scan
    COMMAND ${CMAKE_COMMAND} -DMIGC_VERSIONS=${_versions} -DMIGC_LIST=${_list}
            -P "${_MIGC_CMAKE_DIR}/MigcScan.cmake"
    BYPRODUCTS "${_list}"
    VERBATIM)
  set(_single_head)
  if(ARG_SINGLE_HEAD)
    set(_single_head --single-head)
  endif()
  if(ARG_FROM_BASELINE)
    list(APPEND _single_head --from-baseline)
  endif()

  _migc_real_target(_generator migc::migc)
  add_custom_command(
    OUTPUT "${_out}/${name}.c" "${_out}/${name}.h"
    COMMAND ${_generator} generate --versions "${_versions}" --name ${name}
            --dialect ${ARG_DIALECT} --output-dir "${_out}" ${_verify} ${_single_head}
            --lint ${_lint}
    DEPENDS "${_list}" ${_generator}
    COMMENT "migc: generating ${name} from ${_versions}"
    VERBATIM)
  add_library(${name} STATIC "${_out}/${name}.c" "${_out}/${name}.h")
  target_include_directories(${name} PUBLIC "${_out}")
  target_link_libraries(${name} PUBLIC migc::runtime ${_driver})
  add_dependencies(${name} ${name}-scan)

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
  # Its manual page and bash completion, beside it in the build directory:
  # <cli>.1 and <cli>.bash (install them with the program if you ship it).
  if(ARG_CLI)
    set(MIGC_CLI ${_cli})
    set(MIGC_SET ${name})
    string(TOUPPER "${_cli}" MIGC_CLI_UPPER)
    string(REPLACE "-" "\\-" MIGC_CLI_UPPER "${MIGC_CLI_UPPER}")
    get_property(MIGC_VERSION GLOBAL PROPERTY MIGC_VERSION_STRING)
    configure_file("${_MIGC_CMAKE_DIR}/migc-cli.1.in"
      "${CMAKE_CURRENT_BINARY_DIR}/${_cli}.1" @ONLY)
    configure_file("${_MIGC_CMAKE_DIR}/migc-cli.bash.in"
      "${CMAKE_CURRENT_BINARY_DIR}/${_cli}.bash" @ONLY)
  endif()

  # The targets on a database: each set its own URL (two sets never share
  # a file); MIGC_DATABASE_URL in the environment of a build wins.
  if(DEFINED ARG_URL)
    set(_url "${ARG_URL}")
  elseif(ARG_DIALECT STREQUAL "sqlite")
    set(_url "sqlite:///${CMAKE_BINARY_DIR}/${name}.db")
  else()
    set(_url "")
  endif()
  set(_run ${CMAKE_COMMAND} -DMIGC_SET=${name} "-DMIGC_URL=${_url}"
    -DMIGC_CLI=$<TARGET_FILE:${_cli}> -DMIGC_GENERATOR=$<TARGET_FILE:${_generator}>
    -DMIGC_VERSIONS=${_versions} -DMIGC_DIALECT=${ARG_DIALECT}
    -DMIGC_SCHEMA=${_schema} -DMIGC_OUTPUT=${CMAKE_CURRENT_BINARY_DIR}/${name})
  set(_actions upgrade downgrade current history stamp sql graph revision merge)
  if(ARG_SCHEMA)
    list(APPEND _actions autogenerate)
  endif()
  foreach(_action ${_actions})
    add_custom_target(${name}-${_action}
      COMMAND ${_run} -DMIGC_ACTION=${_action} -P "${_MIGC_CMAKE_DIR}/MigcRun.cmake"
      USES_TERMINAL VERBATIM)
    if(_action MATCHES "^(upgrade|downgrade|current|history|stamp|sql)$")
      add_dependencies(${name}-${_action} ${_cli})
    endif()
  endforeach()
  # The build-time proof for SQLite; for PostgreSQL it needs a server, so
  # it is a target to run against the set's URL.
  set(_verify_url)
  if(NOT _url STREQUAL "")
    set(_verify_url --url "${_url}")
  endif()
  add_custom_target(${name}-verify
    COMMAND ${_generator} verify --versions "${_versions}"
            --dialect ${ARG_DIALECT} ${_verify_url}
    USES_TERMINAL VERBATIM)
  # Its hint names the target that writes the missing revision.
  add_custom_target(${name}-check
    COMMAND ${CMAKE_COMMAND} -E env MIGC_CHECK_TARGET=${name}-autogenerate
            $<TARGET_FILE:${_generator}> check --versions "${_versions}"
            --dialect ${ARG_DIALECT} --lint ${_lint} ${_schema_args}
    USES_TERMINAL VERBATIM)
endfunction()
