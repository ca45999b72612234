# In-guest tests: each tests/guest/NAME.c is a user program, /tests/NAME in
# the initramfs, run as the first process. POLICIES lists the fork
# policies it runs under (one ctest entry each). The kernel is booted with
# `testmode`, which lets any process use the test hooks (mmfail) and
# poweroff, not only init; NO_TESTMODE boots without it. DEBUG runs it on
# the debug kernel instead (entries NAME.POLICY.debug). DISK size attaches
# a scratch disk of that size (see rvos_guest_test). ALLOCS lists the
# allocation policies (mm.alloc=) it runs under: eager (the default) keeps
# the names NAME.POLICY, lazy adds NAME.POLICY.lazy. SAMPLE lists the
# entries (POLICY or POLICY.lazy) the default run keeps; the others run
# only in the full campaign, `ctest -C vmfull` (without SAMPLE: all of
# them run by default). APART lists the entries (POLICY or POLICY.lazy)
# booted with test.memory=apart: the test's leak and audit checks print a
# line of their own and do not decide its verdict (testlib.c), for a lab
# that grades memory on a line of its own (the cow lab: cow_memory).
function(rvos_user_test name)
  cmake_parse_arguments(T "NO_TESTMODE;DEBUG" "EXIT;TIMEOUT;SMP;LABEL;DISK" "POLICIES;ARGS;ALLOCS;SAMPLE;APART" ${ARGN})
  set(kernel ${RVOS_KERNEL})
  set(suffix "")
  if(T_DEBUG)
    set(kernel ${RVOS_DEBUG_KERNEL})
    set(suffix ".debug")
  endif()
  if(NOT T_POLICIES)
    set(T_POLICIES cow copy odf)
  endif()
  if(NOT T_ALLOCS)
    set(T_ALLOCS eager)
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
  foreach(alloc IN LISTS T_ALLOCS)
    set(asuffix "")
    set(aword "")
    if(NOT alloc STREQUAL "eager")
      set(asuffix ".${alloc}")
      set(aword " mm.alloc=${alloc}")
    endif()
    foreach(policy IN LISTS T_POLICIES)
      set(configs "")
      set(mword "")
      if("${policy}${asuffix}" IN_LIST T_APART)
        set(mword " test.memory=apart")
      endif()
      if(T_SAMPLE AND NOT "${policy}${asuffix}" IN_LIST T_SAMPLE)
        set(configs CONFIGURATIONS vmfull)
      endif()
      # Besides the exit status, the program's own verdict line must appear:
      # a machine that powers off early with status 0 must not pass.
      # testlib's verdict (with the run's token); xv6_api, a classic
      # program without testlib, prints its own.
      set(verdict "test [a-z0-9_]+: passed")
      if(name STREQUAL "xv6_api")
        set(verdict "xv6_api: passed")
      endif()
      rvos_guest_test(NAME ${T_LABEL}.${policy}${asuffix}${suffix}
        CMDLINE "mm.fork=${policy}${aword}${testmode}${mword} init=/tests/${name} -- ${args}"
        EXIT ${T_EXIT} EXPECT "${verdict}" TIMEOUT ${T_TIMEOUT} SMP ${T_SMP}
        KERNEL ${kernel} DISK "${T_DISK}" ${configs})
    endforeach()
  endforeach()
endfunction()

# Existing tests that also run under mm.alloc=lazy: every fork policy
# under eager (as before), cow under lazy; `ctest -C vmfull` runs the rest.
set(RVOS_EAGER_ALL_LAZY_COW cow copy odf cow.lazy)

rvos_user_test(hello)
rvos_user_test(cow_semantics ALLOCS eager lazy SAMPLE ${RVOS_EAGER_ALL_LAZY_COW} APART cow)
rvos_user_test(fork_big ALLOCS eager lazy SAMPLE ${RVOS_EAGER_ALL_LAZY_COW} APART cow)
rvos_user_test(cow_3_writers APART cow)
rvos_user_test(cow_copyout ALLOCS eager lazy SAMPLE ${RVOS_EAGER_ALL_LAZY_COW} APART cow)
rvos_user_test(cow_reuse APART cow)
rvos_user_test(cow_oom POLICIES cow odf APART cow)
# copyout onto read-only pages (text, rodata, USYSCALL) fails, changing nothing.
rvos_user_test(cow_readonly POLICIES cow odf APART cow)
# The cow lab's memory line: the graded COW tests run again as children,
# frames and audit checked after each (their entries above are APART).
rvos_user_test(cow_memory POLICIES cow TIMEOUT 180)
rvos_user_test(odf_tables)
rvos_user_test(text_write APART cow)
rvos_user_test(fork_storm TIMEOUT 300)
rvos_user_test(proc_basics)
rvos_user_test(sbrk_limits ALLOCS eager lazy SAMPLE ${RVOS_EAGER_ALL_LAZY_COW})
rvos_user_test(exec_args ALLOCS eager lazy SAMPLE ${RVOS_EAGER_ALL_LAZY_COW})
rvos_user_test(bad_pointers ALLOCS eager lazy SAMPLE ${RVOS_EAGER_ALL_LAZY_COW})
rvos_user_test(fork_oom ALLOCS eager lazy SAMPLE ${RVOS_EAGER_ALL_LAZY_COW} APART cow)
rvos_user_test(fp_state POLICIES cow odf)
# Lazy floating-point state (kernel/fpu.c) across preemption, alarms,
# sleeps, fork and exec; the debug kernel adds its yields in exec.
rvos_user_test(fp_lazy POLICIES cow copy)
rvos_user_test(fp_lazy DEBUG POLICIES odf)
rvos_user_test(syscall_regs POLICIES cow)
rvos_guest_test(NAME console_input CMDLINE "init=/tests/console_input" EXPECT "test console_input: passed"
  INPUT ${CMAKE_CURRENT_SOURCE_DIR}/guest/console_input.txt)
# The interactive shell, typed at step by step (a .session input waits
# for the guest's output before each key; see cmake/run-guest.sh).
rvos_guest_test(NAME console_jobs CMDLINE "init=/tests/console_jobs" EXPECT "test console_jobs: passed"
  INPUT ${CMAKE_CURRENT_SOURCE_DIR}/guest/console_jobs.session TIMEOUT 120)
# ^P and ^C work with the input buffer full (a raw-mode program that does
# not read, 700 bytes typed).
rvos_guest_test(NAME console_full CMDLINE "testmode init=/tests/console_full" EXPECT "test console_full: passed"
  INPUT ${CMAKE_CURRENT_SOURCE_DIR}/guest/console_full.session TIMEOUT 60)
# Only the foreground job may take the console into raw mode or change
# the foreground; the holder (the shell) takes it back.
rvos_user_test(console_fg POLICIES cow)
# The file-system suite, one entry per group (see fs_smoke.c).
foreach(group files dirs names links unlink_open devices many_files big_file out_of_memory
              concurrent fork_offset exec_relative bad_arguments)
  rvos_user_test(fs_smoke LABEL fs.${group} ARGS ${group})
endforeach()
rvos_user_test(shell)
rvos_user_test(ps_list)
rvos_user_test(pipes ALLOCS eager lazy SAMPLE ${RVOS_EAGER_ALL_LAZY_COW})
rvos_user_test(xv6_api)
rvos_user_test(hostile TIMEOUT 180)
rvos_user_test(tlb_fork APART cow)
rvos_user_test(reparent TIMEOUT 300)
rvos_user_test(orphan_block POLICIES cow odf)
rvos_user_test(copyout_pad)
rvos_user_test(restricted NO_TESTMODE POLICIES cow odf)
rvos_user_test(restricted LABEL restricted_testmode POLICIES cow odf)

# Fork of a 48 MiB process under copy, on one hart with -icount shift=0
# (virtual time is instructions): uptime keeps time across the forks; on
# the debug kernel, the longest interrupts-off stretch inside a copying
# fork is under 1,000,000 instructions (a tenth of a timer period; it was
# about 50 million there, the whole copy), printed at power-off, after
# init exited with the test's status (0: passed).
rvos_guest_test(NAME irqoff.copy CMDLINE "mm.fork=copy testmode init=/tests/irqoff" SMP 1 TIMEOUT 180
  QEMU_ARGS -icount shift=0 EXPECT "test irqoff: passed")
rvos_guest_test(NAME irqoff.copy.debug CMDLINE "mm.fork=copy testmode init=/tests/irqoff" SMP 1 TIMEOUT 180
  KERNEL ${RVOS_DEBUG_KERNEL} QEMU_ARGS -icount shift=0
  EXPECT "irqoff: the longest .* in a copying fork, [1-9][0-9]{0,5} ns")
# A 64 MiB address space freed at exit and by a shrinking sbrk, on the
# debug kernel: the longest interrupts-off stretch while freeing user
# memory is under 1,000,000 instructions (it was about 30 million, the
# whole teardown).
foreach(how exit sbrk)
  rvos_guest_test(NAME irqoff.free_${how}.debug CMDLINE "testmode init=/tests/irqoff_free -- ${how}" SMP 1 TIMEOUT 180
    KERNEL ${RVOS_DEBUG_KERNEL} QEMU_ARGS -icount shift=0
    EXPECT "test irqoff_free: passed" "irqoff: the longest .* freeing user memory, [1-9][0-9]{0,5} ns")
endforeach()
# The debug kernel (yields in preemption windows, poisons freed frames)
# under the tests that create, switch and destroy address spaces most.
foreach(t fork_storm proc_basics exec_args sbrk_limits cow_semantics tlb_fork)
  set(apart "")
  if(t STREQUAL "cow_semantics")
    set(apart APART cow) # graded in the cow lab: memory on cow_memory's line
  endif()
  rvos_user_test(${t} DEBUG POLICIES cow copy odf TIMEOUT 300 ${apart})
endforeach()

# The classic course programs' expectations (docs/xv6-compat.md). The
# xv6_* programs are built the way course programs are (1-page stack).
rvos_user_test(xv6_headers)
rvos_user_test(stack_guard ALLOCS eager lazy SAMPLE ${RVOS_EAGER_ALL_LAZY_COW})
rvos_user_test(xv6_stack ALLOCS eager lazy SAMPLE ${RVOS_EAGER_ALL_LAZY_COW})
rvos_user_test(xv6_layout)
rvos_user_test(xv6_files)
# A student's recursive primes (59 stages, one frame each) with printf at
# the deepest: printf must need no more stack than the classic one.
rvos_user_test(xv6_primes POLICIES cow)
# printf from an alarm handler that interrupts printf deep in the stack
# (its static buffer): every line whole.
rvos_user_test(printf_alarm POLICIES cow)

# ---- demand paging and mmap (issue 16): each under every fork policy and
# both allocation policies (NAME.POLICY and NAME.POLICY.lazy), so that
# `ctest -R lazy` and `ctest -R mmap` find them. The tests expect by what
# memstat reports (alloc_policy, fork_promises).
# The default run keeps a sample (the demand-paging tests under lazy with
# every fork policy and under eager with cow; the mmap tests the other way
# round); `ctest -C vmfull` runs every pair.
foreach(t lazy_sbrk lazy_syscalls lazy_stack lazy_fork lazy_exec)
  rvos_user_test(${t} ALLOCS eager lazy TIMEOUT 180 SAMPLE cow cow.lazy copy.lazy odf.lazy)
endforeach()
foreach(t mmap_file mmap_anon)
  rvos_user_test(${t} ALLOCS eager lazy TIMEOUT 180 SAMPLE ${RVOS_EAGER_ALL_LAZY_COW})
endforeach()

# ---- swap and eviction (issue 20): a sparse swap disk made at configure
# time, attached to every boot with snapshot=on (each QEMU writes to a
# temporary overlay of its own, so parallel entries never meet) and
# serial=swap (how the kernel knows it). mm.frames=2048 caps user pages at
# 8 MiB so that 1.5x of them takes seconds, not minutes. Entries are
# swap.GROUP.FORK[.lazy][.EVICT]; the default run keeps a sample, `ctest -C
# vmfull` adds every fork x allocation x eviction policy combination.
set(RVOS_SWAP_IMAGE ${CMAKE_BINARY_DIR}/swap.img)
if(NOT EXISTS ${RVOS_SWAP_IMAGE})
  execute_process(COMMAND truncate -s 32M ${RVOS_SWAP_IMAGE})
endif()
set(RVOS_SWAP_QEMU_ARGS -drive file=${RVOS_SWAP_IMAGE},if=none,format=raw,id=swap,snapshot=on
    -device virtio-blk-device,drive=swap,serial=swap)
function(rvos_swap_test group fork alloc evict)
  set(name swap.${group}.${fork})
  if(alloc STREQUAL "lazy")
    string(APPEND name .lazy)
  endif()
  if(NOT evict STREQUAL "clock")
    string(APPEND name .${evict})
  endif()
  rvos_guest_test(NAME ${name} ${ARGN}
    CMDLINE "mm.fork=${fork} mm.alloc=${alloc} mm.evict=${evict} mm.frames=2048 testmode init=/tests/swap_pressure -- ${group}"
    EXPECT "test swap_pressure: passed" TIMEOUT 300 QEMU_ARGS ${RVOS_SWAP_QEMU_ARGS})
endfunction()
set(RVOS_SWAP_SAMPLE
  working_set.cow.eager.clock working_set.copy.lazy.clock working_set.odf.eager.clock
  working_set.cow.eager.fifo working_set.cow.lazy.aging
  cow_shared.odf.eager.clock cow_shared.cow.lazy.clock fork_storm.copy.eager.clock fork_storm.odf.lazy.fifo
  file_map.cow.eager.clock oom.cow.eager.clock oom.odf.lazy.aging)
foreach(group working_set cow_shared fork_storm file_map oom)
  foreach(fork cow copy odf)
    foreach(alloc eager lazy)
      foreach(evict clock fifo aging)
        if("${group}.${fork}.${alloc}.${evict}" IN_LIST RVOS_SWAP_SAMPLE)
          rvos_swap_test(${group} ${fork} ${alloc} ${evict})
        else()
          rvos_swap_test(${group} ${fork} ${alloc} ${evict} CONFIGURATIONS vmfull)
        endif()
      endforeach()
    endforeach()
  endforeach()
endforeach()
# One eager sbrk of more than RAM holds (48 MiB, no mm.frames): granted,
# the rest goes to swap (eager sbrk once refused what free frames alone
# could not hold).
rvos_guest_test(NAME swap.beyond_ram CMDLINE "testmode init=/tests/swap_pressure -- beyond_ram"
  EXPECT "test swap_pressure: passed" TIMEOUT 300 QEMU_ARGS -m 48M ${RVOS_SWAP_QEMU_ARGS})
# Forks and execs while two churners keep user pages at mm.frames: the
# new process's USYSCALL page waits for reclaim like any user page (a
# fork once failed when another process took the frame reclaim made).
foreach(fork cow odf)
  rvos_guest_test(NAME swap.at_cap.${fork}
    CMDLINE "mm.fork=${fork} mm.frames=256 testmode init=/tests/swap_pressure -- at_cap"
    EXPECT "test swap_pressure: passed" TIMEOUT 300 QEMU_ARGS ${RVOS_SWAP_QEMU_ARGS})
endforeach()
# The same against the guest's RAM instead of mm.frames: 48 MiB of RAM,
# a working set 1.5x the free frames, a 128 MiB swap disk (minutes each:
# the full campaign only).
set(RVOS_SWAP_IMAGE_LARGE ${CMAKE_BINARY_DIR}/swap-large.img)
if(NOT EXISTS ${RVOS_SWAP_IMAGE_LARGE})
  execute_process(COMMAND truncate -s 128M ${RVOS_SWAP_IMAGE_LARGE})
endif()
foreach(fork cow copy odf)
  rvos_guest_test(NAME swap.ram_working_set.${fork} CONFIGURATIONS vmfull
    CMDLINE "mm.fork=${fork} testmode init=/tests/swap_pressure -- working_set"
    EXPECT "test swap_pressure: passed" TIMEOUT 900
    QEMU_ARGS -m 48M -drive file=${RVOS_SWAP_IMAGE_LARGE},if=none,format=raw,id=swap,snapshot=on
              -device virtio-blk-device,drive=swap,serial=swap)
endforeach()
# A swap write fails (blkdebug): the owner of the lost page is killed,
# the kernel and everyone else carry on. blkdebug sits under QEMU's
# snapshot overlay, so this entry writes an image of its own instead.
set(RVOS_SWAP_IMAGE_WERR ${CMAKE_BINARY_DIR}/swap-werr.img)
if(NOT EXISTS ${RVOS_SWAP_IMAGE_WERR})
  execute_process(COMMAND truncate -s 32M ${RVOS_SWAP_IMAGE_WERR})
endif()
rvos_guest_test(NAME swap.write_error
  CMDLINE "mm.frames=2048 testmode init=/tests/swap_pressure -- write_error"
  EXPECT "swap: write of slot 300 failed" "test swap_pressure: passed" TIMEOUT 300
  QEMU_ARGS -drive file=blkdebug:${CMAKE_CURRENT_SOURCE_DIR}/guest/blkdebug/swapwrite.conf:${RVOS_SWAP_IMAGE_WERR},if=none,format=raw,id=swap
            -device virtio-blk-device,drive=swap,serial=swap)
# ---- the eviction lab (labs/evict): the aging policy must keep every
# byte (swap_pressure's groups under a cap of 256 frames, so that each
# entry takes seconds) and meet a fault-count target on a hot set beside
# a cold scan (evict_hotcold: one hart, so the count is exact). Entries
# are evict.GROUP.FORK[.lazy], all under mm.evict=aging.
function(rvos_evict_lab_test group fork alloc)
  set(name evict.${group}.${fork})
  if(alloc STREQUAL "lazy")
    string(APPEND name .lazy)
  endif()
  set(prog "swap_pressure -- ${group}")
  set(verdict "test swap_pressure: passed")
  set(frames 256)
  set(smp ${RVOS_SMP})
  if(group STREQUAL "hotcold")
    set(prog "evict_hotcold")
    set(verdict "test evict_hotcold: passed")
    set(frames 64)
    set(smp 1)
  endif()
  rvos_guest_test(NAME ${name} SMP ${smp}
    CMDLINE "mm.fork=${fork} mm.alloc=${alloc} mm.evict=aging mm.frames=${frames} testmode init=/tests/${prog}"
    EXPECT "${verdict}" TIMEOUT 120 QEMU_ARGS ${RVOS_SWAP_QEMU_ARGS})
endfunction()
rvos_evict_lab_test(hotcold cow lazy)
rvos_evict_lab_test(working_set cow lazy)
rvos_evict_lab_test(fork_storm copy lazy)
rvos_evict_lab_test(file_map cow lazy)
# /bench/evictbench (the benchmark of scripts/bench-evict.sh), small: it
# completes, and each pattern prints one well-formed line with the counts
# it must have (accesses, distinct pages). Figures are never checked.
rvos_guest_test(NAME evict.bench SMP 1
  CMDLINE "mm.alloc=lazy mm.evict=fifo mm.frames=80 init=/bench/evictbench -- -w 96 -b 16 -r 1"
  EXPECT "^BENCH evict loop fifo 80 96( [0-9]+){7} 96[[:space:]]*$" "^BENCH evict random fifo 80 96( [0-9]+){7} 96[[:space:]]*$"
         "^BENCH evict belady fifo 80 192( [0-9]+){7} 80[[:space:]]*$" "^evictbench: done"
  TIMEOUT 60 QEMU_ARGS ${RVOS_SWAP_QEMU_ARGS})
# Without a swap disk or mm.frames, eviction stays off; an unknown
# mm.evict refuses to boot, as mm.fork does.
rvos_guest_test(NAME boot.unknown_evict_policy CMDLINE "mm.evict=lru init=/tests/hello" EXIT 2
  EXPECT "mm.evict=lru: unknown eviction policy; valid policies: fifo clock aging")
rvos_guest_test(NAME boot.bad_frames_cap CMDLINE "mm.frames=12x init=/tests/hello" EXIT 2
  EXPECT "mm.frames=12x: not a number of frames")

# ---- the disk (drivers/virtio_blk.c, kernel/fs/bio.c): each entry boots with
# a scratch image of its own (cmake/run-guest-disk.sh), never build/disk.img.
foreach(group concurrent counters range)
  rvos_user_test(disk_rw LABEL disk.${group} ARGS ${group} POLICIES cow odf DISK 32M)
endforeach()
# Written in one boot, read in the next, on the same image.
rvos_guest_test(NAME disk.persist_reboot DISK 32M
  CMDLINE "testmode init=/tests/disk_rw -- persist_write|testmode init=/tests/disk_rw -- persist_check"
  EXPECT "test persist_(write|check): passed" TIMEOUT 60)
# QEMU may put the disk in any of its eight slots; another virtio device
# in a slot of its own is reported and skipped.
rvos_guest_test(NAME disk.other_slot DISK 32M DISK_BUS 5 QEMU_ARGS -device virtio-rng-device
  CMDLINE "testmode init=/tests/disk_rw -- counters"
  EXPECT "disk: virtio-mmio at [0-9a-f]+: device id 4 is not a block device; ignored"
         "disk: virtio-blk in the virtio-mmio slot at 10006000, irq 6," "test counters: passed")
# Without a disk the boot goes on and says so; raw reads fail.
rvos_guest_test(NAME disk.none DISK none CMDLINE "testmode init=/tests/disk_rw -- nodisk"
  EXPECT "^disk: no disk" "test nodisk: passed")
# A legacy (version 1) transport is refused with a message, not driven.
rvos_guest_test(NAME disk.legacy_refused DISK 32M QEMU_ARGS -global virtio-mmio.force-legacy=true
  CMDLINE "testmode init=/tests/disk_rw -- nodisk"
  EXPECT "legacy \\(version 1\\) block device refused" "^disk: no disk" "test nodisk: passed")
# Raw blocks are for init (or testmode) only.
rvos_user_test(disk_rw LABEL disk.restricted ARGS restricted POLICIES cow odf DISK 32M NO_TESTMODE)
# The boot log names the disk: slot address, interrupt, capacity.
rvos_guest_test(NAME disk.boot_log DISK 32M CMDLINE "selftest=uart"
  EXPECT "disk: virtio-blk in the virtio-mmio slot at 1000[1-8]000, irq [1-8], 65536 sectors \\(32768 KiB\\)")
# The labs (labs/<lab>/README.md; labs/<lab>/grade.txt gives each graded
# test its lab's label, see cmake/labs.cmake).
# (File names: 14 characters at most, DIRSIZ.)
rvos_user_test(syscall_trace)
rvos_user_test(syscall_info)
# The traced lines themselves, on the console: a forked child's traced call
# (the mask is inherited), and the trace utility running a program (the
# mask survives exec). Backreference: the pid printed is the caller's own.
rvos_guest_test(NAME syscall_trace_fork CMDLINE "mm.fork=cow testmode init=/tests/syscall_trace -- fork"
  EXPECT "^([2-9]|[1-9][0-9]+): syscall getpid -> \\1[^0-9]" TIMEOUT 120)
rvos_guest_test(NAME syscall_trace_util CMDLINE "mm.fork=cow testmode init=/bin/trace -- 2048 /tests/hello"
  EXPECT "^1: syscall getpid -> 1[^0-9]" TIMEOUT 120)
# The classic grader's cases, typed at the shell (tests/guest/lab_shell.c):
# its patterns, with the line format and the pids the classic kernel gives.
rvos_guest_test(NAME syscall_classic CMDLINE "mm.fork=cow testmode init=/tests/lab_shell"
  INPUT ${CMAKE_CURRENT_SOURCE_DIR}/guest/syscall_classic.session TIMEOUT 120
  EXPECT "^3: syscall fork -> 4([^0-9]|$)" "^5: syscall fork -> [0-9]+" "^6: syscall fork -> [0-9]+"
         "^[0-9]+: syscall fork -> -1" "^[0-9]+: syscall read -> 1023" "^[0-9]+: syscall read -> 0"
         "^[0-9]+: syscall trace -> 0" "^[0-9]+: syscall exec -> 3" "^[0-9]+: syscall open -> 3"
         "^[0-9]+: syscall close -> 0" "!^pid [0-9]+: syscall" "test lab_shell: passed")
rvos_user_test(traps_btrace)
rvos_user_test(traps_alarm TIMEOUT 180)
# The classic bttest: sleep prints its own kernel backtrace.
rvos_guest_test(NAME traps_sleep_bt CMDLINE "mm.fork=cow testmode init=/tests/traps_sleep" TIMEOUT 60
  EXPECT "^backtrace:" "#[0-9]+ 0x[0-9a-f]+ sys_pause\\+0x" "#[0-9]+ 0x[0-9a-f]+ syscall_dispatch\\+0x"
         "#[0-9]+ 0x[0-9a-f]+ user_trap\\+0x" "test traps_sleep: passed")
rvos_user_test(pgtbl_ugetpid)
rvos_user_test(pgtbl_vmprint)
rvos_user_test(pgtbl_pgpte)

# ---- labs/util: the warm-up programs, one entry per program (util_progs.c).
foreach(group sleep pingpong primes find xargs)
  rvos_user_test(util_progs LABEL util.${group} ARGS ${group} POLICIES cow)
endforeach()

# ---- labs/thread: user-level threads (userland/bin/uthread, thread_uthread.c).
foreach(group sequence regs)
  rvos_user_test(thread_uthread LABEL thread.${group} ARGS ${group} POLICIES cow copy)
endforeach()

# ---- labs/sched: settickets and the pluggable scheduler. Besides its own
# test, a few process tests run again under sched=stride (NAME.stride).
rvos_user_test(sched_tickets POLICIES cow odf)
foreach(t sched_tickets proc_basics pipes cow_semantics fork_big hostile exec_args)
  rvos_guest_test(NAME ${t}.stride CMDLINE "mm.fork=cow sched=stride testmode init=/tests/${t}"
    EXIT 0 EXPECT "test [a-z0-9_]+: passed" TIMEOUT 180 SMP ${RVOS_SMP} KERNEL ${RVOS_KERNEL})
endforeach()
# The kernel command line: the first process takes up to MAXARG - 1 (31)
# words after --; more, or a line longer than 1023 bytes, stops the boot
# with a message instead of dropping words silently (it used to keep 15).
rvos_guest_test(NAME boot.args_31 CMDLINE "init=/bin/echo -- a1 a2 a3 a4 a5 a6 a7 a8 a9 a10 a11 a12 a13 a14 a15 a16 a17 a18 a19 a20 a21 a22 a23 a24 a25 a26 a27 a28 a29 a30 a31"
  EXPECT "^a1 a2 a3 a4 a5 a6 a7 a8 a9 a10 a11 a12 a13 a14 a15 a16 a17 a18 a19 a20 a21 a22 a23 a24 a25 a26 a27 a28 a29 a30 a31")
rvos_guest_test(NAME boot.args_too_many EXIT 2 CMDLINE "init=/bin/echo -- a1 a2 a3 a4 a5 a6 a7 a8 a9 a10 a11 a12 a13 a14 a15 a16 a17 a18 a19 a20 a21 a22 a23 a24 a25 a26 a27 a28 a29 a30 a31 a32"
  EXPECT "command line: more arguments after -- than the first process can take .MAXARG - 1 = 31.; refusing to boot")
# The root file system: root=disk mounts the disk (an image made from the
# initramfs's tree, as build/fs.img is) as "/", over two boots; an unknown
# root= value, or root=disk without a file system, stops the boot.
rvos_guest_test(NAME root_disk DISK fs-tree:64M
  CMDLINE "root=disk testmode init=/tests/root_disk -- write|root=disk testmode init=/tests/root_disk -- check"
  EXPECT "rvfs: /: .* blocks free" "test (write|check): passed")
rvos_guest_test(NAME boot.unknown_root CMDLINE "root=bogus init=/tests/hello" EXIT 2
  EXPECT "root=bogus: unknown root file system; valid: ram disk")
rvos_guest_test(NAME boot.root_disk_no_fs CMDLINE "root=disk init=/tests/hello" EXIT 2
  EXPECT "root=disk: the disk holds no usable rvfs file system to mount as /; refusing to boot")
# An unknown scheduler stops the boot like an unknown fork policy.
rvos_guest_test(NAME boot.unknown_scheduler CMDLINE "sched=bogus init=/tests/hello" EXIT 2
  EXPECT "sched=bogus: unknown scheduler; valid schedulers: rr stride")

# ---- labs/locks: the frame allocator's per-hart caches.
# statistics(), the lock-contention text of the classic lock lab.
rvos_user_test(lock_stats POLICIES cow)
rvos_user_test(alloc_stress LABEL alloc_stress.stress ARGS stress TIMEOUT 300)
rvos_user_test(alloc_stress LABEL alloc_stress.reach ARGS reach POLICIES cow odf TIMEOUT 300)
rvos_user_test(alloc_stress LABEL alloc_stress.batching ARGS batching POLICIES cow odf SMP 1)
# The buffer cache's bucket locks (lab locks, part 2): hits on four harts
# take only bucket locks, shared out over the buckets (bcachetest's test0).
rvos_user_test(bcache_locks POLICIES cow DISK 32M)

# ---- labs/fs: symbolic links, one entry per group (see symlinks.c).
foreach(group basic nofollow dirs loops dangling unlink errors frames exec tools)
  rvos_user_test(symlinks LABEL symlinks.${group} ARGS ${group} POLICIES cow odf)
endforeach()

# ---- the disk file system (kernel/fs/rvfs/) at /disk, one entry per group
# (see dfs.c). "fs:SIZE": the scratch image is made by rvfs mkfs, and rvfs
# fsck must find it clean after the test (cmake/run-guest-disk.sh).
foreach(group mounted files dirs names links unlink_open big concurrent)
  rvos_user_test(dfs LABEL dfs.${group} ARGS ${group} POLICIES cow DISK fs:32M TIMEOUT 300)
endforeach()
# The RAM file system's groups of fs_smoke.c, run again under /disk.
foreach(group files dirs names links unlink_open)
  rvos_user_test(fs_smoke LABEL dfs.smoke.${group} ARGS ${group} /disk POLICIES cow DISK fs:32M TIMEOUT 300)
endforeach()
# Filling a small disk (4 MiB) to the last block.
rvos_user_test(dfs LABEL dfs.full ARGS full POLICIES cow DISK fs:4M TIMEOUT 300)
# The largest file (just over 64 MiB): appended to its limit on an image
# where it is there already, mostly holes (seconds); written whole, in
# 1 MiB writes, only in the soak configuration (ctest -C soak -L soak:
# minutes, as many transactions as 48 KiB slices).
rvos_guest_test(NAME dfs.max_file DISK fs-corrupt:max-file+fsck:80M CMDLINE "testmode init=/tests/dfs -- max_file_fast"
  EXPECT "test max_file_fast: passed" TIMEOUT 120)
rvos_guest_test(NAME soak.dfs.max_file DISK fs:80M CMDLINE "mm.fork=cow testmode init=/tests/dfs -- max_file"
  EXPECT "test max_file: passed" TIMEOUT 900 CONFIGURATIONS soak)
set_tests_properties(soak.dfs.max_file PROPERTIES LABELS soak)
# Written in one boot, checked after a power-off in the next.
rvos_guest_test(NAME dfs.persist_reboot DISK fs:32M
  CMDLINE "testmode init=/tests/dfs -- persist_write|testmode init=/tests/dfs -- persist_check"
  EXPECT "test persist_(write|check): passed")
# No file system on the disk: a clear message, no /disk, and the boot goes on.
rvos_guest_test(NAME dfs.no_filesystem DISK 32M CMDLINE "testmode init=/tests/hello"
  EXPECT "rvfs: the disk holds no rvfs file system" "hello")
# Corrupt images ("fs-corrupt:KIND:SIZE": rvfs corrupt, no fsck after): a
# clear message, never a panic, and the boot goes on (hello runs) or the
# file system carries on around the damage (dfs corrupt_*).
rvos_guest_test(NAME dfs.corrupt.magic DISK fs-corrupt:magic:4M CMDLINE "testmode init=/tests/hello"
  EXPECT "rvfs: the disk holds no rvfs file system" "hello")
rvos_guest_test(NAME dfs.corrupt.size DISK fs-corrupt:size:4M CMDLINE "testmode init=/tests/hello"
  EXPECT "rvfs: bad superblock .version 1, 8192 blocks on a disk of 4096.*/disk not mounted" "hello")
rvos_guest_test(NAME dfs.corrupt.layout DISK fs-corrupt:layout:4M CMDLINE "testmode init=/tests/hello"
  EXPECT "rvfs: bad superblock .*/disk not mounted" "hello")
# The log: a damaged log superblock refuses the mount; a record that is
# damaged (or implausible) is reported and never replayed, and the mount
# goes on (the root it would have overwritten is intact, fsck clean); a
# complete record is replayed.
rvos_guest_test(NAME dfs.corrupt.log-super DISK fs-corrupt:log-super:4M CMDLINE "testmode init=/tests/hello"
  EXPECT "rvfs: the log superblock is damaged; /disk not mounted" "hello")
foreach(kind log-count log-home log-header log-block)
  rvos_guest_test(NAME dfs.corrupt.${kind} DISK fs-corrupt:${kind}+fsck:4M
    CMDLINE "testmode init=/tests/dfs -- mounted"
    EXPECT "rvfs: log record 0 .sequence 1. is incomplete or damaged: not replayed" "test mounted: passed")
endforeach()
rvos_guest_test(NAME dfs.corrupt.log-replay DISK fs-corrupt:log-replay+fsck:4M
  CMDLINE "testmode init=/tests/dfs -- replayed" EXPECT "log: 1 blocks recovered" "test replayed: passed")
# Link counts: mount frees only what the orphan table lists; a named file
# with nlink 0 is never freed; a root with nlink 0 keeps its tree and is
# mounted read-only.
rvos_guest_test(NAME dfs.corrupt.orphan DISK fs-corrupt:orphan+fsck:4M CMDLINE "testmode init=/tests/dfs -- mounted"
  EXPECT "1 orphan inodes freed" "test mounted: passed")
rvos_guest_test(NAME dfs.corrupt.named-nlink DISK fs-corrupt:named-nlink:4M
  CMDLINE "testmode init=/tests/dfs -- named_nlink" EXPECT "0 orphan inodes freed" "test named_nlink: passed")
rvos_guest_test(NAME dfs.corrupt.root-nlink DISK fs-corrupt:root-nlink:4M
  CMDLINE "testmode init=/tests/dfs -- root_nlink"
  EXPECT "rvfs: the root directory's link count is damaged .run rvfs fsck.; /disk is read-only" "test root_nlink: passed")
rvos_guest_test(NAME dfs.corrupt.file DISK fs-corrupt:file:4M CMDLINE "testmode init=/tests/dfs -- corrupt_file"
  EXPECT "rvfs: inode 2 points at block [0-9]+, outside the data area" "test corrupt_file: passed")
rvos_guest_test(NAME dfs.corrupt.flood DISK fs-corrupt:file:4M CMDLINE "testmode init=/tests/dfs -- corrupt_flood"
  EXPECT "^.[0-9]+ more like the next message were not printed." "test corrupt_flood: passed")
rvos_guest_test(NAME dfs.corrupt.dir DISK fs-corrupt:dir:4M CMDLINE "testmode init=/tests/dfs -- corrupt_dir"
  EXPECT "entry up names inode 1, making a directory loop" "entry self names inode 2, making a directory loop"
         "entry ghost names inode [0-9]+, out of range" "test corrupt_dir: passed")
# Injected disk errors (QEMU blkdebug, tests/guest/blkdebug/*.conf), each
# over two boots on one image, fsck clean after: a home write that fails
# after the commit (acknowledged, read-only, replayed at the next mount), a
# log write that fails (the call fails, read-only, nothing half-done after
# the cut), a flush that fails (the call fails, read-only), the second
# slice of a big write failing (write returns the first slice, fsync -1).
foreach(err home log flush fsync)
  set(conf ${err})
  if(err STREQUAL "log")
    set(conf logwrite)
  endif()
  rvos_guest_test(NAME dfs.error.${err} DISK fs-err:${conf}:4M
    CMDLINE "testmode init=/tests/dfs -- err_${err}|testmode init=/tests/dfs -- err_${err}_check"
    EXPECT "/disk is read-only from now on|test err_${err}_check: passed" "test err_${err}(_check)?: passed")
endforeach()
# A read-only device (virtio F_RO) is mounted read-only.
rvos_guest_test(NAME dfs.readonly_device DISK fs-ro:4M CMDLINE "testmode init=/tests/dfs -- readonly"
  EXPECT "rvfs: the disk is read-only; /disk mounted read-only" "test readonly: passed")
# A fragmented 384 MiB disk and three concurrent writers: the log never
# overflows (it used to panic), every byte and block comes back.
rvos_user_test(dfs LABEL dfs.fragmented ARGS frag POLICIES cow DISK fs-frag:384M TIMEOUT 300)
# Crash safety: the power cut at every block write of a workload in turn,
# fsck and an in-guest check after each (scripts/crashtest.sh).
rvos_qemu_command(crash_cmd 4)
add_test(NAME dfs.crash_every_write
  COMMAND ${CMAKE_SOURCE_DIR}/scripts/crashtest.sh ${CMAKE_BINARY_DIR}/host/rvfs
          ${CMAKE_BINARY_DIR}/Testing/guest/crash ${crash_cmd})
set_tests_properties(dfs.crash_every_write PROPERTIES LABELS "guest;crash" TIMEOUT 1800)
# The random power-cut campaign (scripts/powercut.py): a 4-process
# workload of creates, writes of several sizes, links, unlinks (some while
# open) and mkdirs, cut by SIGKILL to QEMU at a random moment; fsck clean
# and every acknowledged call intact after. A sample of 3 runs by default;
# the whole campaign (200 runs) only in the ctest configuration
# "powercut": ctest --test-dir build -C powercut -L powercut.
add_test(NAME dfs.powercut
  COMMAND python3 ${CMAKE_SOURCE_DIR}/scripts/powercut.py ${CMAKE_BINARY_DIR}/host/rvfs
          ${CMAKE_BINARY_DIR}/Testing/guest/powercut 3 1 ${crash_cmd})
set_tests_properties(dfs.powercut PROPERTIES LABELS "guest;crash" TIMEOUT 600)
# The same while the workload swaps (mm.frames=96, a swap disk): a power
# cut in the middle of swap writes leaves the file system consistent
# (swap content is volatile by design). Three runs by default, 50 in the
# campaign.
add_test(NAME swap.powercut
  COMMAND python3 ${CMAKE_SOURCE_DIR}/scripts/powercut.py ${CMAKE_BINARY_DIR}/host/rvfs
          ${CMAKE_BINARY_DIR}/Testing/guest/swap-powercut 3 7 ${crash_cmd} ${RVOS_SWAP_QEMU_ARGS})
set_tests_properties(swap.powercut PROPERTIES LABELS "guest;crash" TIMEOUT 600
  ENVIRONMENT RVOS_POWERCUT_CMDLINE=mm.frames=96)
add_test(NAME swap.powercut.campaign CONFIGURATIONS powercut
  COMMAND python3 ${CMAKE_SOURCE_DIR}/scripts/powercut.py ${CMAKE_BINARY_DIR}/host/rvfs
          ${CMAKE_BINARY_DIR}/Testing/guest/swap-powercut-campaign 50 2000 ${crash_cmd} ${RVOS_SWAP_QEMU_ARGS})
set_tests_properties(swap.powercut.campaign PROPERTIES LABELS powercut TIMEOUT 7200
  ENVIRONMENT RVOS_POWERCUT_CMDLINE=mm.frames=96)
add_test(NAME dfs.powercut.campaign CONFIGURATIONS powercut
  COMMAND python3 ${CMAKE_SOURCE_DIR}/scripts/powercut.py ${CMAKE_BINARY_DIR}/host/rvfs
          ${CMAKE_BINARY_DIR}/Testing/guest/powercut-campaign 200 1000 ${crash_cmd})
set_tests_properties(dfs.powercut.campaign PROPERTIES LABELS powercut TIMEOUT 7200)
# The poweroff command in the plain interactive boot: the shell's child
# asks init (through its control pipe), init powers off with status 0.
rvos_guest_test(NAME boot.poweroff CMDLINE "mm.fork=cow" EXPECT "init: powering off"
  INPUT ${CMAKE_CURRENT_SOURCE_DIR}/guest/poweroff.session TIMEOUT 60)
# ^P reports every hart (the harness types it on a hang, cmake/run-guest.sh).
rvos_guest_test(NAME console.hart_dump CMDLINE "mm.fork=cow" SMP 2
  EXPECT "asking every hart where it is" "hart [0-9]+: user mode, pid [0-9]+ .spin., pc [0-9a-f]+"
         "hart [0-9]+: in the kernel.*backtrace:" "init: powering off"
  INPUT ${CMAKE_CURRENT_SOURCE_DIR}/guest/hart_dump.session TIMEOUT 60)

# ---- superpages (mm/superpage.h): 2 MiB leaves for an aligned heap,
# split by a shrinking sbrk, a COW store and copyout; forked whole by
# every policy. superpage.POLICY expects them; .off (mm.superpages=off)
# and .lazy (the lazy policy fills page by page) expect none and check the
# same bytes; .evict pushes superpages out under mm.frames with a swap
# disk; .debug runs on the debug kernel (poisoned frees).
foreach(policy cow copy odf)
  rvos_guest_test(NAME superpage.${policy} CMDLINE "mm.fork=${policy} testmode init=/tests/superpage -- super"
    EXPECT "test superpage: passed" TIMEOUT 180)
  rvos_guest_test(NAME superpage.evict.${policy}
    CMDLINE "mm.fork=${policy} mm.frames=2048 testmode init=/tests/superpage -- super evict"
    EXPECT "test superpage: passed" TIMEOUT 300 QEMU_ARGS ${RVOS_SWAP_QEMU_ARGS})
endforeach()
rvos_guest_test(NAME superpage.cow.off CMDLINE "mm.superpages=off testmode init=/tests/superpage -- none"
  EXPECT "test superpage: passed" TIMEOUT 180)
rvos_guest_test(NAME superpage.cow.lazy CMDLINE "mm.alloc=lazy testmode init=/tests/superpage -- none"
  EXPECT "test superpage: passed" TIMEOUT 180)
rvos_guest_test(NAME superpage.odf.debug CMDLINE "mm.fork=odf testmode init=/tests/superpage -- super"
  EXPECT "test superpage: passed" TIMEOUT 300 KERNEL ${RVOS_DEBUG_KERNEL})
rvos_guest_test(NAME boot.bad_superpages CMDLINE "mm.superpages=maybe init=/tests/hello" EXIT 2
  EXPECT "mm.superpages=maybe: neither on nor off")
# The superpage benchmark (ninja bench) runs, on a small heap: 8 MiB make
# 4 superpages, and the child's stores split one per 2 MiB in each fork.
rvos_guest_test(NAME superpage.bench SMP 1 CMDLINE "init=/bench/superbench -- -m 8"
  EXPECT "^BENCH super sbrk cow 1 2048 [0-9]+ 4[[:space:]]*$" "^BENCH super write cow 1 4 [0-9]+ 16[[:space:]]*$"
         "^superbench: done" TIMEOUT 60)
