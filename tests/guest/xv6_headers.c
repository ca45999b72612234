/* The classic headers compile in a program built the way course programs
 * are, and each value they promise is checked against what the kernel
 * does: page size and MAXVA against faults, PHYSTOP - KERNBASE against
 * the frames memstat counts, the classic block units against a file
 * written in them, the limits against the point where open, fork and path lookup
 * start to fail, the SYS_ numbers against the system calls. */
#include "kernel/param.h"
#include "kernel/types.h"
#include "kernel/stat.h"
#include "user/user.h"
#include "kernel/fs.h"
#include "kernel/fcntl.h"
#include "kernel/syscall.h"
#include "kernel/memlayout.h"
#include "kernel/riscv.h"
#include "testlib.h"

static int read_at(long addr)
{
    (void)*(volatile char *)addr;
    return 0;
}

static int write_at(long addr)
{
    *(volatile char *)addr = 1;
    return 0;
}

static long raw_syscall(long n)
{
    register long a0 __asm__("a0") = 0;
    register long a7 __asm__("a7") = n;
    __asm__ volatile("ecall" : "+r"(a0) : "r"(a7) : "memory");
    return a0;
}

static void pages_and_addresses(void)
{
    CHECK(PGSIZE == 4096 && (1 << PGSHIFT) == PGSIZE, "PGSIZE %d, PGSHIFT %d", PGSIZE, PGSHIFT);
    CHECK(PGROUNDUP(1) == PGSIZE && PGROUNDUP(PGSIZE) == PGSIZE && PGROUNDDOWN(PGSIZE + 5) == PGSIZE,
          "PGROUNDUP, PGROUNDDOWN");
    /* the kernel maps memory in pages of PGSIZE: up to the break rounded
     * up to a page is mapped, the page after is not */
    uint64 end = PGROUNDUP((uint64)sbrk(0));
    CHECK(wait_status(spawn(read_at, (long)(end - 1))) == 0, "the page below the rounded-up break is mapped");
    CHECK(wait_status(spawn(read_at, (long)end)) == -1, "the page at it is not");
    /* MAXVA and everything above it is out of reach, as is the memory the
     * stack pointer is below */
    CHECK(MAXVA == 1L << 38, "MAXVA %lx", (uint64)MAXVA);
    CHECK(r_sp() < MAXVA && r_sp() > end, "the stack lies between the heap and MAXVA");
    CHECK(wait_status(spawn(write_at, MAXVA)) == -1 && wait_status(spawn(write_at, MAXVA - PGSIZE)) == -1,
          "MAXVA and the page below it fault");
}

static void physical_memory(void)
{
    /* PHYSTOP - KERNBASE is the machine's RAM: the allocator manages all of
     * it but what firmware, kernel image and page database take */
    struct memstat ms;
    CHECK(memstat(&ms) == 0, "memstat");
    uint64 ram = PHYSTOP - KERNBASE, managed = ms.frames_total * PGSIZE;
    CHECK(managed < ram && managed > ram / 100 * 95, "PHYSTOP - KERNBASE = %lu KiB, the allocator manages %lu KiB",
          ram / 1024, managed / 1024);
    /* the physical addresses are not user memory */
    CHECK(wait_status(spawn(read_at, KERNBASE)) == -1 && wait_status(spawn(read_at, PHYSTOP - 1)) == -1,
          "KERNBASE and PHYSTOP - 1 fault");
}

/* The classic units: a course program writes a file of MAXFILE blocks
 * of BSIZE from a char buf[BSIZE] on its 1-page stack (usertests'
 * diskfull), reads it back (writebig), and may not write past MAXFILE
 * (the fs lab's bigfile counts the blocks it could write). The RAM
 * file system stores four such blocks per 4 KiB frame, mapped as
 * kernel/fs/ramfs/ramfs.h says: 12 direct frames, an indirect table for the next
 * 512, then a double-indirect table and one table per 512 frames more. */
static int write_blocks(int fd, int nblocks)
{
    for (int i = 0; i < nblocks; i++) {
        char buf[BSIZE]; /* on the stack, as diskfull has it */
        memset(buf, 0, sizeof buf);
        ((int *)buf)[0] = i;
        if (write(fd, buf, BSIZE) != BSIZE)
            return i;
    }
    return nblocks;
}

static unsigned long frames_for(unsigned long bytes)
{
    unsigned long data = (bytes + PGSIZE - 1) / PGSIZE, tables = 0;
    if (data > 12)
        tables++;
    if (data > 12 + 512)
        tables += 1 + (data - 12 - 512 + 511) / 512;
    return data + tables;
}

static void classic_units(void)
{
    CHECK(BSIZE == 1024 && NDIRECT == 11 && NINDIRECT == 256 && MAXFILE == 11 + 256 + 256 * 256,
          "BSIZE %d NDIRECT %d NINDIRECT %d MAXFILE %d", BSIZE, NDIRECT, (int)NINDIRECT, (int)MAXFILE);
    CHECK(USERSTACK == 1 && r_sp() > PGROUNDDOWN(r_sp()) + BSIZE, "one stack page, with room for a block");
    unsigned long none = free_frames();
    int fd = open("/xv6_maxfile", O_CREATE | O_RDWR);
    unsigned long before = free_frames(); /* the directory entry may have taken a frame */
    CHECK(fd >= 0 && write_blocks(fd, (int)MAXFILE) == (int)MAXFILE, "write MAXFILE blocks");
    unsigned long want = frames_for((unsigned long)MAXFILE * BSIZE);
    CHECK(before - free_frames() == want, "MAXFILE blocks take %lu frames, not %lu", before - free_frames(), want);
    CHECK(write_blocks(fd, 1) == 0, "a block past MAXFILE is refused");
    close(fd);
    static char block[BSIZE];
    fd = open("/xv6_maxfile", O_RDONLY);
    int n = 0;
    while (read(fd, block, BSIZE) == BSIZE && ((int *)block)[0] == n)
        n++;
    close(fd);
    CHECK(n == (int)MAXFILE, "read back %d blocks in order, then the end", n);
    CHECK(unlink("/xv6_maxfile") == 0 && free_frames() == none, "unlink gives every frame back");
}

/* Children that wait until the parent closes the pipe: fds holds its
 * read end and, 16 bits up, its write end. */
static int hold(long fds)
{
    char c;
    close((int)(fds >> 16));
    return read((int)(fds & 0xffff), &c, 1) == 0 ? 0 : 1;
}

static void limits(void)
{
    /* NOFILE: 0, 1 and 2 are open */
    int fds[NOFILE];
    int n = 0;
    while (n < NOFILE && (fds[n] = open("/", O_RDONLY)) >= 0)
        n++;
    CHECK(n == NOFILE - 3, "%d more files open, not NOFILE - 3 = %d", n, NOFILE - 3);
    while (n > 0)
        close(fds[--n]);

    /* NPROC: this test is the only process, so NPROC - 1 children fit */
    int p[2];
    CHECK(pipe(p) == 0, "pipe");
    int kids = 0, pid;
    while ((pid = spawn(hold, p[0] | (long)p[1] << 16)) > 0)
        kids++;
    close(p[1]);
    close(p[0]);
    int ok = 1;
    for (int i = 0; i < kids; i++)
        ok = ok && wait(0) > 0;
    CHECK(kids == NPROC - 1 && ok, "%d children before fork failed, not NPROC - 1 = %d", kids, NPROC - 1);

    /* MAXPATH: a path of MAXPATH - 1 bytes and its NUL is taken, one byte
     * more is refused (extra slashes keep it naming the same file) */
    static char path[MAXPATH + 2];
    const char *file = "data/README.txt";
    int len = strlen(file), slashes = MAXPATH - 1 - len;
    memset(path, '/', slashes);
    strcpy(path + slashes, file);
    int fd = open(path, O_RDONLY);
    CHECK(fd >= 0, "a path of MAXPATH - 1 bytes");
    close(fd);
    memset(path, '/', slashes + 1);
    strcpy(path + slashes + 1, file);
    CHECK(open(path, O_RDONLY) == -1, "a path of MAXPATH bytes");

    /* NINODE: usertests' iref makes NINODE + 1 nested directories */
    int made = 0;
    while (made < NINODE + 1 && mkdir("irefd") == 0 && chdir("irefd") == 0)
        made++;
    CHECK(made == NINODE + 1, "%d nested directories, not NINODE + 1", made);
    for (int i = 0; i < made; i++)
        CHECK(chdir("..") == 0 && unlink("irefd") == 0, "remove nested directory %d", i);
    CHECK(chdir("/") == 0, "chdir /");

    struct stat st;
    CHECK(stat("/", &st) == 0 && st.dev == ROOTDEV && st.ino == ROOTINO, "dev %d ino %d", st.dev, st.ino);
    CHECK(hartid() >= 0 && hartid() < NCPU, "hart %d below NCPU", hartid());
    CHECK(MAXARG == 32 && MAXOPBLOCKS == 10, "MAXARG, MAXOPBLOCKS");
}

static void syscall_numbers(void)
{
    CHECK(SYS_fork == 1 && SYS_exit == 2 && SYS_exec == 7 && SYS_open == 15 && SYS_close == 21, "classic numbers");
    CHECK(SYS_sleep == SYS_pause, "SYS_sleep is pause");
    CHECK(raw_syscall(SYS_getpid) == getpid(), "SYS_getpid");
    /* uptime moves on its own: the raw call's value lies between two
     * ordinary calls around it, however many ticks pass meanwhile */
    long t0 = uptime(), t = raw_syscall(SYS_uptime), t1 = uptime();
    CHECK(t0 <= t && t <= t1, "SYS_uptime %ld, between %ld and %ld", t, t0, t1);
}

int main(void)
{
    test_begin("xv6_headers");
    pages_and_addresses();
    physical_memory();
    classic_units();
    limits();
    syscall_numbers();
    return test_end();
}
