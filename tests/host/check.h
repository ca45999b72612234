/* A minimal check harness shared by the host unit tests.
 *
 * A test program is a sequence of groups. Every CHECK counts as one check;
 * a failed check prints where and why but does not stop the group, so one
 * run shows every broken expectation at once. Each group ends with one
 * status line, and check_summary() prints the line ctest logs are grepped
 * for, "N passed, N failed", and gives the exit status.
 *
 * Header-only on purpose: nothing to link, and each test program gets its
 * own counters. */
#ifndef RVOS_TESTS_HOST_CHECK_H
#define RVOS_TESTS_HOST_CHECK_H
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

/* Not every test uses every helper. */
#define CHECK_API static __attribute__((unused))

static int check_passed, check_failed;
static const char *check_group_name;
static int check_group_passed, check_group_failed;

/* Running part of a group in a child process.
 *
 * Two reasons to fork: a case that may crash (a fuzzed blob read out of
 * bounds is reported by AddressSanitizer, which then exits) must not take
 * the rest of the run with it; and code with static state that has no
 * reset, such as the page-frame database, can be set up afresh in a child.
 * The child's check counts and a note of what it was doing travel back in
 * a shared anonymous mapping, which survives the child's death. */
struct check_shared {
    int passed, failed;
    char doing[256];
};
static struct check_shared *check_child;

/* Keeps a child's counts current in the shared page, so a child that
 * crashes still reports the checks it made before. */
CHECK_API void check_publish(void)
{
    if (check_child) {
        check_child->passed = check_group_passed;
        check_child->failed = check_group_failed;
    }
}

CHECK_API void group_begin(const char *name)
{
    check_group_name = name;
    check_group_passed = check_group_failed = 0;
}

CHECK_API void group_end(void)
{
    if (check_group_failed)
        printf("FAIL %s (%d of %d checks failed)\n", check_group_name, check_group_failed,
               check_group_passed + check_group_failed);
    else
        printf("ok   %s (%d checks)\n", check_group_name, check_group_passed);
    fflush(stdout);
}

/* Returns ok so that callers can skip checks that would only repeat the
 * failure (or dereference a null pointer) once an earlier one failed. */
CHECK_API int check_record(int ok, const char *file, int line, const char *what)
{
    if (ok) {
        check_passed++;
        check_group_passed++;
    } else {
        check_failed++;
        check_group_failed++;
        printf("  %s:%d: [%s] check failed: %s\n", file, line, check_group_name ? check_group_name : "-", what);
    }
    check_publish();
    return ok;
}

CHECK_API int check_eq_u64(uint64_t got, uint64_t want, const char *file, int line, const char *expr)
{
    if (got != want) {
        /* Both values in hex and decimal: addresses read better in one,
         * counts in the other. */
        char buf[512];
        snprintf(buf, sizeof buf, "%s == 0x%" PRIx64 " (%" PRIu64 "), expected 0x%" PRIx64 " (%" PRIu64 ")", expr, got,
                 got, want, want);
        return check_record(0, file, line, buf);
    }
    return check_record(1, file, line, expr);
}

CHECK_API int check_eq_i64(int64_t got, int64_t want, const char *file, int line, const char *expr)
{
    if (got != want) {
        char buf[512];
        snprintf(buf, sizeof buf, "%s == %" PRId64 ", expected %" PRId64, expr, got, want);
        return check_record(0, file, line, buf);
    }
    return check_record(1, file, line, expr);
}

#define CHECK(cond) check_record(!!(cond), __FILE__, __LINE__, #cond)
#define CHECK_EQ(got, want) check_eq_u64((uint64_t)(got), (uint64_t)(want), __FILE__, __LINE__, #got)
/* For signed values such as error codes, which read badly as 2^64 - 1. */
#define CHECK_EQ_INT(got, want) check_eq_i64((int64_t)(got), (int64_t)(want), __FILE__, __LINE__, #got)

/* Called by the child before each risky step, so that a crash report can
 * say which input caused it. */
CHECK_API void check_note(const char *fmt, ...)
{
    if (!check_child)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(check_child->doing, sizeof check_child->doing, fmt, ap);
    va_end(ap);
}

/* Runs fn(arg) in a child and adds its checks to the current group. A
 * child that does not exit with status 0 counts as one failed check. */
CHECK_API void check_in_child(const char *what, void (*fn)(void *), void *arg)
{
    struct check_shared *sh = mmap(0, sizeof *sh, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (sh == MAP_FAILED) {
        check_record(0, __FILE__, __LINE__, "mmap for a child's results");
        return;
    }
    sh->passed = sh->failed = 0;
    snprintf(sh->doing, sizeof sh->doing, "starting");
    fflush(stdout); /* or the child would print our buffered lines again */
    fflush(stderr);
    pid_t pid = fork();
    if (pid < 0) {
        check_record(0, __FILE__, __LINE__, "fork");
        munmap(sh, sizeof *sh);
        return;
    }
    if (pid == 0) {
        check_child = sh;
        check_passed = check_failed = check_group_passed = check_group_failed = 0;
        fn(arg);
        fflush(stdout);
        _exit(0);
    }
    int status = 0;
    while (waitpid(pid, &status, 0) < 0) {
        if (errno != EINTR) {
            status = -1; /* reported below */
            break;
        }
    }
    check_passed += sh->passed, check_group_passed += sh->passed;
    check_failed += sh->failed, check_group_failed += sh->failed;
    check_publish(); /* we may be a child ourselves */
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        char buf[512];
        if (status == -1) /* tested first: -1 also looks like a signal */
            snprintf(buf, sizeof buf, "%s: waitpid failed while %s", what, sh->doing);
        else if (WIFSIGNALED(status))
            snprintf(buf, sizeof buf, "%s: child killed by signal %d while %s", what, WTERMSIG(status), sh->doing);
        else
            snprintf(buf, sizeof buf, "%s: child exited with status %d while %s", what, WEXITSTATUS(status), sh->doing);
        check_record(0, __FILE__, __LINE__, buf);
    }
    munmap(sh, sizeof *sh);
}

/* A whole group in a child: one status line, and a crash in it costs
 * that group alone. */
CHECK_API void check_group(const char *name, void (*fn)(void *), void *arg)
{
    group_begin(name);
    check_in_child(name, fn, arg);
    group_end();
}

/* Prints the totals and returns the process exit status. */
CHECK_API int check_summary(void)
{
    printf("%d passed, %d failed\n", check_passed, check_failed);
    fflush(stdout);
    return check_failed ? 1 : 0;
}
#endif
