/* Program entry: the kernel starts us with a0 = argc, a1 = argv and sp at
 * the argument block. main's return value becomes the exit status. */
    .section .text.start
    .globl _start
_start:
    .option push
    .option norelax
    lla gp, __global_pointer$
    .option pop
    mv fp, zero
    call main
    call exit
1:  j 1b
