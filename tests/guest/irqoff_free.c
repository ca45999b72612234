/* Freeing a large address space lets interrupts in: a 64 MiB process
 * exits ("exit": a child grows, touches and exits) or gives its heap
 * back ("sbrk": sbrk of -64 MiB). Both used to walk every page with the
 * address space's spin lock held, interrupts off for tens of millions of
 * instructions on the debug kernel. Run on the debug kernel, one hart,
 * -icount shift=0: tests.cmake bounds the longest interrupts-off stretch
 * it prints at power-off (under a tenth of a timer period). */
#include "testlib.h"

#define MIB 64

/* Bytes one sbrk grows the heap by: eager allocation fills them all with
 * the lock held (mm/fill.c, vm_populate), about 4,000 instructions a page
 * on the debug kernel, so growing stays in small steps here and the
 * stretches measured are those of freeing. */
#define STEP (64 << 10)

/* The heap grown by MIB MiB, every page touched; 0, or -1 if memory ran
 * out. */
static int grow(void)
{
    for (long i = 0; i < ((long)MIB << 20) / STEP; i++) {
        char *p = sbrk(STEP);
        if (p == (char *)-1)
            return -1;
        for (long off = 0; off < STEP; off += 4096)
            p[off] = (char)(i + 1);
    }
    return 0;
}

int main(int argc, char **argv)
{
    const char *how = argc > 1 ? argv[1] : "";
    test_begin("irqoff_free");
    long before = (long)free_frames_and_tables();
    if (strcmp(how, "exit") == 0) {
        int pid = fork();
        if (pid == 0)
            exit(grow() == 0 ? 0 : 1);
        CHECK(pid > 0 && wait_status(pid) == 0, "a child grew to %d MiB and exited", MIB);
    } else if (strcmp(how, "sbrk") == 0) {
        char *base = sbrk(0);
        CHECK(grow() == 0, "grew to %d MiB", MIB);
        CHECK(sbrk(-(MIB << 20)) == base + (MIB << 20) && sbrk(0) == base, "shrank by %d MiB", MIB);
    } else {
        CHECK(0, "usage: irqoff_free exit|sbrk");
    }
    long after = (long)free_frames_and_tables();
    CHECK(after == before, "every frame back: %ld free, were %ld", after, before);
    return test_end();
}
