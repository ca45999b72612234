/* exec: arguments arrive intact, the image is replaced (pid kept, memory
 * of the old image gone), and failed execs (missing file, bad pointers,
 * not an ELF, segments the kernel must refuse) return -1 leaving the
 * caller running and nothing leaked.
 *
 * The ELF variants are built from this very program: it reads its own
 * file, patches a copy and execs that in a child. When such an exec
 * works, the copy runs this program again in a "probe" mode (argv[1])
 * that checks what the kernel set up and exits with PROBE_OK.
 *
 * The stack note (include/rvos/exec.h) is patched the same way: exec must
 * map exactly the pages it asks for, with the guard page right below, and
 * refuse a note that is malformed or asks for too few or too many. */
#include "testlib.h"
#include "rvos/exec.h"

/* The parts of ELF64 (System V gABI: "ELF Header", "Program Header") the
 * variants patch. */
#define E_PHOFF 32 /* offsets of fields in the ELF header */
#define E_PHNUM 56
#define PT_LOAD 1
#define PT_NOTE 4
#define PF_X 1
#define PF_W 2
#define PF_R 4
struct elf_phdr {
    uint32 type, flags;
    uint64 offset, vaddr, paddr, filesz, memsz, align;
};

/* The kernel's limit on arguments, argv[0] included (kernel/exec.h). */
#define MAXARG 32

/* PT_LOAD segments exec accepts (kernel/exec.c, EXEC_MAX_LOADS). */
#define MAX_LOADS 16
/* Where the segment-count variants add segments: one page each, far above
 * this program's own, with an unmapped page between them. */
#define EXTRA_BASE 0x1000000UL
#define EXTRA_STRIDE 0x2000UL

/* Exit statuses of the children that exec the variants. */
#define PROBE_OK 42      /* the exec worked and the image was as expected */
#define EXEC_REFUSED 100 /* exec returned -1, free frames unchanged */
#define EXEC_LEAKED 101  /* exec returned -1 but frames went missing */

/* Written by the probe, so that the data segment takes a store: with a
 * write-only segment that store used to fault for ever. */
static volatile int probe_word;

static int probe(void)
{
    probe_word = PROBE_OK;
    return probe_word;
}

/* argv[i] for i >= 2 in the many-arguments probe. */
static void arg_text(char *buf, int i) { snprintf(buf, 8, "a%d", i); }

/* Probe mode "maxargs": all MAXARG arguments arrived, in order. */
static int probe_maxargs(int argc, char **argv)
{
    if (argc != MAXARG || argv[MAXARG] != 0)
        return 1;
    for (int i = 2; i < argc; i++) {
        char want[8];
        arg_text(want, i);
        if (strcmp(argv[i], want) != 0)
            return 2;
    }
    return PROBE_OK;
}

/* Probe mode "segments N": the N added segments are mapped, zeroed and
 * writable. */
static int probe_segments(int argc, char **argv)
{
    if (argc != 3)
        return 1;
    int n = atoi(argv[2]);
    for (int k = 0; k < n; k++) {
        volatile char *page = (volatile char *)(EXTRA_BASE + (uint64)k * EXTRA_STRIDE);
        if (page[0] != 0 || page[4095] != 0)
            return 2;
        page[0] = (char)(k + 1);
        page[4095] = (char)(k + 1);
        if (page[0] != (char)(k + 1) || page[4095] != (char)(k + 1))
            return 3;
    }
    return PROBE_OK;
}

static uint64 stack_pointer(void)
{
    uint64 sp;
    __asm__ volatile("mv %0, sp" : "=r"(sp));
    return sp;
}

static int read_below(long addr)
{
    (void)*(volatile char *)addr;
    return 0;
}

/* Probe mode "stack N": the stack is N pages with the guard page below.
 * The stack pointer is still in the top page here, so its lowest page is
 * N - 1 pages further down; a read there works, one page lower kills the
 * reader. */
static int probe_stack(int argc, char **argv)
{
    if (argc != 3)
        return 1;
    long n = atoi(argv[2]);
    uint64 lowest = (stack_pointer() & ~4095UL) - (uint64)(n - 1) * 4096;
    if (wait_status(spawn(read_below, (long)lowest)) != 0)
        return 2;
    if (wait_status(spawn(read_below, (long)(lowest - 1))) != -1)
        return 3;
    return PROBE_OK;
}

/* This program's file, and the copy being patched. */
static char image[160 * 1024], copy[160 * 1024];
static int image_len;

static uint64 phoff(const char *img)
{
    uint64 off;
    memcpy(&off, img + E_PHOFF, sizeof off);
    return off;
}

static struct elf_phdr phdr_get(const char *img, int i)
{
    struct elf_phdr ph;
    memcpy(&ph, img + phoff(img) + (uint64)i * sizeof ph, sizeof ph);
    return ph;
}

static void phdr_put(char *img, int i, const struct elf_phdr *ph)
{
    memcpy(img + phoff(img) + (uint64)i * sizeof *ph, ph, sizeof *ph);
}

static int phnum(const char *img)
{
    uint16 n;
    memcpy(&n, img + E_PHNUM, sizeof n);
    return n;
}

/* The index of the first PT_LOAD header whose flags are exactly flags. */
static int find_load(const char *img, uint32 flags)
{
    for (int i = 0; i < phnum(img); i++) {
        struct elf_phdr ph = phdr_get(img, i);
        if (ph.type == PT_LOAD && ph.flags == flags)
            return i;
    }
    return -1;
}

static int write_file(const char *path, const char *buf, int len)
{
    int fd = open(path, O_WRONLY | O_CREATE | O_TRUNC);
    if (fd < 0)
        return -1;
    int n = write(fd, buf, len);
    close(fd);
    return n == len ? 0 : -1;
}

/* Execs path with argv in a child. Returns the child's exit status:
 * EXEC_REFUSED or EXEC_LEAKED when exec failed, else whatever the new
 * image exited with (PROBE_OK from a probe mode that found all well). */
static int exec_argv_in_child(const char *path, char **argv)
{
    int pid = fork();
    if (pid == 0) {
        /* The first call may break COW on the stack pages its frame and
         * memstat's buffer lie in (one more frame, taken after the count,
         * unless the parent wrote those pages first: a race). The second
         * finds them private and counts what exec is measured against. */
        free_frames();
        unsigned long before = free_frames();
        exec(path, argv);
        exit(free_frames() == before ? EXEC_REFUSED : EXEC_LEAKED);
    }
    return wait_status(pid);
}

static int exec_in_child(const char *path, const char *mode)
{
    char *argv[] = {(char *)path, (char *)mode, 0};
    return exec_argv_in_child(path, argv);
}

/* Writes copy[0, len) to a file and execs it in a child in probe mode. */
static int exec_copy(int len)
{
    if (write_file("/elf_copy", copy, len) < 0)
        return -1;
    int st = exec_in_child("/elf_copy", "probe");
    unlink("/elf_copy");
    return st;
}

static void load_image(void)
{
    int fd = open("/tests/exec_args", O_RDONLY), n;
    image_len = 0;
    while (fd >= 0 && image_len < (int)sizeof image && (n = read(fd, image + image_len, sizeof image - image_len)) > 0)
        image_len += n;
    close(fd);
    CHECK(fd >= 0 && image_len > 64 && image_len < (int)sizeof image, "read our own image (%d bytes)", image_len);
    /* The control: an unchanged copy must run, or the failures below
     * would prove nothing. */
    memcpy(copy, image, image_len);
    CHECK(exec_copy(image_len) == PROBE_OK, "an unchanged copy of our image did not run");
}

static void corrupt_headers(void)
{
    struct {
        const char *what;
        int len;      /* bytes of the copy to keep */
        int patch_at; /* -1: none */
        char patch;
    } bad[] = {
        {"bad magic", image_len, 1, 'X'},
        {"32-bit class", image_len, 4, 1},
        {"wrong machine", image_len, 18, 3},
        {"program headers past the end", image_len, E_PHOFF + 3, 0x7f},
        {"truncated in its text", 0x1800, -1, 0},
        {"truncated to its header", 64, -1, 0},
        {"empty", 0, -1, 0},
    };
    for (unsigned i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        memcpy(copy, image, image_len);
        if (bad[i].patch_at >= 0)
            copy[bad[i].patch_at] = bad[i].patch;
        int st = exec_copy(bad[i].len);
        CHECK(st == EXEC_REFUSED, "exec of a %s ELF: child status %d", bad[i].what, st);
    }
}

/* The offset in img of the stack note's first word (its namesz), or -1. */
static long stack_note(const char *img)
{
    for (int i = 0; i < phnum(img); i++) {
        struct elf_phdr ph = phdr_get(img, i);
        uint32 word[3];
        memcpy(word, img + ph.offset, sizeof word);
        if (ph.type == PT_NOTE && word[0] == 5 && word[2] == RVOS_NT_STACK &&
            memcmp(img + ph.offset + 12, RVOS_NOTE_OWNER, 5) == 0)
            return (long)ph.offset;
    }
    return -1;
}

/* Writes copy (this program with its stack note's words at 0, 4, 8 and
 * 20 bytes set to namesz, descsz, type and pages) to /elf_stack, execs it
 * in a child with argv and returns the child's status. */
static int exec_with_note(uint32 namesz, uint32 descsz, uint32 type, uint32 pages, char **argv)
{
    memcpy(copy, image, image_len);
    long at = stack_note(copy);
    CHECK(at >= 0, "no stack note in our own image");
    if (at < 0)
        return -1;
    uint32 word[4] = {namesz, descsz, type, pages};
    memcpy(copy + at, word, 3 * sizeof(uint32));
    memcpy(copy + at + 20, &word[3], sizeof(uint32));
    if (write_file("/elf_stack", copy, image_len) < 0)
        return -1;
    int st = exec_argv_in_child("/elf_stack", argv);
    unlink("/elf_stack");
    return st;
}

static int exec_stack_probe(uint32 type, uint32 pages, int expect_pages)
{
    char n[12];
    snprintf(n, sizeof n, "%d", expect_pages);
    char *argv[] = {"/elf_stack", "stack", n, 0};
    return exec_with_note(5, 4, type, pages, argv);
}

/* The stack pages a program that asked for `asked` may use: exactly that,
 * except that under a lazy allocation policy a request of the default or
 * more reserves RVOS_STACK_PAGES_MAX pages to grow into (docs/mm.md). */
static int stack_expected(int asked)
{
    return alloc_lazy() && asked >= RVOS_STACK_PAGES_DEFAULT ? RVOS_STACK_PAGES_MAX : asked;
}

static void stack_notes(void)
{
    /* rvos's own programs: the default, as the linker script writes it */
    long at = stack_note(image);
    uint32 pages = 0;
    if (at >= 0)
        memcpy(&pages, image + at + 20, sizeof pages);
    CHECK(pages == RVOS_STACK_PAGES_DEFAULT, "our own stack note asks for %u pages", pages);
    CHECK(exec_stack_probe(RVOS_NT_STACK, RVOS_STACK_PAGES_DEFAULT, stack_expected(RVOS_STACK_PAGES_DEFAULT)) ==
              PROBE_OK,
          "the default stack");
    CHECK(exec_stack_probe(RVOS_NT_STACK, 1, 1) == PROBE_OK, "a 1-page stack");
    CHECK(exec_stack_probe(RVOS_NT_STACK, 3, 3) == PROBE_OK, "a 3-page stack");
    CHECK(exec_stack_probe(RVOS_NT_STACK, RVOS_STACK_PAGES_MAX, RVOS_STACK_PAGES_MAX) == PROBE_OK, "the largest stack");
    /* a note of another type is someone else's: the default applies */
    CHECK(exec_stack_probe(7, 3, stack_expected(RVOS_STACK_PAGES_DEFAULT)) == PROBE_OK, "a note of another type");

    char *probe_argv[] = {"/elf_stack", "probe", 0};
    struct {
        const char *what;
        uint32 namesz, descsz, type, pages;
    } bad[] = {
        {"0 stack pages", 5, 4, RVOS_NT_STACK, 0},
        {"too many stack pages", 5, 4, RVOS_NT_STACK, RVOS_STACK_PAGES_MAX + 1},
        {"a stack note of the wrong size", 5, 2, RVOS_NT_STACK, 3},
        {"a note running past its segment", 0x7ffffff0, 4, RVOS_NT_STACK, 3},
    };
    for (unsigned i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        int st = exec_with_note(bad[i].namesz, bad[i].descsz, bad[i].type, bad[i].pages, probe_argv);
        CHECK(st == EXEC_REFUSED, "exec of an ELF with %s: child status %d", bad[i].what, st);
    }

    /* Arguments that fit the 4 KiB exec takes but, with their pointers,
     * not a 1-page stack: refused there, fine with 2 pages. */
    static char big[4][1016];
    char *args[] = {"/elf_stack", "probe", big[0], big[1], big[2], big[3], 0};
    for (int i = 0; i < 4; i++) {
        memset(big[i], 'a' + i, sizeof big[i] - 1);
        big[i][sizeof big[i] - 1] = 0;
    }
    int st = exec_with_note(5, 4, RVOS_NT_STACK, 1, args);
    CHECK(st == EXEC_REFUSED, "arguments larger than a 1-page stack: child status %d", st);
    st = exec_with_note(5, 4, RVOS_NT_STACK, 2, args);
    CHECK(st == PROBE_OK, "the same arguments on a 2-page stack: child status %d", st);
}

/* Exactly MAXARG arguments work (the limit is documented as inclusive);
 * one more is refused with -1. */
static void many_arguments(void)
{
    static char text[MAXARG + 1][8];
    char *args[MAXARG + 2];
    args[0] = "/tests/exec_args";
    args[1] = "maxargs";
    for (int i = 2; i <= MAXARG; i++) {
        arg_text(text[i], i);
        args[i] = text[i];
    }
    args[MAXARG] = 0;
    int st = exec_argv_in_child(args[0], args);
    CHECK(st == PROBE_OK, "exec with exactly %d arguments: child status %d", MAXARG, st);
    args[MAXARG] = text[MAXARG];
    args[MAXARG + 1] = 0;
    st = exec_argv_in_child(args[0], args);
    CHECK(st == EXEC_REFUSED, "exec with %d arguments: child status %d", MAXARG + 1, st);
}

/* Makes copy this program with anonymous one-page PT_LOAD segments added
 * until it has nloads of them, and one unused (PT_NULL) header, which
 * takes no region and must not count. Returns how many it added, or -1
 * if the headers would not fit before the first segment's bytes. */
static int add_segments(int nloads)
{
    memcpy(copy, image, image_len);
    int n = phnum(copy), loads = 0;
    uint64 first_offset = (uint64)image_len;
    for (int i = 0; i < n; i++) {
        struct elf_phdr ph = phdr_get(copy, i);
        if (ph.type == PT_LOAD)
            loads++;
        if (ph.type == PT_LOAD && ph.filesz && ph.offset < first_offset)
            first_offset = ph.offset;
    }
    int extra = nloads - loads;
    uint16 total = (uint16)(n + extra + 1);
    if (extra < 0 || phoff(copy) + total * sizeof(struct elf_phdr) > first_offset)
        return -1;
    for (int k = 0; k < extra; k++) {
        uint64 va = EXTRA_BASE + (uint64)k * EXTRA_STRIDE;
        struct elf_phdr ph = {PT_LOAD, PF_R | PF_W, 0, va, va, 0, 4096, 4096};
        phdr_put(copy, n + k, &ph);
    }
    struct elf_phdr unused;
    memset(&unused, 0, sizeof unused);
    phdr_put(copy, n + extra, &unused);
    memcpy(copy + E_PHNUM, &total, sizeof total);
    return extra;
}

/* As many loadable segments as exec takes: the image runs with all of them
 * mapped. One more: exec fails cleanly (nothing leaks). */
static void segment_count(void)
{
    int extra = add_segments(MAX_LOADS);
    CHECK(extra > 0, "could not add segments (%d)", extra);
    char count[8];
    snprintf(count, sizeof count, "%d", extra);
    char *argv[] = {"/elf_segs", "segments", count, 0};
    CHECK(write_file("/elf_segs", copy, image_len) == 0, "write /elf_segs");
    int st = exec_argv_in_child("/elf_segs", argv);
    CHECK(st == PROBE_OK, "exec with %d loadable segments: child status %d", MAX_LOADS, st);

    extra = add_segments(MAX_LOADS + 1);
    CHECK(extra > 0, "could not add segments (%d)", extra);
    CHECK(write_file("/elf_segs", copy, image_len) == 0, "write /elf_segs");
    st = exec_argv_in_child("/elf_segs", argv);
    CHECK(st == EXEC_REFUSED, "exec with %d loadable segments: child status %d", MAX_LOADS + 1, st);
    unlink("/elf_segs");
}

/* Segments whose permissions the kernel cannot or will not map. */
static void bad_segments(void)
{
    struct {
        const char *what;
        uint32 from, to; /* change the first PT_LOAD with flags `from` to `to` */
    } bad[] = {
        /* W without R is a reserved PTE encoding (privileged spec, Sv39):
         * it must be refused, not mapped and faulted on for ever. */
        {"write-only data", PF_R | PF_W, PF_W},
        {"write-only text", PF_R | PF_X, PF_W},
        {"writable text (W^X)", PF_R | PF_X, PF_R | PF_W | PF_X},
    };
    for (unsigned i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        memcpy(copy, image, image_len);
        int at = find_load(copy, bad[i].from);
        CHECK(at >= 0, "no segment with flags %u to patch", bad[i].from);
        if (at < 0)
            continue;
        struct elf_phdr ph = phdr_get(copy, at);
        ph.flags = bad[i].to;
        phdr_put(copy, at, &ph);
        int st = exec_copy(image_len);
        CHECK(st == EXEC_REFUSED, "exec of an ELF with %s: child status %d", bad[i].what, st);
    }
}

int main(int argc, char **argv)
{
    if (argc >= 2 && strcmp(argv[1], "probe") == 0)
        exit(probe());
    if (argc >= 2 && strcmp(argv[1], "maxargs") == 0)
        exit(probe_maxargs(argc, argv));
    if (argc >= 2 && strcmp(argv[1], "segments") == 0)
        exit(probe_segments(argc, argv));
    if (argc >= 2 && strcmp(argv[1], "stack") == 0)
        exit(probe_stack(argc, argv));
    if (argc >= 2 && strcmp(argv[1], "child") == 0) {
        /* the exec'd image: check what it was given */
        if (argc != 5 || strcmp(argv[2], "one") != 0 || strcmp(argv[3], "") != 0 ||
            strcmp(argv[4], "a longer third argument with spaces") != 0 || argv[5] != 0)
            exit(10);
        exit(getpid() & 0x3f);
    }
    test_begin("exec_args");
    int pid = fork();
    if (pid == 0) {
        char *args[] = {"/tests/exec_args", "child", "one", "", "a longer third argument with spaces", 0};
        exec(args[0], args);
        exit(99);
    }
    CHECK(wait_status(pid) == (pid & 0x3f), "exec'd child status");

    char *none[] = {"nope", 0};
    CHECK(exec("/no/such/file", none) == -1, "exec of a missing file");
    CHECK(exec((char *)0, none) == -1, "exec of a NULL path");
    CHECK(exec("/tests/exec_args", (char **)0x10) == -1, "exec with a bad argv");
    CHECK(exec((char *)0xffffffc080200000UL, none) == -1, "exec of a kernel path pointer");
    char *badarg[] = {"/tests/exec_args", (char *)0x3000000000L, 0};
    CHECK(exec("/tests/exec_args", badarg) == -1, "exec with a bad argument string");
    CHECK(exec("/dev/console", none) == -1, "exec of a device");
    CHECK(exec("/", none) == -1, "exec of a directory");

    load_image();
    corrupt_headers();
    bad_segments();
    many_arguments();
    segment_count();
    stack_notes();

    /* too many arguments */
    char *many[40];
    for (int i = 0; i < 39; i++)
        many[i] = "x";
    many[39] = 0;
    CHECK(exec("/tests/exec_args", many) == -1, "exec with 39 arguments");
    return test_end();
}
