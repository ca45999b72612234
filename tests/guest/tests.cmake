# In-guest tests: each tests/guest/NAME.c is a user program, /tests/NAME in
# the initramfs, run as the first process. POLICIES lists the fork
# policies it runs under (one ctest entry each). The kernel is booted with
# `testmode`, which lets any process use the test hooks (mmfail) and
# poweroff, not only init; NO_TESTMODE boots without it. DEBUG runs it on
# the debug kernel instead (entries NAME.POLICY.debug).
function(rvos_user_test name)
  cmake_parse_arguments(T "NO_TESTMODE;DEBUG" "EXIT;TIMEOUT;SMP;LABEL" "POLICIES;ARGS" ${ARGN})
  set(kernel ${RVOS_KERNEL})
  set(suffix "")
  if(T_DEBUG)
    set(kernel ${RVOS_DEBUG_KERNEL})
    set(suffix ".debug")
  endif()
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
  if(NOT T_LABEL)
    set(T_LABEL ${name})
  endif()
  string(REPLACE ";" " " args "${T_ARGS}")
  set(testmode " testmode")
  if(T_NO_TESTMODE)
    set(testmode "")
  endif()
  foreach(policy IN LISTS T_POLICIES)
    # Besides the exit status, the program's own verdict line must appear:
    # a machine that powers off early with status 0 must not pass.
    rvos_guest_test(NAME ${T_LABEL}.${policy}${suffix}
      CMDLINE "mm.fork=${policy}${testmode} init=/tests/${name} -- ${args}"
      EXIT ${T_EXIT} EXPECT "(test [a-z0-9_]+|xv6_api): passed" TIMEOUT ${T_TIMEOUT} SMP ${T_SMP}
      KERNEL ${kernel})
  endforeach()
endfunction()

rvos_user_test(hello)
rvos_user_test(cow_semantics)
rvos_user_test(fork_big)
rvos_user_test(cow_3_writers)
rvos_user_test(cow_copyout)
rvos_user_test(cow_reuse)
rvos_user_test(cow_oom POLICIES cow)
rvos_user_test(text_write)
rvos_user_test(fork_storm TIMEOUT 300)
rvos_user_test(proc_basics)
rvos_user_test(sbrk_limits)
rvos_user_test(exec_args)
rvos_user_test(bad_pointers)
rvos_user_test(fork_oom)
rvos_user_test(fp_state POLICIES cow)
rvos_guest_test(NAME console_input CMDLINE "init=/tests/console_input" EXPECT "test console_input: passed"
  INPUT ${CMAKE_CURRENT_SOURCE_DIR}/guest/console_input.txt)
# The file-system suite, one entry per group (see fs_smoke.c).
foreach(group files dirs names links unlink_open devices many_files big_file out_of_memory
              concurrent fork_offset exec_relative bad_arguments)
  rvos_user_test(fs_smoke LABEL fs.${group} ARGS ${group})
endforeach()
rvos_user_test(shell)
rvos_user_test(pipes)
rvos_user_test(xv6_api)
rvos_user_test(hostile TIMEOUT 180)
rvos_user_test(tlb_fork)
rvos_user_test(reparent TIMEOUT 300)
rvos_user_test(orphan_block POLICIES cow)
rvos_user_test(copyout_pad)
rvos_user_test(restricted NO_TESTMODE POLICIES cow)
rvos_user_test(restricted LABEL restricted_testmode POLICIES cow)

# The debug kernel (yields in preemption windows, poisons freed frames)
# under the tests that create, switch and destroy address spaces most.
foreach(t fork_storm proc_basics exec_args sbrk_limits cow_semantics tlb_fork)
  rvos_user_test(${t} DEBUG POLICIES cow copy TIMEOUT 300)
endforeach()

# The classic course programs' expectations (docs/xv6-compat.md). The
# xv6_* programs are built the way course programs are (1-page stack).
rvos_user_test(xv6_headers)
rvos_user_test(stack_guard)
rvos_user_test(xv6_stack)
rvos_user_test(xv6_layout)
rvos_user_test(xv6_files)

# ---- labs/sched: settickets and the pluggable scheduler. Besides its own
# test, a few process tests run again under sched=stride (NAME.stride).
rvos_user_test(sched_tickets POLICIES cow)
foreach(t sched_tickets proc_basics pipes cow_semantics fork_big hostile exec_args)
  rvos_guest_test(NAME ${t}.stride CMDLINE "mm.fork=cow sched=stride testmode init=/tests/${t}"
    EXIT 0 EXPECT "(test [a-z0-9_]+|xv6_api): passed" TIMEOUT 180 SMP ${RVOS_SMP} KERNEL ${RVOS_KERNEL})
endforeach()
# An unknown scheduler stops the boot like an unknown fork policy.
rvos_guest_test(NAME boot.unknown_scheduler CMDLINE "sched=bogus init=/tests/hello" EXIT 2
  EXPECT "sched=bogus: unknown scheduler; valid schedulers: rr stride")

# ---- labs/locks: the frame allocator's per-hart caches.
rvos_user_test(alloc_stress LABEL alloc_stress.stress ARGS stress TIMEOUT 300)
rvos_user_test(alloc_stress LABEL alloc_stress.reach ARGS reach POLICIES cow TIMEOUT 300)
rvos_user_test(alloc_stress LABEL alloc_stress.batching ARGS batching POLICIES cow SMP 1)

# ---- labs/fs: symbolic links, one entry per group (see symlinks.c).
foreach(group basic nofollow dirs loops dangling unlink errors frames exec tools)
  rvos_user_test(symlinks LABEL symlinks.${group} ARGS ${group} POLICIES cow)
endforeach()
