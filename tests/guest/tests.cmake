# In-guest tests: each tests/guest/NAME.c is a user program, /tests/NAME in
# the initramfs, run as the first process. POLICIES lists the fork
# policies it runs under (one ctest entry each).
function(rvos_user_test name)
  cmake_parse_arguments(T "" "EXIT;TIMEOUT;SMP" "POLICIES;ARGS" ${ARGN})
  if(NOT T_POLICIES)
    set(T_POLICIES cow copy)
  endif()
  if(NOT DEFINED T_EXIT)
    set(T_EXIT 0)
  endif()
  if(NOT T_TIMEOUT)
    set(T_TIMEOUT 120)
  endif()
  if(NOT T_SMP)
    set(T_SMP ${RVOS_SMP})
  endif()
  string(REPLACE ";" " " args "${T_ARGS}")
  foreach(policy IN LISTS T_POLICIES)
    rvos_guest_test(NAME ${name}.${policy} CMDLINE "mm.fork=${policy} init=/tests/${name} -- ${args}"
      EXIT ${T_EXIT} TIMEOUT ${T_TIMEOUT} SMP ${T_SMP})
  endforeach()
endfunction()

rvos_user_test(hello)
