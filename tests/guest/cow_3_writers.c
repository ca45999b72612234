/* Three processes write the same copy-on-write memory at once, on several
 * harts; repeated, with every frame reclaimed after each round. */
#include "testlib.h"

#define PAGES 256
#define ROUNDS 8

static char *mem;

static int writer(long id)
{
    for (int i = 0; i < PAGES; i++)
        if (mem[i * 4096 + 100] != 'P')
            return 2;
    for (int i = 0; i < PAGES; i++)
        memset(mem + i * 4096, (int)('0' + id), 4096);
    for (int i = 0; i < PAGES; i++)
        for (int j = 0; j < 4096; j += 1024)
            if (mem[i * 4096 + j] != (char)('0' + id))
                return 3;
    return 0;
}

int main(void)
{
    test_begin("cow_3_writers");
    check_fork_shares();
    mem = sbrk(PAGES * 4096);
    CHECK(mem != (char *)-1, "sbrk");
    memset(mem, 'P', PAGES * 4096);
    unsigned long base = free_frames();
    for (int round = 0; round < ROUNDS; round++) {
        int pids[3];
        for (int k = 0; k < 3; k++)
            pids[k] = spawn(writer, k + 1);
        for (int k = 0; k < 3; k++)
            CHECK(wait_status(pids[k]) == 0, "round %d writer %d", round, k + 1);
        for (int i = 0; i < PAGES; i++)
            if (mem[i * 4096 + 7] != 'P') {
                CHECK(0, "round %d: parent page %d changed", round, i);
                break;
            }
        CHECK(free_frames() == base, "round %d: %lu frames free, %lu before", round, free_frames(), base);
        CHECK(mmaudit() == 0, "round %d: audit", round);
    }
    sbrk(-(PAGES * 4096));
    return test_end();
}
