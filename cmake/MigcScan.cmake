# MigcScan.cmake: lists a versions directory at build time, as
#   cmake -DMIGC_VERSIONS=dir -DMIGC_LIST=file -P MigcScan.cmake
# writing each revision file's name, size and time into MIGC_LIST, and
# touching it only when that changed. The set is generated from the list,
# so that adding, editing or removing a revision file regenerates it
# without a reconfigure (and without CMake's "GLOB mismatch!").
cmake_minimum_required(VERSION 3.21)
file(GLOB _files "${MIGC_VERSIONS}/*.sql")
list(SORT _files)
set(_text "")
foreach(_file ${_files})
  file(TIMESTAMP "${_file}" _time "%s")
  file(SIZE "${_file}" _size)
  string(APPEND _text "${_file} ${_size} ${_time}\n")
endforeach()
file(WRITE "${MIGC_LIST}.new" "${_text}")
file(COPY_FILE "${MIGC_LIST}.new" "${MIGC_LIST}" ONLY_IF_DIFFERENT)
file(REMOVE "${MIGC_LIST}.new")
