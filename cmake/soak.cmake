# `ninja soak`: the reliability soak (scripts/soak.sh; docs/reliability.md).
# It runs the default ctest suite many times, then the fork-storm loop,
# then the boot loop, and prints "soak: N runs, M failures". Its sizes come
# from the environment at run time, e.g.
#
#   SOAK_ROUNDS=2 SOAK_STORMS=5 SOAK_BOOTS=50 SOAK_HOG=2 ninja -C build soak
#
# Failure logs go to ${CMAKE_BINARY_DIR}/soak/failures/.
#
# The loops are also ctest entries (tests/CMakeLists.txt) that exist only in
# the ctest configuration "soak": `ctest --test-dir build -C soak -L soak`
# runs them, a plain `ctest` never sees them.

set(RVOS_SOAK_DIR ${CMAKE_BINARY_DIR}/soak)

# The machine the loops boot, one argument a line, for running
# scripts/bootloop.sh by hand without repeating the QEMU command line.
rvos_qemu_command(rvos_soak_qemu ${RVOS_SMP})
list(JOIN rvos_soak_qemu "\n" rvos_soak_qemu_lines)
file(CONFIGURE OUTPUT ${RVOS_SOAK_DIR}/qemu-command.txt CONTENT "${rvos_soak_qemu_lines}\n" @ONLY)

add_custom_target(soak
  COMMAND ${CMAKE_COMMAND} -E env CTEST=${CMAKE_CTEST_COMMAND}
          ${CMAKE_SOURCE_DIR}/scripts/soak.sh -B ${CMAKE_BINARY_DIR} -o ${RVOS_SOAK_DIR} -- ${rvos_soak_qemu}
  DEPENDS rvos initramfs host_tests
  USES_TERMINAL
  COMMENT "Soaking: the ctest suite, the fork-storm loop and the boot loop (see docs/reliability.md)")
