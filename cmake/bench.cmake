# `ninja bench`: the in-guest benchmarks (userland/bench/), run by
# scripts/bench.sh under each fork policy (cow, copy, odf), first with -icount shift=0
# (figures in guest instructions), then without (wall-clock figures).
# Results go to ${CMAKE_BINARY_DIR}/bench/: results.csv, summary.md,
# fork_cost.png and the serial logs. See docs/benchmarks.md.
#
# The benchmark machines have one hart (so that nothing else runs between
# two clock readings) and more RAM than `ninja run` (so that the copy
# policy can still fork a 64 MiB parent).
set(RVOS_BENCH_MEM 512M CACHE STRING "Guest RAM for `ninja bench`")
set(RVOS_BENCH_FORK_ARGS "-n 4000" CACHE STRING "Arguments of /bench/forkbench for `ninja bench`")
set(RVOS_BENCH_FAULT_ARGS "-p 1024 -r 16" CACHE STRING "Arguments of /bench/faultbench for `ninja bench`")
set(RVOS_BENCH_VM_ARGS "-p 1024" CACHE STRING "Arguments of /bench/vmbench for `ninja bench`")
set(RVOS_BENCH_MICRO_ARGS "-n 10000" CACHE STRING "Arguments of /bench/microbench for `ninja bench`")
set(RVOS_BENCH_SUPER_ARGS "-m 64" CACHE STRING "Arguments of /bench/superbench for `ninja bench`")
# Page replacement (scripts/bench-evict.sh): evictbench at mm.frames=
# RVOS_BENCH_EVICT_FRAMES under each eviction policy, then one boot per
# size of RVOS_BENCH_EVICT_SIZES x policy for the fault-rate plots (each
# boot takes a few seconds: fewer sizes, shorter `ninja bench`). The
# Belady blocks are 64 pages: the sizes are whole blocks plus 16 frames
# of slack for the program's own pages, the working set 1.5x 208 frames.
set(RVOS_BENCH_EVICT_FRAMES 208 CACHE STRING "mm.frames of the evictbench table in `ninja bench`")
set(RVOS_BENCH_EVICT_SIZES "80 144 208 272 336" CACHE STRING "mm.frames values of the evictbench sweep (empty: no sweep)")
set(RVOS_BENCH_EVICT_ARGS "-w 312 -b 64 -r 4" CACHE STRING "Arguments of /bench/evictbench for `ninja bench`")

function(rvos_bench_target)
  set(RVOS_MEM ${RVOS_BENCH_MEM}) # this function's scope only
  rvos_qemu_command(cmd 1)
  add_custom_target(bench
    COMMAND ${CMAKE_SOURCE_DIR}/scripts/bench.sh ${CMAKE_BINARY_DIR}/bench
            "${RVOS_BENCH_FORK_ARGS}" "${RVOS_BENCH_FAULT_ARGS}" "${RVOS_BENCH_MICRO_ARGS}" ${cmd}
    COMMAND ${CMAKE_SOURCE_DIR}/scripts/bench-vm.sh ${CMAKE_BINARY_DIR}/bench "${RVOS_BENCH_VM_ARGS}" ${cmd}
    COMMAND ${CMAKE_SOURCE_DIR}/scripts/bench-super.sh ${CMAKE_BINARY_DIR}/bench "${RVOS_BENCH_SUPER_ARGS}" ${cmd}
    COMMAND ${CMAKE_SOURCE_DIR}/scripts/bench-evict.sh ${CMAKE_BINARY_DIR}/bench ${RVOS_BENCH_EVICT_FRAMES}
            "${RVOS_BENCH_EVICT_SIZES}" "${RVOS_BENCH_EVICT_ARGS}" ${cmd}
    DEPENDS rvos initramfs
    USES_TERMINAL
    COMMENT "Running the benchmarks (results in ${CMAKE_BINARY_DIR}/bench)")
endfunction()
rvos_bench_target()

# `ninja diskbench`: /bench/diskbench (sequential disk throughput through
# the buffer cache) on a scratch image, under -icount shift=0 and on the
# wall clock; results in ${CMAKE_BINARY_DIR}/bench/disk-summary.md.
set(RVOS_BENCH_DISK_MIB 16 CACHE STRING "MiB /bench/diskbench writes and reads")
function(rvos_diskbench_target)
  rvos_qemu_command(cmd 1)
  add_custom_target(diskbench
    COMMAND ${CMAKE_SOURCE_DIR}/scripts/diskbench.sh ${CMAKE_BINARY_DIR}/bench ${RVOS_BENCH_DISK_MIB} ${cmd}
    DEPENDS rvos initramfs
    USES_TERMINAL
    COMMENT "Running the disk benchmark (results in ${CMAKE_BINARY_DIR}/bench/disk-summary.md)")
endfunction()
rvos_diskbench_target()

# `ninja fsbench`: /bench/fsbench (the disk file system: a 16 MiB file
# written and read, 1,000 small files made and removed) on a fresh rvfs
# image; results in ${CMAKE_BINARY_DIR}/bench/fs-summary.md.
function(rvos_fsbench_target)
  rvos_qemu_command(cmd 1)
  add_custom_target(fsbench
    COMMAND ${CMAKE_SOURCE_DIR}/scripts/fsbench.sh ${CMAKE_BINARY_DIR}/bench ${RVOS_BENCH_DISK_MIB}
            ${CMAKE_BINARY_DIR}/host/rvfs ${cmd}
    DEPENDS rvos initramfs host_tests
    USES_TERMINAL
    COMMENT "Running the file-system benchmark (results in ${CMAKE_BINARY_DIR}/bench/fs-summary.md)")
endfunction()
rvos_fsbench_target()
