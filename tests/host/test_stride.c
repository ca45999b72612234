/* Host unit tests for kernel/stride.c, the arithmetic of the stride
 * scheduler (labs/sched). A small model of the kernel's choice runs here:
 * among the runnable clients, the one stride_before ranks first (the
 * lowest index on a tie, as the kernel's scan in sched_stride.c keeps the
 * first it saw), joined at the virtual time, then charged. Everything is
 * integer arithmetic, so the shares come out exact. */
#include <stdint.h>
#include <string.h>

#include "check.h"
#include "kernel/stride.h"

#define MAXC 8

struct model {
    struct stride c[MAXC];
    int runnable[MAXC];
    int n;
    uint64_t vtime;
    uint64_t ran[MAXC];
};

static void model_init(struct model *m, const uint32_t *tickets, int n)
{
    memset(m, 0, sizeof *m);
    m->n = n;
    for (int i = 0; i < n; i++) {
        m->c[i].tickets = tickets[i];
        m->runnable[i] = 1;
    }
}

/* One quantum: returns who ran, or -1. */
static int model_step(struct model *m)
{
    int best = -1;
    struct stride bs = {0, 0};
    for (int i = 0; i < m->n; i++) {
        if (!m->runnable[i])
            continue;
        struct stride s = m->c[i];
        stride_join(&s, m->vtime);
        if (best < 0 || stride_before(&s, &bs)) {
            best = i;
            bs = s;
        }
    }
    if (best < 0)
        return -1;
    stride_join(&m->c[best], m->vtime);
    if (m->c[best].pass > m->vtime)
        m->vtime = m->c[best].pass;
    stride_charge(&m->c[best]);
    m->ran[best]++;
    return best;
}

static void test_tickets_valid(void *unused)
{
    (void)unused;
    CHECK(!stride_tickets_valid(0));
    CHECK(!stride_tickets_valid(-1));
    CHECK(stride_tickets_valid(TICKETS_MIN));
    CHECK(stride_tickets_valid(TICKETS_DEFAULT));
    CHECK(stride_tickets_valid(TICKETS_MAX));
    CHECK(!stride_tickets_valid(TICKETS_MAX + 1));
    CHECK(!stride_tickets_valid(1L << 40));
}

static void test_step_and_charge(void *unused)
{
    (void)unused;
    CHECK_EQ(stride_step(1), STRIDE_ONE);
    CHECK_EQ(stride_step(2), STRIDE_ONE / 2);
    CHECK_EQ(stride_step(3), STRIDE_ONE / 3);
    CHECK_EQ(stride_step(3) * 3, STRIDE_ONE); /* exact for small counts */
    CHECK(stride_step(TICKETS_MAX) > 0);
    CHECK(stride_step(1) > stride_step(2) && stride_step(2) > stride_step(TICKETS_MAX));
    struct stride s = {5, 4};
    stride_charge(&s);
    CHECK_EQ(s.pass, 5 + STRIDE_ONE / 4);
    stride_charge(&s);
    CHECK_EQ(s.pass, 5 + 2 * (STRIDE_ONE / 4));
}

static void test_before_and_join(void *unused)
{
    (void)unused;
    struct stride a = {10, 1}, b = {20, 1}, c = {10, 7};
    CHECK(stride_before(&a, &b));
    CHECK(!stride_before(&b, &a));
    CHECK(!stride_before(&a, &c) && !stride_before(&c, &a)); /* a tie: neither */
    struct stride s = {100, 1};
    stride_join(&s, 50);
    CHECK_EQ(s.pass, 100); /* ahead of the virtual time: kept */
    stride_join(&s, 500);
    CHECK_EQ(s.pass, 500); /* behind: brought up */
}

/* 1:2:3 over 6,000 quanta: exactly 1,000, 2,000 and 3,000. */
static void test_shares_123(void *unused)
{
    (void)unused;
    static const uint32_t t[] = {1, 2, 3};
    struct model m;
    model_init(&m, t, 3);
    for (int q = 0; q < 6000; q++)
        model_step(&m);
    CHECK_EQ(m.ran[0], 1000);
    CHECK_EQ(m.ran[1], 2000);
    CHECK_EQ(m.ran[2], 3000);
    /* And at every point the share is close: after any prefix of q
     * quanta, a client is at most one quantum from its exact share. */
    model_init(&m, t, 3);
    int close = 1;
    for (int q = 1; q <= 600; q++) {
        model_step(&m);
        for (int i = 0; i < 3; i++) {
            int64_t exact6 = (int64_t)q * t[i]; /* 6 x the exact share */
            int64_t diff = (int64_t)m.ran[i] * 6 - exact6;
            close &= diff <= 6 && diff >= -6;
        }
    }
    CHECK(close);
}

/* Equal tickets take turns, in a fixed order. */
static void test_equal_round_robin(void *unused)
{
    (void)unused;
    static const uint32_t t[] = {100, 100, 100, 100};
    struct model m;
    model_init(&m, t, 4);
    int order_ok = 1;
    for (int q = 0; q < 40; q++)
        order_ok &= model_step(&m) == q % 4;
    CHECK(order_ok);
}

/* Extremes: 1 against 1,000 tickets still runs, 1 time in 1,001. */
static void test_extremes(void *unused)
{
    (void)unused;
    static const uint32_t t[] = {TICKETS_MIN, TICKETS_MAX};
    struct model m;
    model_init(&m, t, 2);
    for (int q = 0; q < 1001 * 10; q++)
        model_step(&m);
    CHECK(m.ran[0] >= 9 && m.ran[0] <= 11);
    CHECK_EQ(m.ran[0] + m.ran[1], 10010);
}

/* A client that sleeps for a long time does not come back with a hoard
 * of credit: it rejoins at the virtual time and gets its share from
 * then on, not the whole machine. */
static void test_sleeper_rejoins(void *unused)
{
    (void)unused;
    static const uint32_t t[] = {1, 1};
    struct model m;
    model_init(&m, t, 2);
    m.runnable[1] = 0; /* asleep */
    for (int q = 0; q < 1000; q++)
        CHECK_EQ_INT(model_step(&m), 0);
    m.runnable[1] = 1;
    uint64_t before0 = m.ran[0], before1 = m.ran[1];
    for (int q = 0; q < 100; q++)
        model_step(&m);
    /* Without the join, client 1 would run the next 1,000 quanta alone. */
    CHECK(m.ran[1] - before1 <= 51);
    CHECK(m.ran[0] - before0 >= 49);
}

/* A new client (pass 0) joining a busy system behaves the same. */
static void test_newcomer(void *unused)
{
    (void)unused;
    static const uint32_t t[] = {3, 1, 2};
    struct model m;
    model_init(&m, t, 3);
    m.runnable[2] = 0;
    m.n = 2;
    for (int q = 0; q < 400; q++)
        model_step(&m);
    m.n = 3;
    m.runnable[2] = 1;
    uint64_t r0 = m.ran[0], r1 = m.ran[1];
    for (int q = 0; q < 600; q++)
        model_step(&m);
    CHECK(m.ran[2] >= 198 && m.ran[2] <= 202);
    CHECK(m.ran[0] - r0 >= 298 && m.ran[0] - r0 <= 302);
    CHECK(m.ran[1] - r1 >= 98 && m.ran[1] - r1 <= 102);
}

int main(void)
{
    check_group("stride_tickets_valid: 1..1000", test_tickets_valid, 0);
    check_group("stride_step and stride_charge", test_step_and_charge, 0);
    check_group("stride_before and stride_join", test_before_and_join, 0);
    check_group("tickets 1:2:3 share 6,000 quanta exactly", test_shares_123, 0);
    check_group("equal tickets take turns", test_equal_round_robin, 0);
    check_group("1 ticket against 1000", test_extremes, 0);
    check_group("a sleeper rejoins at the virtual time", test_sleeper_rejoins, 0);
    check_group("a newcomer gets its share, no more", test_newcomer, 0);
    return check_summary();
}
