# Cross toolchain for rvos: Debian's riscv64-linux-gnu-gcc, used freestanding.
# We never link against the Linux libc that the compiler was built for; every
# target in this tree passes -nostdlib and brings its own runtime.
set(CMAKE_SYSTEM_NAME Generic)
set(CMAKE_SYSTEM_PROCESSOR riscv64)

set(RVOS_CROSS_PREFIX riscv64-linux-gnu- CACHE STRING "Prefix of the RISC-V cross tools")
set(CMAKE_C_COMPILER ${RVOS_CROSS_PREFIX}gcc)
set(CMAKE_ASM_COMPILER ${RVOS_CROSS_PREFIX}gcc)
set(CMAKE_OBJCOPY ${RVOS_CROSS_PREFIX}objcopy CACHE FILEPATH "")
set(CMAKE_NM ${RVOS_CROSS_PREFIX}nm CACHE FILEPATH "")

# try_compile cannot link a freestanding program, so test with a static library.
set(CMAKE_TRY_COMPILE_TARGET_TYPE STATIC_LIBRARY)

# rv64gc with the lp64d ABI for user programs; the kernel narrows this (see
# CMakeLists.txt) so that it never touches the floating-point registers.
set(CMAKE_C_FLAGS_INIT "-march=rv64gc -mabi=lp64d -mcmodel=medany -ffreestanding -fno-builtin -fno-common -fno-stack-protector -fno-pie -fno-omit-frame-pointer -Wall -Wextra -Werror")
set(CMAKE_ASM_FLAGS_INIT "-march=rv64gc -mabi=lp64d -mcmodel=medany")
set(CMAKE_EXE_LINKER_FLAGS_INIT "-nostdlib -static -no-pie -Wl,--build-id=none")

set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
