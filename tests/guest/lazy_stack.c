/* The user stack under each allocation policy. Under eager a program
 * gets exactly the pages its stack note asks for (RVOS_STACK_PAGES_DEFAULT
 * without one), with the guard page right below. Under lazy a program
 * that asked for the default or more (rvos's own programs, or one without
 * a note) may grow its stack on demand down to RVOS_STACK_PAGES_MAX pages
 * below the top, page by page as it touches them, and the guard page
 * below that limit is fatal; one that asked for fewer (course programs,
 * 1 page) keeps exactly what it asked for. The test checks itself, then
 * runs copies of its own file with the note's type changed (no note) and
 * with a 3-page note. Every probe runs in a child: a kill shows as wait
 * status -1. */
#include "kernel/riscv.h"
#include "rvos/exec.h"
#include "rvos/usyscall.h"
#include "testlib.h"

#define PAGE 4096L
#define TOP ((long)USYSCALL) /* the stack ends just below the USYSCALL page */
#define PAD 900

static int lazy;

static int load_at(long addr)
{
    (void)*(volatile char *)addr;
    return 0;
}

/* Recurses until the stack pointer is below target; every frame holds a
 * padded buffer whose ends it checks on the way back. */
__attribute__((noinline)) static int dive(long target, int depth)
{
    volatile char pad[PAD];
    pad[0] = (char)depth;
    pad[PAD - 1] = (char)~depth;
    int r = (long)r_sp() > target ? dive(target, depth + 1) : 0;
    if (pad[0] != (char)depth || pad[PAD - 1] != (char)~depth)
        r = 200;
    return r;
}

static int dive_to(long pages_down) { return dive(TOP - pages_down * PAGE, 0); }

/* At the bottom of a deep stack: fork. The grandchild unwinds the copied
 * (or shared) stack and checks every frame; its parent waits, then does
 * the same with its own. */
__attribute__((noinline)) static int dive_fork(long target, int depth)
{
    volatile char pad[PAD];
    pad[0] = (char)depth;
    pad[PAD - 1] = (char)~depth;
    int r;
    if ((long)r_sp() > target) {
        r = dive_fork(target, depth + 1);
    } else {
        int pid = fork();
        r = pid < 0 ? 100 : pid == 0 ? 0 : wait_status(pid);
    }
    if (pad[0] != (char)depth || pad[PAD - 1] != (char)~depth)
        r = 200;
    return r;
}

static int dive_fork_to(long pages_down) { return dive_fork(TOP - pages_down * PAGE, 0); }

/* The child's half of growth_cost's handshake: says it is ready (wr_fd),
 * then waits for the parent's word (rd_fd) before going on. */
static int rd_fd, wr_fd;
static void handshake(void)
{
    char c = 'x';
    write(wr_fd, &c, 1);
    read(rd_fd, &c, 1);
}

__attribute__((noinline)) static int dive_and_wait(long target, int depth)
{
    volatile char pad[PAD];
    pad[0] = (char)depth;
    int r = (long)r_sp() > target ? dive_and_wait(target, depth + 1) : (handshake(), 0);
    return pad[0] == (char)depth ? r : 200;
}

static int measured_dive(long pages_down)
{
    handshake();
    return dive_and_wait(TOP - pages_down * PAGE, 0);
}

/* Growth costs frames only as the stack is touched, and gives them back
 * at exit. */
static void growth_cost(void)
{
    int to_child[2], to_parent[2];
    CHECK(pipe(to_child) == 0 && pipe(to_parent) == 0, "pipes");
    rd_fd = to_child[0];
    wr_fd = to_parent[1];
    int pid = spawn(measured_dive, 200);
    close(to_child[0]); /* a child killed on the way gives EOF, not a hang */
    close(to_parent[1]);
    char c = 'g';
    CHECK(read(to_parent[0], &c, 1) == 1, "child ready");
    struct memstat a = memstat_now();
    write(to_child[1], &c, 1);
    CHECK(read(to_parent[0], &c, 1) == 1, "child at the bottom");
    struct memstat b = memstat_now();
    write(to_child[1], &c, 1);
    CHECK(wait_status(pid) == 0, "the measured dive");
    long grown = (long)(b.pages_resident - a.pages_resident);
    CHECK(grown >= 180 && grown <= 200 + 8, "200 pages of stack growth made %ld pages resident", grown);
    CHECK(b.lazy_faults - a.lazy_faults >= 180, "200 pages of stack growth took %lu lazy faults",
          b.lazy_faults - a.lazy_faults);
    close(to_child[1]);
    close(to_parent[0]);
}

/* read() into a stack page the program has not grown into yet */
static int read_below(long pages_down)
{
    int fds[2];
    if (pipe(fds) < 0)
        return 3;
    write(fds[1], "s", 1);
    char *dst = (char *)(TOP - pages_down * PAGE + 40);
    int n = read(fds[0], dst, 1);
    return n == 1 && *dst == 's' ? 0 : 4;
}

/* A refused access fills nothing: a child reports the lazy-fault count,
 * then loads from addr (and dies); returns how many pages were filled
 * after its report (0), or -1 if it lived. */
static long fills_after_refused_load(long addr)
{
    int fds[2];
    if (pipe(fds) < 0)
        return -2;
    int pid = fork();
    if (pid == 0) {
        unsigned long before = memstat_now().lazy_faults;
        write(fds[1], &before, sizeof before);
        (void)*(volatile char *)addr;
        exit(0);
    }
    close(fds[1]);
    unsigned long before = 0;
    read(fds[0], &before, sizeof before);
    close(fds[0]);
    if (wait_status(pid) != -1)
        return -1;
    return (long)(memstat_now().lazy_faults - before);
}

/* The probes, for a stack of `limit` usable pages below TOP; grows: the
 * pages below the first 16 come on demand. */
static void probes(long limit, int grows)
{
    long lowest = TOP - limit * PAGE;
    printf("stack: %ld pages may be used\n", limit);
    CHECK(wait_status(spawn(load_at, lowest)) == 0, "a load in the lowest of %ld stack pages", limit);
    CHECK(wait_status(spawn(load_at, lowest - 1)) == -1, "a load in the guard page below %ld pages", limit);
    CHECK(wait_status(spawn(load_at, lowest - PAGE * 3)) == -1, "a load below the guard page");
    long filled = fills_after_refused_load(lowest - 1);
    CHECK(filled == 0, "a load in the guard page: %ld (pages filled; -1: it did not kill)", filled);
    CHECK(wait_status(spawn(dive_to, limit - 4)) == 0, "recursion %ld pages deep", limit - 4);
    CHECK(wait_status(spawn(dive_to, limit + 2)) == -1, "recursion past %ld pages did not kill", limit);
    CHECK(wait_status(spawn(dive_fork_to, limit - 4)) == 0, "fork at the bottom of a %ld-page stack", limit - 4);
    CHECK(wait_status(spawn(read_below, limit + 10)) == 4, "read() below the stack must fail with -1, not kill");
    if (grows) {
        CHECK(wait_status(spawn(dive_to, 100)) == 0, "recursion 100 pages deep");
        CHECK(wait_status(spawn(read_below, 150)) == 0, "read() into a stack page not grown into yet");
        growth_cost();
    }
}

/* The offset of the stack note's type word in the ELF image, or -1
 * (System V gABI: e_phoff at 32, e_phnum at 56, 56-byte program headers
 * with p_type first and p_offset at 8). */
static long note_type_at(const char *img, long len)
{
    uint64 phoff;
    uint16 phnum;
    memcpy(&phoff, img + 32, 8);
    memcpy(&phnum, img + 56, 2);
    for (int i = 0; i < phnum && (long)(phoff + (uint64)(i + 1) * 56) <= len; i++) {
        const char *ph = img + phoff + (uint64)i * 56;
        uint32 type;
        uint64 off;
        memcpy(&type, ph, 4);
        memcpy(&off, ph + 8, 8);
        uint32 word[3];
        if (type != 4 || (long)off + 20 > len)
            continue;
        memcpy(word, img + off, sizeof word);
        if (word[0] == 5 && word[2] == RVOS_NT_STACK && memcmp(img + off + 12, RVOS_NOTE_OWNER, 5) == 0)
            return (long)off + 8;
    }
    return -1;
}

/* Writes this program to /lzstack_nn with its stack note's type changed
 * to type and its page count to pages, and runs it in mode; its exit
 * status. */
static int run_patched(unsigned type, unsigned pages, char *mode)
{
    int fd = open("/tests/lazy_stack", O_RDONLY);
    struct stat st;
    if (fd < 0 || fstat(fd, &st) < 0)
        return -10;
    char *img = sbrk((int)st.size);
    long got = 0;
    int n;
    while (got < (long)st.size && (n = read(fd, img + got, (int)((long)st.size - got))) > 0)
        got += n;
    close(fd);
    long at = note_type_at(img, got);
    int status = -11;
    if (got == (long)st.size && at >= 0) {
        uint32 words[2] = {type, pages};
        memcpy(img + at, &words[0], 4);
        memcpy(img + at + 12, &words[1], 4); /* the descriptor, after the 8-byte name */
        int out = open("/lzstack_nn", O_CREATE | O_RDWR | O_TRUNC);
        if (out >= 0 && write(out, img, (int)got) == got) {
            close(out);
            char *argv[] = {"/lzstack_nn", mode, 0};
            int pid = fork();
            if (pid == 0) {
                exec(argv[0], argv);
                exit(99);
            }
            status = wait_status(pid);
        }
        unlink("/lzstack_nn");
    }
    sbrk(-(int)st.size);
    return status;
}

int main(int argc, char **argv)
{
    lazy = alloc_lazy();
    if (argc >= 2 && strcmp(argv[1], "grows") == 0) {
        /* the default stack, or no note: lazy grows to the maximum */
        probes(lazy ? RVOS_STACK_PAGES_MAX : RVOS_STACK_PAGES_DEFAULT, lazy);
        exit(test_failures);
    }
    if (argc >= 2 && strcmp(argv[1], "three") == 0) {
        probes(3, 0); /* fewer than the default: exactly that, both policies */
        exit(test_failures);
    }
    test_begin("lazy_stack");
    long sp = (long)r_sp();
    CHECK(sp < TOP && sp >= TOP - PAGE, "main's stack pointer %lx is not in the top page below %lx", sp, TOP);
    /* our own note asks for the default */
    probes(lazy ? RVOS_STACK_PAGES_MAX : RVOS_STACK_PAGES_DEFAULT, lazy);
    int st = run_patched(7, RVOS_STACK_PAGES_DEFAULT, "grows");
    CHECK(st == 0, "the copy without a stack note: status %d (its failures are printed above)", st);
    st = run_patched(RVOS_NT_STACK, 3, "three");
    CHECK(st == 0, "the copy with a 3-page stack note: status %d (its failures are printed above)", st);
    return test_end();
}
