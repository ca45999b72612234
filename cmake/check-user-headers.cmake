# Checks the include path user programs get: compiles three small programs
# with exactly the compiler, flags, include directories and definitions of
# a user program (ulib's interface) and requires that
#   - the classic headers a course program includes compile,
#   - "kernel/syscall.h" is the user one (it has the SYS_ numbers), not the
#     kernel's internal header of the same name,
#   - "kernel/proc.h", a kernel internal, cannot be found at all.
# Usage: cmake -DCC=... "-DFLAGS=..." "-DINCLUDES=a;b" "-DDEFS=X=1;Y" -DWORK=dir
#              -P check-user-headers.cmake
separate_arguments(flags UNIX_COMMAND "${FLAGS}")
set(args ${flags})
foreach(dir IN LISTS INCLUDES)
  list(APPEND args -I${dir})
endforeach()
foreach(def IN LISTS DEFS)
  list(APPEND args -D${def})
endforeach()
file(MAKE_DIRECTORY ${WORK})

# compile(NAME SOURCE RESULT OUTPUT): compiles SOURCE as a user program
# (no link); RESULT is the compiler's exit status, OUTPUT what it said.
function(compile name source result output)
  file(WRITE ${WORK}/${name}.c "${source}")
  execute_process(COMMAND ${CC} ${args} -c ${WORK}/${name}.c -o ${WORK}/${name}.o
    RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE out)
  set(${result} ${rc} PARENT_SCOPE)
  set(${output} "${out}" PARENT_SCOPE)
endfunction()

compile(classic [=[
#include "kernel/param.h"
#include "kernel/types.h"
#include "kernel/stat.h"
#include "user/user.h"
#include "kernel/fs.h"
#include "kernel/fcntl.h"
#include "kernel/syscall.h"
#include "kernel/memlayout.h"
#include "kernel/riscv.h"
#include "kernel/sysinfo.h"
#include "kernel/spinlock.h"
#include "kernel/sleeplock.h"
#include "kernel/file.h"
_Static_assert(MAXFILE == 65803, "MAXFILE is the large-files lab's");
_Static_assert(PTE2PA(PA2PTE(0x80001000UL) | PTE_V | PTE_R) == 0x80001000UL, "PTE2PA");
_Static_assert(PTE_FLAGS(PA2PTE(0x80001000UL) | PTE_V | PTE_R) == 3, "PTE_FLAGS");
_Static_assert(SUPERPGROUNDUP(1) == SUPERPGSIZE, "SUPERPGROUNDUP");
int main(void) {
  struct sysinfo si = {0, 0};
  pte_t pte = PTE_U;
  return BSIZE == 1024 && NPROC > 0 && PHYSTOP > KERNBASE && DIRSIZ == 14 && si.nproc == 0 && pte ? 0 : 1;
}
]=] rc out)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "the classic headers do not compile as a user program:\n${out}")
endif()

compile(syscall [=[
#include "kernel/syscall.h"
#if !defined(SYS_fork) || SYS_fork != 1 || SYS_exec != 7
#error "kernel/syscall.h is not the user header with the classic SYS_ numbers"
#endif
int main(void) { return 0; }
]=] rc out)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "\"kernel/syscall.h\" is not the user header:\n${out}")
endif()

compile(internal [=[
#include "kernel/proc.h"
int main(void) { return 0; }
]=] rc out)
if(rc EQUAL 0)
  message(FATAL_ERROR "a user program could include the kernel-internal \"kernel/proc.h\"")
endif()
if(NOT out MATCHES "kernel/proc.h: No such file")
  message(FATAL_ERROR "including \"kernel/proc.h\" failed, but not because it was not found:\n${out}")
endif()
message(STATUS "user programs see the classic headers and no kernel internals")
