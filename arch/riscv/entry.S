/* Boot entry. OpenSBI enters _start in S-mode with the MMU off, a0 = hart
 * id and a1 = physical address of the flattened device tree. Normally only
 * the boot hart comes here; the others wait in the SBI HSM "stopped" state
 * until kmain starts them at _start_secondary.
 *
 * _start must be safe to enter twice. OpenSBI 1.1 (Debian 12) marks a hart
 * START_PENDING in sbi_hsm_hart_start before it stores the start address,
 * so a hart kmain starts can wake, read the stale cold-boot address and
 * jump here while the kernel runs (fixed upstream in v1.3). Clearing .bss
 * then would wipe the running kernel's state. The first arrival claims
 * boot_entered, which lives in .data for that reason; a later one goes to
 * the secondary entry it was meant to take.
 *
 * We run at our physical load address until paging is on, so everything
 * before the jump to high memory must be PC-relative (lla, not la). */
#include "memlayout.h"

    .section .text.entry
    .globl _start
_start:
    csrw sie, zero
    lla t0, boot_entered
    li t1, 1
    amoswap.w t1, t1, (t0)
    bnez t1, _start_secondary
    li s1, 1                 /* high_entry: this is the boot hart */
    /* Clear .bss before any C code runs. */
    lla t0, _bss_start
    lla t1, _bss_end
1:  bgeu t0, t1, 2f
    sd zero, 0(t0)
    addi t0, t0, 8
    j 1b
2:
    /* Build the boot page table: two 1 GiB leaf entries mapping the
     * gigabyte we run in, once at its physical address (so the next
     * instruction after enabling paging still fetches) and once at
     * KERNBASE + physical (where the kernel is linked). */
    lla t0, boot_pagetable
    lla t1, _start
    srli t1, t1, 30          /* t1 = gigabyte number of our load address */
    slli t2, t1, 28          /* PPN field: (gb << 30) >> 12 << 10 */
    ori t2, t2, 0xCF         /* V R W X A D */
    slli t3, t1, 3
    add t3, t3, t0
    sd t2, 0(t3)             /* identity entry */
    li t4, KERNBASE_ROOT_INDEX
    add t4, t4, t1
    slli t4, t4, 3
    add t4, t4, t0
    sd t2, 0(t4)             /* high entry */
    /* And the first gigabyte (device MMIO on QEMU virt) at KERNBASE, read
     * and write only, so the UART works before the real kernel page table
     * exists. */
    li t2, 0xC7              /* V R W A D, physical address 0 */
    li t4, KERNBASE_ROOT_INDEX
    slli t4, t4, 3
    add t4, t4, t0
    sd t2, 0(t4)
    j enable_paging

    /* Secondary harts: a0 = hart id, a1 = opaque (unused). The boot page
     * table already exists. */
    .globl _start_secondary
_start_secondary:
    csrw sie, zero
    li s1, 0                 /* high_entry: a secondary hart */
    j enable_paging

enable_paging:
    lla t0, boot_pagetable
    srli t0, t0, 12
    li t1, SATP_SV39_ASM
    or t0, t0, t1
    csrw satp, t0
    sfence.vma
    ld t0, .Lhigh_entry      /* an absolute (linked, high) address */
    jr t0

    .align 3
.Lhigh_entry:
    .dword high_entry

    .text
high_entry:
    /* Now at KERNBASE + PA. sp = the top of this hart's slot in
     * boot_stacks: boot_stacks + (hartid + 1) * KSTACK_SLOT. tp = 0 tells
     * trap.S that no struct cpu is known yet. */
    mv tp, zero
    li t0, MAX_HARTS
    bgeu a0, t0, hart_park
    la sp, boot_stacks
    li t0, KSTACK_SLOT
    addi t1, a0, 1
    mul t0, t0, t1
    add sp, sp, t0
    mv fp, zero
    mv ra, zero
    csrw sscratch, zero
    la t0, trap_vector
    csrw stvec, t0
    /* s1 says which entry this hart came through: only the one that won
     * boot_entered and cleared .bss runs kmain. */
    beqz s1, 3f
    call kmain
    j hart_park
3:  call hart_secondary_main
hart_park:
    wfi
    j hart_park

    .section .bss
    .align 12
    .globl boot_pagetable
boot_pagetable:
    .space 4096
    /* One slot (guard page + stack) per possible hart id; each hart runs
     * its scheduler on it once booted. */
    .section .stacks, "aw", @nobits
    .align 12
    .globl boot_stacks
boot_stacks:
    .space KSTACK_SLOT * MAX_HARTS
    .section .data
    .align 2
boot_entered:
    .word 0
