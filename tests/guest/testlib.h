/* Helpers for in-guest tests: checks that report and count failures, and
 * the end-of-test memory check every test runs. */
#ifndef RVOS_TESTLIB_H
#define RVOS_TESTLIB_H
#include "user.h"

extern int test_failures;
#define CHECK(cond, ...)                                                                                               \
    do {                                                                                                               \
        if (!(cond)) {                                                                                                 \
            printf("FAIL %s:%d: %s: ", __FILE__, __LINE__, #cond);                                                     \
            printf(__VA_ARGS__);                                                                                       \
            printf("\n");                                                                                              \
            test_failures++;                                                                                           \
        }                                                                                                              \
    } while (0)

/* Records the free-frame count; call first. */
void test_begin(const char *name);
/* Waits for stray children, runs the audit, compares free frames with the
 * baseline, prints the verdict and returns the exit status for main. */
int test_end(void);
unsigned long free_frames(void);
/* Free frames plus this process's own page-table pages: what a heap that
 * grew and shrank back leaves unchanged (it keeps the tables it grew
 * into until exit, as in the classic kernel). */
unsigned long free_frames_and_tables(void);
/* Whether want occurs anywhere in s. */
int str_contains(const char *s, const char *want);
/* Writes the stack below the caller's frame, as deep as the calls that
 * follow it go (wait_status and the system-call stubs need far less than
 * 2 KiB), so that their stores find private pages and allocate nothing. */
void stack_private(void);
/* Forks a child that stores value at addr just after arming mmfail(0, 0),
 * so that the one allocation that store needs (a COW copy, a table copy)
 * fails; the parent makes its own stack private first and only then lets
 * the child go (see fork_oom.c). Returns the child's wait status (-1: it
 * was killed), or -3 if pipe or fork failed. */
int store_without_memory(char *addr, char value);
/* What the fork policy in force promises (FORK_SHARES_ALL, FORK_COPIES_ALL
 * in rvos/memstat.h): tests expect by this, never by the policy's name. */
unsigned long fork_promises(void);
/* What the command line's mm.fork= promises (0: none named, or a policy
 * testlib does not know): what a test must hold the kernel to. */
unsigned long fork_promised(void);
/* Holds the kernel to what the command line's fork policy promises about
 * memory, with one cheap fork: a child of a parent with SHARE_CHECK_PAGES
 * written heap pages may use only a few frames (FORK_SHARES_ALL: nothing
 * is copied at fork) and, under FORK_SHARES_TABLES, sees a shared level-0
 * table. Nothing under a policy that promises neither (copy). Every graded
 * program of the COW labs calls it after test_begin, so that a fork that
 * copies (the handout's stub) fails them all, not only the few tests that
 * would notice. */
void check_fork_shares(void);
#define SHARE_CHECK_PAGES 64
/* Whether the allocation policy in force (memstat's alloc_policy) is
 * "lazy": sbrk reserves only, exec and the stack fault in on demand.
 * There is no promise mask for this axis: its two policies differ in
 * exactly what memstat reports. */
int alloc_lazy(void);
/* Moves the break up to a page boundary, so that "beyond the break"
 * starts a page of its own; returns the new break. */
char *align_break(void);
/* memstat's figures now (zeroed first, so a failed call reads as 0s). */
struct memstat memstat_now(void);
/* Writes a fresh file of len bytes, byte i being pat(i); 0 or -1. */
int make_pattern_file(const char *path, long len, char (*pat)(long));
/* Forks; the child runs fn(arg) and exits with its return value. Returns
 * the child's pid (or -1). */
int spawn(int (*fn)(long), long arg);
/* Waits for pid and returns its exit status (or -1000 if wait fails). */
int wait_status(int pid);
/* Runs argv (argv[0] a path) as the shell would, in dir (0: here), with
 * input (0: none) on its standard input and its standard output and error
 * into out (size bytes, NUL-terminated, cut to fit); returns its exit
 * status (see wait_status). */
int run_capture(char **argv, const char *dir, const char *input, char *out, int size);
#endif
