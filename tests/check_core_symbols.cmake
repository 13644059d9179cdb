# check_core_symbols.cmake: the runtime core must not allocate or touch
# files. Run as: cmake -DNM=<nm> -DLIBRARY=<libmigc.a> -P <this file>.
execute_process(COMMAND ${NM} ${LIBRARY} OUTPUT_VARIABLE symbols
  RESULT_VARIABLE status)
if(NOT status EQUAL 0)
  message(FATAL_ERROR "nm failed on ${LIBRARY}")
endif()
# Non-vacuous: the archive really holds the core.
foreach(defined migc_upgrade migc_downgrade migc_current)
  if(NOT symbols MATCHES "[TW] ${defined}\n")
    message(FATAL_ERROR "${LIBRARY} does not define ${defined}")
  endif()
endforeach()
set(forbidden malloc calloc realloc free fopen fopen64 open open64 openat
  fwrite fprintf printf puts)
foreach(name ${forbidden})
  if(symbols MATCHES "U ${name}\n")
    message(FATAL_ERROR "the runtime core references ${name}; it must not allocate, print or open files")
  endif()
endforeach()
message(STATUS "runtime core: no heap, stdio or file symbols")
