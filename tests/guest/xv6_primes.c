/* The util lab's primes written the way many students write it: one
 * process per prime, each stage a recursive call in the child it forks,
 * so that the last of the 59 primes below 280 runs 59 frames deep, and
 * prints from there. Built like course programs (tests/guest/xv6_*.c get
 * the classic 1-page stack), it fits only if printf needs about as little
 * stack as the classic one: this test measures printf's stack and runs
 * the pipeline.
 *
 * Each stage prints "prime P" with printf and sends P down a results pipe
 * to main, which checks it gets all 59 primes in order and that the first
 * stage (which waits for the second, and so on) exits with 0: a stage
 * whose printf ran off the stack is killed, and so is the chain below it. */
#include "testlib.h"
#include "rvos/usyscall.h"

#define LIMIT 280
#define NPRIMES 59 /* primes below 280 */
#define PAINT 1024
#define DEEP 2560          /* where printf's buffer is static (userland/lib/printf.c) */
#define CLASSIC_PRINTF 272 /* the classic printf's stack, rounded up to 16 */

static int results[2];

/* Paints PAINT bytes below the caller's stack pointer (this function's
 * frame address) but for its own frame; scan finds how far down a call
 * made from the same caller wrote since. */
static __attribute__((noinline)) void paint(void)
{
    volatile char *top = __builtin_frame_address(0);
    for (int i = 128; i < PAINT; i++)
        top[-i] = (char)0xa5;
}

static __attribute__((noinline)) unsigned long scan(void)
{
    volatile char *top = __builtin_frame_address(0);
    int deepest = 0;
    for (int i = 128; i < PAINT; i++)
        if (top[-i] != (char)0xa5)
            deepest = i;
    return (unsigned long)deepest;
}

/* The stack printf needs when called from depth bytes below the top of
 * the stack (printf keeps its buffer on the stack only near the top). */
static __attribute__((noinline)) unsigned long printf_stack(unsigned long depth)
{
    volatile char frame[64];
    frame[0] = 0;
    if (USYSCALL - (unsigned long)__builtin_frame_address(0) < depth)
        return printf_stack(depth) + frame[0];
    paint();
    printf("xv6_primes: printf of a line with a number, %lu bytes deep: %d\n", depth, 12345);
    return scan() + frame[0]; /* not a tail call: scan must see this frame's sp */
}

static int is_prime(int n)
{
    for (int d = 2; d * d <= n; d++)
        if (n % d == 0)
            return 0;
    return 1;
}

/* The stage's state is in globals, as in many students' programs (each
 * process has its own copy): the frame holds little more than p and n,
 * about the 64 bytes a typical student's stage takes. */
static struct {
    int in, out, child, depth, fds[2], results;
    unsigned long stage1_fp;
} g = {-1, -1, -1, 0, {0, 0}, -1, 0};

static __attribute__((noinline, noreturn)) void stage(void)
{
    int p, n;
    if (++g.depth == 1)
        g.stage1_fp = (unsigned long)__builtin_frame_address(0);
    if (read(g.in, &p, sizeof p) != sizeof p)
        exit(0);
    printf("prime %d\n", p);
    if (g.depth == 2) { /* how deep one stage's frame is, for main, before the prime */
        n = (int)(g.stage1_fp - (unsigned long)__builtin_frame_address(0));
        write(g.results, &n, sizeof n);
    }
    write(g.results, &p, sizeof p);
    while (read(g.in, &n, sizeof n) == sizeof n) {
        if (n % p == 0)
            continue;
        if (g.out < 0) {
            if (pipe(g.fds) < 0)
                exit(2);
            g.child = fork();
            if (g.child == 0) {
                close(g.fds[1]);
                close(g.in);
                g.in = g.fds[0];
                g.child = -1;
                stage();
            }
            if (g.child < 0)
                exit(3);
            close(g.fds[0]);
            g.out = g.fds[1];
        }
        write(g.out, &n, sizeof n);
    }
    close(g.out);
    if (g.child > 0 && wait(&n) != g.child)
        n = 4;
    exit(g.child > 0 ? n : 0);
}

/* The parent's side, in a function of its own: main stays as small as a
 * student's, so that the stages sit as deep as theirs. */
static __attribute__((noinline)) int check(int first, int feed)
{
    unsigned long used = printf_stack(DEEP), shallow = printf_stack(0);
    printf("xv6_primes: printf used %lu bytes of stack deep in it (the classic one about %d), %lu near its top\n", used,
           CLASSIC_PRINTF, shallow);
    CHECK(used <= CLASSIC_PRINTF, "printf used %lu bytes of stack", used);

    CHECK(first > 0, "fork");
    for (int i = 2; i <= LIMIT; i++)
        write(feed, &i, sizeof i);
    close(feed);
    int got = 0, p, expect = 2, frame = 0;
    while (read(results[0], &p, sizeof p) == sizeof p) {
        if (got == 1 && !frame) { /* stage 2 sends its frame size first */
            frame = p;
            continue;
        }
        CHECK(p == expect, "prime %d: got %d, not %d", got + 1, p, expect);
        got++;
        for (expect++; !is_prime(expect); expect++)
            ;
    }
    close(results[0]);
    int st = first > 0 ? wait_status(first) : -1;
    CHECK(got == NPRIMES, "%d of the %d primes below %d came back", got, NPRIMES, LIMIT);
    CHECK(st == 0, "the first stage exited with %d (-1: killed)", st);
    printf("xv6_primes: %d stages of %d-byte frames deep\n", got, frame);
    CHECK(frame >= 48, "a stage's frame is only %d bytes: not the depth a student's primes reaches", frame);
    return test_end();
}

int main(void)
{
    int feed[2];
    test_begin("xv6_primes");
    if (pipe(feed) < 0 || pipe(results) < 0)
        return 1;
    int first = fork();
    if (first == 0) {
        close(feed[1]);
        close(results[0]);
        g.results = results[1];
        g.in = feed[0];
        stage();
    }
    close(feed[0]);
    close(results[1]);
    return check(first, feed[1]);
}
