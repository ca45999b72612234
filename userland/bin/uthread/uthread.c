/* uthread: user-level threads inside one process (lab thread). The
 * kernel knows nothing of them: each has a stack of its own here, and
 * uthread_switch (uthread_switch.S) moves from one to the next when the
 * running thread yields. They never run at once, so no locks are needed.
 *
 *   uthread        three threads print "thread_x started", wait until
 *                  all three have, then print "thread_x 0".."thread_x 99",
 *                  yielding after each line, and "thread_x: exit after
 *                  100"; the scheduler ends with "thread_schedule: no
 *                  runnable threads" (the classic lab's output, line for
 *                  line)
 *   uthread regs   three threads keep values in every callee-saved
 *                  register across yields and timer interrupts
 *                  (uthread_regs.S) and count the ones they lose:
 *                  "uthread regs: 0 registers lost" */
#include "user.h"

#define NTHREAD 4 /* the main thread and three more */
#define STACK_SIZE 8192

/* What uthread_switch saves and loads (the offsets are in the .S file). */
struct uthread_context {
    uint64 ra, sp;
    uint64 s[12];  /* s0..s11 */
    uint64 fs[12]; /* fs0..fs11, as raw bits */
};

enum uthread_state { FREE, RUNNABLE, RUNNING };

struct uthread {
    struct uthread_context ctx;
    enum uthread_state state;
    void (*fn)(void);
    char stack[STACK_SIZE] __attribute__((aligned(16)));
};

static struct uthread threads[NTHREAD];
static struct uthread *current = &threads[0]; /* the main thread: RUNNING, never RUNNABLE */

void uthread_switch(struct uthread_context *save, struct uthread_context *load);
long uthread_regs_check(long seed);
void uthread_yield(void);

/* Runs the next RUNNABLE thread after the current one, round robin; when
 * there is none, the program is done. */
static void uthread_schedule(void)
{
    struct uthread *prev = current, *next = 0;
    for (int i = 1; i <= NTHREAD && !next; i++) {
        struct uthread *t = &threads[(prev - threads + i) % NTHREAD];
        if (t->state == RUNNABLE)
            next = t;
    }
    if (!next) {
        printf("thread_schedule: no runnable threads\n");
        exit(0);
    }
    next->state = RUNNING;
    if (next == prev)
        return;
    current = next;
    uthread_switch(&prev->ctx, &next->ctx);
}

/* Where a new thread starts: its function, then it is done for good. */
static void uthread_start(void)
{
    current->fn();
    current->state = FREE;
    uthread_schedule();
}

static void uthread_create(void (*fn)(void))
{
    struct uthread *t = 0;
    for (int i = 1; i < NTHREAD && !t; i++)
        if (threads[i].state == FREE)
            t = &threads[i];
    if (!t) {
        fprintf(2, "uthread: no free thread\n");
        exit(1);
    }
    memset(&t->ctx, 0, sizeof t->ctx);
    t->fn = fn;
    /* LAB thread BEGIN: make the first switch to t return into uthread_start, on top of t's own stack */
    t->ctx.ra = (uint64)uthread_start;
    t->ctx.sp = (uint64)(t->stack + STACK_SIZE);
    /* LAB thread STUB
    (void)uthread_start;
       LAB thread END */
    t->state = RUNNABLE;
}

void uthread_yield(void)
{
    current->state = RUNNABLE;
    uthread_schedule();
}

/* ---- the classic lab's three threads */
static int started[3];

static void counter(const char *name, int me)
{
    printf("%s started\n", name);
    started[me] = 1;
    while (!started[0] || !started[1] || !started[2])
        uthread_yield();
    for (int i = 0; i < 100; i++) {
        printf("%s %d\n", name, i);
        uthread_yield();
    }
    printf("%s: exit after %d\n", name, 100);
}

static void thread_a(void) { counter("thread_a", 0); }
static void thread_b(void) { counter("thread_b", 1); }
static void thread_c(void) { counter("thread_c", 2); }

/* ---- the register contract */
static long lost;
static int finished;

static void regs_thread(void)
{
    long seed = current - threads; /* 1..3: different values in each thread */
    for (int i = 0; i < 20; i++)
        lost += uthread_regs_check(seed * 1000 + i);
    if (++finished == NTHREAD - 1)
        printf("uthread regs: %ld registers lost\n", lost);
}

int main(int argc, char **argv)
{
    current->state = RUNNING;
    if (argc > 1 && strcmp(argv[1], "regs") == 0) {
        for (int i = 1; i < NTHREAD; i++)
            uthread_create(regs_thread);
    } else {
        uthread_create(thread_a);
        uthread_create(thread_b);
        uthread_create(thread_c);
    }
    uthread_schedule();
    /* the main thread is never made RUNNABLE again: no switch comes back here */
    fprintf(2, "uthread: the scheduler returned to main\n");
    exit(1);
}
