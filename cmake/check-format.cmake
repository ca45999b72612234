# Fails if any C source or header in the tree differs from what
# clang-format (with the root .clang-format) would make of it.
# Usage: cmake -DCLANG_FORMAT=... -DROOT=... -P check-format.cmake
file(GLOB_RECURSE sources RELATIVE ${ROOT}
  ${ROOT}/arch/*.[ch] ${ROOT}/mm/*.[ch] ${ROOT}/kernel/*.[ch] ${ROOT}/drivers/*.[ch]
  ${ROOT}/include/*.h ${ROOT}/userland/*.[ch] ${ROOT}/tests/*.[ch] ${ROOT}/tools/*.[ch])
execute_process(COMMAND ${CLANG_FORMAT} --dry-run -Werror ${sources}
  WORKING_DIRECTORY ${ROOT} RESULT_VARIABLE rc ERROR_VARIABLE err)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "files not formatted (run clang-format -i on them):\n${err}")
endif()
list(LENGTH sources n)
message(STATUS "${n} files formatted as .clang-format says")
