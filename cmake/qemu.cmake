# QEMU targets: `ninja run`, `ninja debug`, and the helper that registers
# an in-guest test with ctest.
find_program(QEMU qemu-system-riscv64 REQUIRED)
find_program(GDB NAMES gdb-multiarch riscv64-linux-gnu-gdb gdb)
set(OPENSBI_FW /usr/lib/riscv64-linux-gnu/opensbi/generic/fw_dynamic.bin CACHE FILEPATH
    "OpenSBI firmware (Debian's opensbi package, generic platform)")
set(RVOS_SMP 4 CACHE STRING "Harts QEMU emulates (ninja run and the tests, unless a test sets SMP)")
set(RVOS_MEM 128M CACHE STRING "Guest RAM (QEMU's -m)")
set(RVOS_DEBUG_SMP 1 CACHE STRING "Harts for ninja debug: one, so that gdb steps one hart, not four")
set(RVOS_CMDLINE "init=/bin/init" CACHE STRING "Kernel command line for `ninja run`")
# The port of QEMU's gdb stub for `ninja debug` and `ninja gdb`. On a lab
# server many students debug at once, so each user gets a port of their
# own, derived from the user id (25000 + uid % 5000); set RVOS_GDB_PORT to
# choose another.
set(rvos_default_gdb_port 1234)
if(CMAKE_HOST_UNIX)
  execute_process(COMMAND id -u OUTPUT_VARIABLE rvos_uid OUTPUT_STRIP_TRAILING_WHITESPACE RESULT_VARIABLE rvos_id_status)
  if(rvos_id_status EQUAL 0 AND rvos_uid MATCHES "^[0-9]+$")
    math(EXPR rvos_default_gdb_port "25000 + ${rvos_uid} % 5000")
  endif()
endif()
set(RVOS_GDB_PORT ${rvos_default_gdb_port} CACHE STRING "TCP port of QEMU's gdb stub (default: 25000 + uid % 5000)")

# The disk `ninja run` and `ninja debug` attach: created (zeros) on first
# use, kept between boots and by `ninja clean`. Tests never use it: each
# gets a scratch image of its own (cmake/run-guest-disk.sh).
set(RVOS_DISK ${CMAKE_BINARY_DIR}/disk.img CACHE FILEPATH "Disk image for `ninja run` (created by rvfs mkfs if missing)")
set(RVOS_DISK_SIZE 32M CACHE STRING "Size of the disk image `ninja run` creates when RVOS_DISK is missing")
set(RVOS_SWAP_SIZE 0 CACHE STRING "Size of a swap disk for `ninja run` (e.g. 64M; 0: none, the classic labs count free memory)")

# The root file system `ninja run` and `ninja debug` boot with. "disk" (the
# default, as in the classic kernel): build/fs.img, an rvfs image made by
# rvfs mkfs from the same tree the initramfs packs (made afresh whenever
# a program or data file changes, like the classic fs.img), mounted as
# "/" with root=disk; what you save anywhere persists until the next
# rebuild of the tree. "ram": the RAM root unpacked from the initramfs,
# with RVOS_DISK mounted at /disk (what you save there persists for good).
set(RVOS_ROOT disk CACHE STRING "Root file system for `ninja run`: disk (build/fs.img) or ram (initramfs, RVOS_DISK at /disk)")
set_property(CACHE RVOS_ROOT PROPERTY STRINGS disk ram)
if(NOT RVOS_ROOT MATCHES "^(disk|ram)$")
  message(FATAL_ERROR "RVOS_ROOT=${RVOS_ROOT}: must be disk or ram")
endif()
set(RVOS_FSIMG ${CMAKE_BINARY_DIR}/fs.img)
set(RVOS_FSIMG_SIZE 64M CACHE STRING "Size of build/fs.img, the disk root file system")

set(RVOS_KERNEL ${CMAKE_BINARY_DIR}/rvos.elf)
set(RVOS_INITRD ${CMAKE_BINARY_DIR}/initramfs.cpio)

set(RVOS_DEBUG_KERNEL ${CMAKE_BINARY_DIR}/rvos-debug.elf)

# The QEMU command line, without -append (each use adds its own) and
# without a disk; a third argument names another kernel than rvos.elf.
# QEMU's virtio-mmio transport is legacy (version 1) unless told
# otherwise, and drivers/virtio_blk.c drives only version 2.
function(rvos_qemu_command out smp)
  set(kernel ${RVOS_KERNEL})
  if(ARGC GREATER 2)
    set(kernel ${ARGV2})
  endif()
  set(${out} ${QEMU} -machine virt -smp ${smp} -m ${RVOS_MEM} -nographic -bios ${OPENSBI_FW}
      -kernel ${kernel} -initrd ${RVOS_INITRD} -global virtio-mmio.force-legacy=false PARENT_SCOPE)
endfunction()

function(rvos_qemu_targets)
  rvos_qemu_command(cmd ${RVOS_SMP})
  # Not an OUTPUT of a custom command: `ninja clean` would delete it.
  # A fresh image is an empty rvfs file system (tools/rvfs.c, built by the
  # host project), which the kernel mounts at /disk.
  add_custom_target(disk-image
    COMMAND sh -c "test -e \"$1\" || { \"$3\" mkfs \"$1\" \"$2\" && echo \"created $1 (an empty $2 rvfs file system, mounted at /disk)\"; }"
            disk-image ${RVOS_DISK} ${RVOS_DISK_SIZE} ${CMAKE_BINARY_DIR}/host/rvfs
    VERBATIM)
  add_dependencies(disk-image host_tests)
  # The disk root: the initramfs's tree (packing it also puts the classic
  # names in /), as an rvfs image. Remade when the tree is.
  add_custom_command(OUTPUT ${RVOS_FSIMG}
    COMMAND ${CMAKE_COMMAND} -E rm -f ${RVOS_FSIMG}.tmp
    COMMAND ${CMAKE_BINARY_DIR}/host/rvfs mkfs ${RVOS_FSIMG}.tmp ${RVOS_FSIMG_SIZE} ${CMAKE_BINARY_DIR}/initramfs-root
    COMMAND ${CMAKE_COMMAND} -E rename ${RVOS_FSIMG}.tmp ${RVOS_FSIMG}
    DEPENDS ${RVOS_INITRD} host_tests
    COMMENT "Making fs.img, the disk root file system (rvfs mkfs from the initramfs's tree)"
    VERBATIM)
  add_custom_target(fs-image DEPENDS ${RVOS_FSIMG})
  if(RVOS_ROOT STREQUAL "disk")
    list(APPEND drives -drive file=${RVOS_FSIMG},if=none,format=raw,id=disk0 -device virtio-blk-device,drive=disk0)
    set(run_cmdline "root=disk ${RVOS_CMDLINE}")
    set(run_image fs-image)
  else()
    list(APPEND drives -drive file=${RVOS_DISK},if=none,format=raw,id=disk0 -device virtio-blk-device,drive=disk0)
    set(run_cmdline "${RVOS_CMDLINE}")
    set(run_image disk-image)
  endif()
  # The swap disk: a sparse file, content meaningless after a boot, so
  # it is simply made anew at each configure (mm/swap.c).
  if(NOT RVOS_SWAP_SIZE STREQUAL "0")
    set(swap_img ${CMAKE_BINARY_DIR}/run-swap.img)
    execute_process(COMMAND truncate -s ${RVOS_SWAP_SIZE} ${swap_img})
    list(APPEND drives -drive file=${swap_img},if=none,format=raw,id=swap -device virtio-blk-device,drive=swap,serial=swap)
  endif()
  list(APPEND cmd ${drives})
  add_custom_target(run
    COMMAND ${cmd} -append "${run_cmdline}"
    DEPENDS rvos initramfs ${run_image} USES_TERMINAL
    COMMENT "Booting rvos (quit with Ctrl-A X)")
  configure_file(${CMAKE_CURRENT_SOURCE_DIR}/cmake/gdbinit.in ${CMAKE_BINARY_DIR}/gdbinit @ONLY)
  rvos_qemu_command(debug_cmd ${RVOS_DEBUG_SMP})
  list(APPEND debug_cmd ${drives})
  add_custom_target(debug
    COMMAND ${debug_cmd} -append "${run_cmdline}" -S -gdb tcp:localhost:${RVOS_GDB_PORT}
    DEPENDS rvos initramfs ${run_image} USES_TERMINAL
    COMMENT "QEMU halted (${RVOS_DEBUG_SMP} hart), gdb stub on port ${RVOS_GDB_PORT}: in another terminal run `ninja gdb`")
  add_custom_target(gdb
    COMMAND ${GDB} -x ${CMAKE_BINARY_DIR}/gdbinit
    USES_TERMINAL
    COMMENT "Connecting gdb to `ninja debug`")
endfunction()

# rvos_guest_test(NAME name CMDLINE "..." [EXIT n] [EXPECT regex] [TIMEOUT s] [SMP n] [INPUT file] [KERNEL elf]
#                 [DISK size [DISK_BUS n]] [QEMU_ARGS args...])
# Boots QEMU with the command line; the test passes if QEMU exits by itself
# with status EXIT (default 0) and, if given, the serial output matches
# EXPECT (see cmake/run-guest.sh). INPUT is typed into the serial console.
# KERNEL boots another kernel than rvos.elf (the debug kernel, say).
# DISK attaches a scratch disk image of that size (cmake/run-guest-disk.sh),
# in virtio-mmio slot DISK_BUS if given ("none": no disk); then CMDLINE may
# list several boots separated by '|', all on the same image (TIMEOUT is
# per boot), and EXPECT may be several regexes, all of which must match.
# QEMU_ARGS go on QEMU's command line as they are (more devices, say).
# The serial output is kept in Testing/guest/NAME.log in the build tree.
function(rvos_guest_test)
  cmake_parse_arguments(T "" "NAME;CMDLINE;EXIT;TIMEOUT;SMP;INPUT;KERNEL;DISK;DISK_BUS;CONFIGURATIONS" "EXPECT;QEMU_ARGS"
    ${ARGN})
  # CONFIGURATIONS soak: the test exists only in that ctest configuration
  # (ctest -C soak), never in a plain run.
  set(configs "")
  if(T_CONFIGURATIONS)
    set(configs CONFIGURATIONS ${T_CONFIGURATIONS})
  endif()
  if(NOT T_KERNEL)
    set(T_KERNEL ${RVOS_KERNEL})
  endif()
  if(NOT DEFINED T_EXIT)
    set(T_EXIT 0)
  endif()
  if(NOT DEFINED T_EXPECT)
    set(T_EXPECT "")
  endif()
  if(NOT T_TIMEOUT)
    set(T_TIMEOUT 60)
  endif()
  if(NOT T_SMP)
    set(T_SMP ${RVOS_SMP})
  endif()
  rvos_qemu_command(cmd ${T_SMP} ${T_KERNEL})
  # testlib's verdict lines ("test NAME: passed") count only with the run's
  # token (cmake/run-guest.sh): mark them @.
  set(expect "")
  foreach(r IN LISTS T_EXPECT)
    if(r MATCHES "^\\(?test ")
      set(r "@${r}")
    endif()
    list(APPEND expect "${r}")
  endforeach()
  set(T_EXPECT "${expect}")
  # The script's own limit (plus 2 s for a QEMU that ignores SIGTERM) ends
  # well before ctest's, which kills the script and drops whatever it has
  # not printed yet: a hang still gets its log shown.
  math(EXPR inner "${T_TIMEOUT} - 10")
  set(log ${CMAKE_BINARY_DIR}/Testing/guest/${T_NAME}.log)
  if(T_DISK)
    # One list element per boot: the '|' separators survive as they are.
    string(REPLACE "|" ";" boots "${T_CMDLINE}")
    list(LENGTH boots nboots)
    math(EXPR total "${T_TIMEOUT} * ${nboots}")
    add_test(NAME ${T_NAME} ${configs}
      COMMAND ${CMAKE_SOURCE_DIR}/cmake/run-guest-disk.sh ${T_DISK} "${T_DISK_BUS}" "${T_CMDLINE}" ${T_EXIT}
              "${T_EXPECT}" ${inner} ${log} ${cmd} ${T_QEMU_ARGS})
    set_tests_properties(${T_NAME} PROPERTIES TIMEOUT ${total} LABELS guest
      ENVIRONMENT "RVFS=${CMAKE_BINARY_DIR}/host/rvfs;RVFS_TREE=${CMAKE_BINARY_DIR}/initramfs-root")
    return()
  endif()
  add_test(NAME ${T_NAME} ${configs}
    COMMAND ${CMAKE_SOURCE_DIR}/cmake/run-guest.sh ${T_EXIT} "${T_EXPECT}" ${inner} "${T_INPUT}"
            ${log} ${cmd} ${T_QEMU_ARGS} -append "${T_CMDLINE}")
  set_tests_properties(${T_NAME} PROPERTIES TIMEOUT ${T_TIMEOUT} LABELS guest)
endfunction()
