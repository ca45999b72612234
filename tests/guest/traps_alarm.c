/* Lab traps: the user-level alarm, sigalarm(ticks, handler) and
 * sigreturn(). Nothing here depends on how fast the machine is: every
 * wait is "until the handler has run N times" (a broken alarm hangs, and
 * the ctest timeout catches the hang), and every "must not be called"
 * check spins for a few ticks of uptime first, which can only make it
 * pass vacuously on a slow host, never fail a correct kernel. */
#include "testlib.h"

static volatile int count;

static void handler(void)
{
    count++;
    sigreturn();
}

/* Clobbers every caller-saved register, integer and floating point, as
 * any handler compiled from C may. */
static void clobbering_handler(void)
{
    count++;
    __asm__ volatile("li t0, -1; li t1, -1; li t2, -1; li t3, -1; li t4, -1; li t5, -1; li t6, -1;"
                     "li a0, -1; li a1, -1; li a2, -1; li a3, -1; li a4, -1; li a5, -1; li a6, -1; li a7, -1;"
                     "fcvt.d.l ft0, t0; fcvt.d.l ft1, t0; fcvt.d.l ft2, t0; fcvt.d.l ft3, t0;"
                     "fcvt.d.l ft4, t0; fcvt.d.l ft5, t0; fcvt.d.l ft6, t0; fcvt.d.l ft7, t0;"
                     "fcvt.d.l fa0, t0; fcvt.d.l fa1, t0; fcvt.d.l fa7, t0; fcvt.d.l ft11, t0;"
                     "fsrmi 3; csrwi fflags, 31" ::
                         : "t0", "t1", "t2", "t3", "t4", "t5", "t6", "a0", "a1", "a2", "a3", "a4", "a5", "a6", "a7",
                           "ft0", "ft1", "ft2", "ft3", "ft4", "ft5", "ft6", "ft7", "fa0", "fa1", "fa7", "ft11");
    sigreturn();
}

static volatile int in_handler, reentered, slow_calls;

/* Runs for a few ticks itself, so that timer ticks arrive while it runs. */
static void slow_handler(void)
{
    if (in_handler)
        reentered = 1;
    in_handler = 1;
    int start = uptime();
    while (uptime() < start + 3)
        ;
    in_handler = 0;
    slow_calls++;
    sigreturn();
}

static void spin_ticks(int n)
{
    int start = uptime();
    while (uptime() < start + n)
        ;
}

static void wait_calls(int n)
{
    while (count < n)
        ;
}

/* regs_across_alarms(count, target, out): loads a distinct value into
 * every integer register but sp, gp, tp and t6 (x5..x30) and into every f
 * register and fcsr, spins with all of them live until *count >= target
 * (t6 loads *count), then stores x1..x31 into out[1..31], f0..f31 into
 * out[32..63] and fcsr into out[64]. a0, a1 and a2 keep the arguments. */
void regs_across_alarms(volatile int *count, int target, long *out);
#define PATTERN(n) (0x5a00000000000000L | ((long)(n) << 40) | ((long)(n)*0x010101L))
__asm__(".text\n"
        ".globl regs_across_alarms\n"
        "regs_across_alarms:\n"
        "  addi sp, sp, -112\n"
        "  sd ra, 0(sp); sd s0, 8(sp); sd s1, 16(sp); sd s2, 24(sp); sd s3, 32(sp); sd s4, 40(sp)\n"
        "  sd s5, 48(sp); sd s6, 56(sp); sd s7, 64(sp); sd s8, 72(sp); sd s9, 80(sp); sd s10, 88(sp)\n"
        "  sd s11, 96(sp)\n"
        "  .irp n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31\n"
        "  li t6, 0x5b00000000000000 | (\\n << 40) | (\\n * 0x030303)\n"
        "  fmv.d.x f\\n, t6\n"
        "  .endr\n"
        "  li t6, 0x42\n" /* rounding mode 2 (RDN), flags NX|OF: any fcsr change shows */
        "  fscsr t6\n"
        "  .irp n, 1,5,6,7,8,9,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30\n"
        "  li x\\n, 0x5a00000000000000 | (\\n << 40) | (\\n * 0x010101)\n"
        "  .endr\n"
        "1: lw t6, 0(a0)\n"
        "  blt t6, a1, 1b\n"
        "  .irp n, 1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31\n"
        "  sd x\\n, (\\n * 8)(a2)\n"
        "  .endr\n"
        "  .irp n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31\n"
        "  fsd f\\n, ((32 + \\n) * 8)(a2)\n"
        "  .endr\n"
        "  frcsr t6\n"
        "  sd t6, (64 * 8)(a2)\n"
        "  fscsr zero\n"
        "  ld ra, 0(sp); ld s0, 8(sp); ld s1, 16(sp); ld s2, 24(sp); ld s3, 32(sp); ld s4, 40(sp)\n"
        "  ld s5, 48(sp); ld s6, 56(sp); ld s7, 64(sp); ld s8, 72(sp); ld s9, 80(sp); ld s10, 88(sp)\n"
        "  ld s11, 96(sp)\n"
        "  addi sp, sp, 112\n"
        "  ret\n");

static void periodic_and_stop(void)
{
    count = 0;
    CHECK(sigalarm(2, handler) == 0, "sigalarm(2, handler)");
    if (test_failures)
        return; /* no alarm: waiting for one would hang */
    wait_calls(5);
    CHECK(sigalarm(0, 0) == 0, "sigalarm(0, 0)");
    int seen = count;
    spin_ticks(10);
    CHECK(count == seen, "called %d more times after sigalarm(0, 0)", count - seen);
}

static void registers_preserved(void)
{
    static long out[65];
    long gp, tp;
    __asm__ volatile("mv %0, gp; mv %1, tp" : "=r"(gp), "=r"(tp));
    count = 0;
    CHECK(sigalarm(1, clobbering_handler) == 0, "sigalarm(1, clobbering_handler)");
    regs_across_alarms(&count, 20, out);
    sigalarm(0, 0);
    CHECK(count >= 20, "handler ran %d times", count);
    CHECK(out[3] == gp && out[4] == tp, "gp %lx tp %lx", out[3], out[4]);
    CHECK(out[10] == (long)&count && out[11] == 20 && out[12] == (long)out, "a0..a2: %lx %lx %lx", out[10], out[11],
          out[12]);
    static const int set[] = {1, 5, 6, 7, 8, 9, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30};
    for (unsigned i = 0; i < sizeof set / sizeof set[0]; i++)
        CHECK(out[set[i]] == PATTERN(set[i]), "x%d = %lx, want %lx", set[i], out[set[i]], PATTERN(set[i]));
    for (long n = 0; n < 32; n++) {
        long want = 0x5b00000000000000L | (n << 40) | (n * 0x030303L);
        CHECK(out[32 + n] == want, "f%ld = %lx, want %lx", n, out[32 + n], want);
    }
    CHECK(out[64] == 0x42, "fcsr = %lx, want 0x42", out[64]);
}

static void no_reentry(void)
{
    in_handler = reentered = slow_calls = 0;
    CHECK(sigalarm(1, slow_handler) == 0, "sigalarm(1, slow_handler)");
    while (slow_calls < 3)
        ;
    sigalarm(0, 0);
    CHECK(!reentered, "the handler was entered while it ran");
}

static void bad_calls(void)
{
    CHECK(sigreturn() == -1, "sigreturn outside a handler");
    CHECK(sigalarm(-1, handler) == -1, "negative ticks");
}

/* A handler at a kernel address: the process is killed, nothing else. */
static int bad_handler(long arg)
{
    (void)arg;
    sigalarm(1, (void (*)(void))0xffffffc080200000UL);
    for (volatile int forever = 1; forever;)
        ;
    return 0;
}

/* fork: the child starts without an alarm, may set its own; the parent's
 * goes on. */
static int forked_child(long arg)
{
    (void)arg;
    count = 0;
    spin_ticks(5);
    if (count != 0)
        return 1;
    if (sigalarm(1, handler) < 0)
        return 2;
    wait_calls(3);
    return 0;
}

static void fork_and_exec(void)
{
    count = 0;
    CHECK(sigalarm(1, handler) == 0, "sigalarm");
    int pid = spawn(forked_child, 0);
    CHECK(wait_status(pid) == 0, "fork: child");
    int before = count;
    wait_calls(before + 3);
    CHECK(count >= before + 3, "parent's alarm after fork");
    /* exec: the alarm is cancelled. The new image is this very program,
     * with handler at the same address, so a surviving alarm would show
     * as calls (or a crash). */
    pid = fork();
    if (pid == 0) {
        char *argv[] = {"/tests/traps_alarm", "exec", 0};
        exec(argv[0], argv);
        exit(3);
    }
    CHECK(wait_status(pid) == 0, "exec: child");
    sigalarm(0, 0);
    CHECK(wait_status(spawn(bad_handler, 0)) == -1, "bad handler address: status");
}

int main(int argc, char **argv)
{
    if (argc > 1 && strcmp(argv[1], "exec") == 0) {
        count = 0;
        spin_ticks(5);
        exit(count == 0 ? 0 : 1);
    }
    test_begin("traps_alarm");
    bad_calls();
    periodic_and_stop();
    if (!test_failures)
        registers_preserved();
    if (!test_failures)
        no_reentry();
    if (!test_failures)
        fork_and_exec();
    return test_end();
}
