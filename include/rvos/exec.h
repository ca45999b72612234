/* How a program asks exec for the size of its stack. Shared by the kernel
 * (kernel/exec.c reads it) and the user build (userland/user.ld writes it).
 *
 * An executable may carry an ELF note (System V gABI, "Note Section") in
 * a PT_NOTE segment: owner "rvos", type RVOS_NT_STACK, and a 4-byte
 * descriptor holding the number of stack pages. exec maps that many pages
 * of stack with an unmapped guard page right below them. Without the note
 * a program gets RVOS_STACK_PAGES_DEFAULT pages; a note asking for fewer
 * than 1 or more than RVOS_STACK_PAGES_MAX makes exec fail.
 *
 * rvos's own programs get the default. Programs built from RVOS_USER_DIRS
 * (course code written for the classic kernel) get the classic 1-page
 * stack, so that a read one page below the stack pointer faults as the
 * classic tests expect; their kernel/param.h says so in USERSTACK. */
#ifndef RVOS_ABI_EXEC_H
#define RVOS_ABI_EXEC_H

#define RVOS_NOTE_OWNER "rvos" /* the note's name, NUL included: 5 bytes */
#define RVOS_NT_STACK 1        /* note type: the descriptor is a 32-bit page count */
#define RVOS_STACK_PAGES_DEFAULT 16
#define RVOS_STACK_PAGES_MAX 256 /* 1 MiB */

#endif
