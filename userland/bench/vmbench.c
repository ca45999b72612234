/* vmbench: what demand paging and mmap cost, in guest instructions under
 * `qemu -icount shift=0` on one hart (see bench.h). Run under each
 * allocation policy by scripts/bench-vm.sh; every line it prints that
 * matters starts with "BENCH vm".
 *
 *   lazyfault  one fault on a page sbrklazy reserved: trap, region lookup,
 *              a zeroed frame, the PTE, return (per page, over N pages)
 *   sbrk64     sbrk of 64 MiB then a store to every page: the policy's
 *              sbrk (eager: map now; lazy: fault each page)
 *   exec       fork + exec of a program with 256 KiB of initialised data
 *              that touches one page of it + exit + wait; with the pages
 *              it read from its file (memstat file_pages_read)
 *   mmapread   a read fault on a private file mapping (the file's page
 *              read into a fresh frame), per page
 *   writeback  munmap of a shared mapping whose every page is dirty,
 *              per page written back
 *
 * Usage: vmbench [-p pages]. vmbench touch: the exec'd child. */
#include "bench.h"
#include "kernel/fcntl.h"

/* Initialised data that lives in the file: exec under `eager` reads all
 * of it, under `lazy` only what is touched. */
static char image[256 * 1024] = {1};

static unsigned long now(void) { return (unsigned long)uptime_ns(); }

static void report(const char *what, const char *policy, unsigned long n, unsigned long ns, unsigned long extra)
{
    printf("BENCH vm %s %s %lu %lu %lu\n", what, policy, n, ns, extra);
}

static unsigned long file_pages_read(void)
{
    struct memstat ms;
    memstat(&ms);
    return ms.file_pages_read;
}

static int lazy_fault(const char *policy, unsigned long pages)
{
    char *p = sbrklazy((int)(pages * BENCH_PAGE));
    if (p == SBRK_ERROR)
        return -1;
    unsigned long t0 = now();
    for (unsigned long i = 0; i < pages; i++)
        p[i * BENCH_PAGE] = 1;
    report("lazyfault", policy, pages, now() - t0, 0);
    sbrk(-(int)(pages * BENCH_PAGE));
    return 0;
}

static int sbrk64(const char *policy)
{
    unsigned long pages = (64UL << 20) / BENCH_PAGE;
    unsigned long t0 = now();
    char *p = sbrk((int)(pages * BENCH_PAGE));
    if (p == SBRK_ERROR)
        return -1;
    for (unsigned long i = 0; i < pages; i++)
        p[i * BENCH_PAGE] = 1;
    report("sbrk64", policy, pages, now() - t0, 0);
    sbrk(-(int)(pages * BENCH_PAGE));
    return 0;
}

static int exec_cost(const char *policy, unsigned long rounds)
{
    unsigned long read0 = file_pages_read(), t0 = now();
    for (unsigned long i = 0; i < rounds; i++) {
        int pid = fork();
        if (pid < 0)
            return -1;
        if (pid == 0) {
            char *argv[] = {"vmbench", "touch", 0};
            exec("/bench/vmbench", argv);
            exit(1);
        }
        int status;
        if (wait(&status) != pid || status != 0)
            return -1;
    }
    report("exec", policy, rounds, now() - t0, (file_pages_read() - read0) / rounds);
    return 0;
}

static int make_file(const char *path, unsigned long pages)
{
    int fd = open(path, O_CREATE | O_TRUNC | O_RDWR);
    if (fd < 0)
        return -1;
    static char buf[4096];
    for (unsigned long i = 0; i < pages; i++) {
        memset(buf, (int)('a' + i % 26), sizeof buf);
        if (write(fd, buf, sizeof buf) != (int)sizeof buf)
            return -1;
    }
    return fd;
}

static int mmap_costs(const char *policy, unsigned long pages)
{
    int fd = make_file("/vmbench.dat", pages);
    if (fd < 0)
        return -1;
    unsigned long len = pages * BENCH_PAGE, sum = 0;
    char *p = mmap(0, len, PROT_READ, MAP_PRIVATE, fd, 0);
    if (p == MAP_FAILED)
        return -1;
    unsigned long t0 = now();
    for (unsigned long i = 0; i < pages; i++)
        sum += (unsigned char)p[i * BENCH_PAGE];
    report("mmapread", policy, pages, now() - t0, sum);
    munmap(p, len);

    p = mmap(0, len, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    if (p == MAP_FAILED)
        return -1;
    for (unsigned long i = 0; i < pages; i++)
        p[i * BENCH_PAGE] = 'Z';
    struct memstat m0, m1;
    memstat(&m0);
    t0 = now();
    munmap(p, len);
    unsigned long ns = now() - t0;
    memstat(&m1);
    report("writeback", policy, m1.pages_written_back - m0.pages_written_back, ns, pages);
    close(fd);
    unlink("/vmbench.dat");
    return 0;
}

int main(int argc, char **argv)
{
    if (argc > 1 && bench_streq(argv[1], "touch")) {
        image[8 * BENCH_PAGE] = 2; /* one page of the 64 */
        exit(image[0] == 1 ? 0 : 1);
    }
    unsigned long pages = 1024;
    if (argc > 2 && bench_streq(argv[1], "-p"))
        pages = (unsigned long)atoi(argv[2]);
    struct memstat ms;
    memstat(&ms);
    char policy[8];
    memcpy(policy, ms.alloc_policy, sizeof policy);
    policy[7] = 0;
    if (lazy_fault(policy, pages) < 0 || sbrk64(policy) < 0 || exec_cost(policy, 50) < 0 ||
        mmap_costs(policy, pages) < 0) {
        printf("vmbench: FAILED\n");
        return 1;
    }
    printf("vmbench: done\n");
    return 0;
}
