/* uthread_switch(save, load) (lab thread): saves the registers a called
 * function must preserve (RISC-V psABI: ra, sp, s0-s11 and, with the
 * hard-float ABI user programs are built for, fs0-fs11) into *save, loads
 * them from *load, and returns, on load's stack, to where load's thread
 * last called uthread_switch (or to the start routine uthread_create put
 * in its ra). struct uthread_context in uthread.c lays them out: ra at 0,
 * sp at 8, s0-s11 from 16, fs0-fs11 from 112, 8 bytes each. */
    .text
    .globl uthread_switch
uthread_switch:
    /* LAB thread BEGIN: store ra, sp, s0-s11, fs0-fs11 at a0; load them from a1; return */
    sd ra, 0(a0)
    sd sp, 8(a0)
    .irp n, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11
    sd s\n, (16 + \n * 8)(a0)
    fsd fs\n, (112 + \n * 8)(a0)
    .endr
    ld ra, 0(a1)
    ld sp, 8(a1)
    .irp n, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11
    ld s\n, (16 + \n * 8)(a1)
    fld fs\n, (112 + \n * 8)(a1)
    .endr
    ret
    /* LAB thread STUB
    ret
       LAB thread END */
