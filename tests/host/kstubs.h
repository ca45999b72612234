/* Host stand-ins for the kernel services mm/page.c uses: spin locks and
 * panic. The tests run on one thread, so a lock never has to wait; what
 * the stubs do instead is watch how the code under test uses its locks,
 * and turn a panic into something a test can catch. */
#ifndef RVOS_TESTS_HOST_KSTUBS_H
#define RVOS_TESTS_HOST_KSTUBS_H
#include <setjmp.h>

/* Lock bookkeeping since the last kstub_reset_locks(). */
struct kstub_lock_stats {
    long acquires;
    long releases;
    long held;      /* locks currently held */
    long recursive; /* acquires of a lock already held: a deadlock on real hardware */
    long unheld;    /* releases of a lock not held */
};
extern struct kstub_lock_stats kstub_locks;
void kstub_reset_locks(void);
/* What cpu_index() returns: lets a test play several harts. */
extern int kstub_hart;

/* When set, panic() records its message and longjmps here instead of
 * aborting the process. The test must re-arm it after each panic. */
extern jmp_buf *kstub_panic_jmp;
extern char kstub_panic_msg[512];
extern int kstub_panic_count;
#endif
