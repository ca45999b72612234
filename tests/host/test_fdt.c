/* Host unit tests for drivers/fdt.c, the flattened device tree parser.
 *
 * Two kinds of input. Fixtures under tests/host/fixtures are written as
 * .dts and compiled by dtc at build time, so they are real blobs laid out
 * the way firmware lays them out; the tests check every field of struct
 * platform against them. Malformed blobs are built here, byte by byte, by
 * a small blob writer, because dtc refuses to produce them.
 *
 * Every blob is copied into a heap buffer of exactly its size, so that
 * AddressSanitizer reports any read past the end the parser was given.
 *
 * Usage: test_fdt [fixture-dir]; the default is the directory the build
 * wrote the .dtb files to. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "drivers/fdt.h"

#ifndef FIXTURE_DIR
#define FIXTURE_DIR "."
#endif

static const char *fixture_dir = FIXTURE_DIR;

/* ------------------------------------------------------------ utilities */

struct blob {
    uint8_t *data;
    uint32_t size;
};

static struct blob load_fixture(const char *name)
{
    struct blob b = {0, 0};
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", fixture_dir, name);
    FILE *f = fopen(path, "rb");
    if (!f) {
        printf("  cannot open %s\n", path);
        return b;
    }
    if (fseek(f, 0, SEEK_END) == 0) {
        long n = ftell(f);
        rewind(f);
        if (n > 0 && (b.data = malloc((size_t)n)) && fread(b.data, 1, (size_t)n, f) == (size_t)n) {
            b.size = (uint32_t)n;
        } else {
            free(b.data);
            b.data = 0;
        }
    }
    fclose(f);
    return b;
}

/* An exact-size heap copy: the parser must not read beyond it. */
static uint8_t *copy_exact(const uint8_t *src, size_t n)
{
    uint8_t *p = malloc(n ? n : 1);
    if (p && n)
        memcpy(p, src, n);
    return p;
}

static uint32_t get_be32(const uint8_t *p)
{
    return ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) | ((uint32_t)p[2] << 8) | p[3];
}

static void put_be32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)(v >> 24);
    p[1] = (uint8_t)(v >> 16);
    p[2] = (uint8_t)(v >> 8);
    p[3] = (uint8_t)v;
}

/* Header field offsets (devicetree specification 5.2). */
enum {
    HDR_MAGIC = 0,
    HDR_TOTALSIZE = 4,
    HDR_OFF_STRUCT = 8,
    HDR_OFF_STRINGS = 12,
    HDR_OFF_RSVMAP = 16,
    HDR_VERSION = 20,
    HDR_LAST_COMP = 24,
    HDR_BOOT_CPUID = 28,
    HDR_SIZE_STRINGS = 32,
    HDR_SIZE_STRUCT = 36,
    HDR_SIZE = 40,
};

enum { TOK_BEGIN_NODE = 1, TOK_END_NODE = 2, TOK_PROP = 3, TOK_NOP = 4, TOK_END = 9 };

static int is_known_code(int rc)
{
    return rc == FDT_OK || rc == FDT_ERR_MAGIC || rc == FDT_ERR_VERSION || rc == FDT_ERR_TRUNCATED ||
           rc == FDT_ERR_STRUCTURE;
}

/* Whatever the input, the parser must leave a platform the kernel can
 * use without overrunning its arrays. */
static int platform_is_sane(const struct platform *pf)
{
    return pf->nmemory >= 0 && pf->nmemory <= FDT_MAX_RANGES && pf->nreserved >= 0 && pf->nreserved <= FDT_MAX_RANGES &&
           pf->nharts >= 0 && pf->nharts <= FDT_MAX_HARTS && memchr(pf->bootargs, 0, sizeof pf->bootargs) != 0;
}

static int all_zero(const void *p, size_t n)
{
    const uint8_t *b = p;
    for (size_t i = 0; i < n; i++)
        if (b[i])
            return 0;
    return 1;
}

/* The entries past the counted ones must be untouched zeroes: the kernel
 * copies whole arrays, and leftovers would be mistaken for data. */
static void check_unused_slots(const struct platform *pf)
{
    CHECK(all_zero(&pf->memory[pf->nmemory], (FDT_MAX_RANGES - (size_t)pf->nmemory) * sizeof pf->memory[0]));
    CHECK(all_zero(&pf->reserved[pf->nreserved], (FDT_MAX_RANGES - (size_t)pf->nreserved) * sizeof pf->reserved[0]));
    CHECK(all_zero(&pf->hartid[pf->nharts], (FDT_MAX_HARTS - (size_t)pf->nharts) * sizeof pf->hartid[0]));
    CHECK(all_zero(&pf->hart_intc[pf->nharts], (FDT_MAX_HARTS - (size_t)pf->nharts) * sizeof pf->hart_intc[0]));
    CHECK(all_zero(&pf->hart_plic_context[pf->nharts],
                   (FDT_MAX_HARTS - (size_t)pf->nharts) * sizeof pf->hart_plic_context[0]));
    CHECK(all_zero(&pf->virtio[pf->nvirtio], (FDT_MAX_VIRTIO - (size_t)pf->nvirtio) * sizeof pf->virtio[0]));
    size_t used = strlen(pf->bootargs) + 1;
    CHECK(all_zero(pf->bootargs + used, sizeof pf->bootargs - used));
}

/* Parses an exact-size copy, with the platform pre-filled with garbage to
 * show that fdt_parse clears it rather than relying on the caller. */
static int parse_copy(const uint8_t *src, uint32_t size, uint64_t limit, struct platform *pf)
{
    uint8_t *b = copy_exact(src, size);
    memset(pf, 0xa5, sizeof *pf);
    int rc = fdt_parse(b, limit, pf);
    free(b);
    return rc;
}

/* ------------------------------------------------------- the blob writer */

/* Builds blobs the way dtc lays them out (header, reservation map,
 * structure block, strings block), but lets a test emit any token stream,
 * valid or not. */
struct builder {
    uint8_t rsv[64 * 16];
    uint32_t nrsv;
    uint8_t st[16384];
    uint32_t nst;
    char str[2048];
    uint32_t nstr;
};

static void b_bytes(struct builder *b, const void *p, uint32_t n)
{
    if (b->nst + n > sizeof b->st) {
        printf("  builder: structure block overflow\n");
        exit(2);
    }
    memcpy(b->st + b->nst, p, n);
    b->nst += n;
}

static void b_pad(struct builder *b)
{
    static const uint8_t zero[4];
    b_bytes(b, zero, (4 - (b->nst & 3)) & 3);
}

static void b_u32(struct builder *b, uint32_t v)
{
    uint8_t c[4];
    put_be32(c, v);
    b_bytes(b, c, 4);
}

/* Offset of name in the strings block, appending it if new. */
static uint32_t b_string(struct builder *b, const char *name)
{
    uint32_t len = (uint32_t)strlen(name) + 1;
    for (uint32_t off = 0; off < b->nstr; off += (uint32_t)strlen(b->str + off) + 1)
        if (strcmp(b->str + off, name) == 0)
            return off;
    if (b->nstr + len > sizeof b->str) {
        printf("  builder: strings block overflow\n");
        exit(2);
    }
    memcpy(b->str + b->nstr, name, len);
    b->nstr += len;
    return b->nstr - len;
}

static void b_begin(struct builder *b, const char *name)
{
    b_u32(b, TOK_BEGIN_NODE);
    b_bytes(b, name, (uint32_t)strlen(name) + 1);
    b_pad(b);
}

static void b_end_node(struct builder *b) { b_u32(b, TOK_END_NODE); }

static void b_prop(struct builder *b, const char *name, const void *val, uint32_t len)
{
    b_u32(b, TOK_PROP);
    b_u32(b, len);
    b_u32(b, b_string(b, name));
    b_bytes(b, val, len);
    b_pad(b);
}

static void b_prop_str(struct builder *b, const char *name, const char *s)
{
    b_prop(b, name, s, (uint32_t)strlen(s) + 1);
}

/* A property of n big-endian cells. */
static void b_prop_cells(struct builder *b, const char *name, int n, ...)
{
    uint8_t buf[64 * 4];
    va_list ap;
    va_start(ap, n);
    for (int i = 0; i < n; i++)
        put_be32(buf + 4 * i, va_arg(ap, uint32_t));
    va_end(ap);
    b_prop(b, name, buf, (uint32_t)(4 * n));
}

static void b_rsv(struct builder *b, uint64_t base, uint64_t size)
{
    uint8_t *e = b->rsv + 16 * b->nrsv++;
    put_be32(e, (uint32_t)(base >> 32));
    put_be32(e + 4, (uint32_t)base);
    put_be32(e + 8, (uint32_t)(size >> 32));
    put_be32(e + 12, (uint32_t)size);
}

/* Lays the blob out in a fresh exact-size heap buffer. The specification
 * does not fix the order of the blocks; dtc puts the strings last, and
 * struct_last swaps them, so that the structure block ends the buffer and
 * nothing follows it to soak up a read that runs off its end. */
static uint8_t *b_layout(struct builder *b, uint32_t *size_out, int struct_last)
{
    uint32_t off_rsv = HDR_SIZE;
    uint32_t after_rsv = off_rsv + 16 * (b->nrsv + 1); /* + the terminating entry */
    uint32_t off_struct = struct_last ? after_rsv + b->nstr : after_rsv;
    uint32_t off_strings = struct_last ? after_rsv : after_rsv + b->nst;
    uint32_t total = after_rsv + b->nst + b->nstr;
    uint8_t *p = calloc(1, total);
    put_be32(p + HDR_MAGIC, 0xd00dfeed);
    put_be32(p + HDR_TOTALSIZE, total);
    put_be32(p + HDR_OFF_STRUCT, off_struct);
    put_be32(p + HDR_OFF_STRINGS, off_strings);
    put_be32(p + HDR_OFF_RSVMAP, off_rsv);
    put_be32(p + HDR_VERSION, 17);
    put_be32(p + HDR_LAST_COMP, 16);
    put_be32(p + HDR_BOOT_CPUID, 0);
    put_be32(p + HDR_SIZE_STRINGS, b->nstr);
    put_be32(p + HDR_SIZE_STRUCT, b->nst);
    memcpy(p + off_rsv, b->rsv, 16 * b->nrsv);
    memcpy(p + off_struct, b->st, b->nst);
    memcpy(p + off_strings, b->str, b->nstr);
    *size_out = total;
    return p;
}

static uint8_t *b_finish(struct builder *b, uint32_t *size_out) { return b_layout(b, size_out, 0); }

/* The smallest interesting tree: a root with 2/2 cells and one memory
 * node. Left open (no END_NODE for the root, no END) for callers that
 * add more. */
static void b_small_tree(struct builder *b)
{
    memset(b, 0, sizeof *b);
    b_begin(b, "");
    b_prop_cells(b, "#address-cells", 1, 2);
    b_prop_cells(b, "#size-cells", 1, 2);
    b_begin(b, "memory@80000000");
    b_prop_str(b, "device_type", "memory");
    b_prop_cells(b, "reg", 4, 0, 0x80000000, 0, 0x1000000);
    b_end_node(b);
}

static int build_and_parse(struct builder *b, struct platform *pf)
{
    uint32_t n;
    uint8_t *p = b_finish(b, &n);
    memset(pf, 0xa5, sizeof *pf);
    int rc = fdt_parse(p, n, pf);
    free(p);
    return rc;
}

/* -------------------------------------------------------------- fixtures */

static void check_virt_common(const struct blob *bl, const struct platform *pf)
{
    CHECK_EQ(pf->nmemory, 1);
    CHECK_EQ(pf->memory[0].base, 0x80000000);
    CHECK_EQ(pf->memory[0].size, 0x8000000);

    /* dtc writes an empty reservation map: the one entry is OpenSBI's. */
    CHECK_EQ(pf->nreserved, 1);
    CHECK_EQ(pf->reserved[0].base, 0x80000000);
    CHECK_EQ(pf->reserved[0].size, 0x40000);

    CHECK_EQ(pf->nharts, 4);
    static const uint32_t intc[4] = {0x8, 0x6, 0x4, 0x2}; /* phandles in virt.dts */
    for (int i = 0; i < 4; i++) {
        CHECK_EQ(pf->hartid[i], i);
        CHECK_EQ(pf->hart_intc[i], intc[i]);
        /* Context 2i is hart i's M mode, 2i+1 its S mode. */
        CHECK_EQ_INT(pf->hart_plic_context[i], 2 * i + 1);
    }
    CHECK_EQ(pf->timebase_hz, 10000000);

    CHECK_EQ(pf->uart_base, 0x10000000);
    CHECK_EQ(pf->uart_irq, 10);
    CHECK_EQ(pf->plic_base, 0xc000000);
    CHECK_EQ(pf->plic_size, 0x600000);
    CHECK_EQ(pf->plic_ndev, 0x60);
    CHECK_EQ(pf->finisher_base, 0x100000);

    CHECK(strcmp(pf->bootargs, "init=/tests/x mm.fork=copy") == 0);
    CHECK_EQ(pf->blob_size, bl->size);
    check_unused_slots(pf);
}

static void test_virt32(void *unused)
{
    (void)unused;
    struct blob bl = load_fixture("virt.dtb");
    struct platform pf;
    if (CHECK(bl.data)) {
        CHECK_EQ(fdt_total_size(bl.data), bl.size);
        CHECK_EQ_INT(parse_copy(bl.data, bl.size, bl.size, &pf), FDT_OK);
        check_virt_common(&bl, &pf);
        /* The fixture keeps one of QEMU's eight virtio-mmio slots. */
        CHECK_EQ_INT(pf.nvirtio, 1);
        CHECK_EQ(pf.virtio[0].base, 0x10001000);
        CHECK_EQ(pf.virtio[0].size, 0x1000);
        CHECK_EQ(pf.virtio[0].irq, 1);
        CHECK_EQ(pf.initrd_start, 0x88000000);
        CHECK_EQ(pf.initrd_end, 0x88200000);

        /* The kernel passes fdt_total_size() as the limit, but a larger
         * limit (the blob inside a bigger buffer) must parse the same. */
        uint8_t *big = calloc(1, bl.size + 4096);
        memcpy(big, bl.data, bl.size);
        struct platform pf2;
        CHECK_EQ_INT(fdt_parse(big, bl.size + 4096, &pf2), FDT_OK);
        CHECK(memcmp(&pf, &pf2, sizeof pf) == 0);
        free(big);
    }
    free(bl.data);
}

static void test_virt64(void *unused)
{
    (void)unused;
    struct blob bl = load_fixture("virt64.dtb");
    struct platform pf;
    if (CHECK(bl.data)) {
        CHECK_EQ_INT(parse_copy(bl.data, bl.size, bl.size, &pf), FDT_OK);
        check_virt_common(&bl, &pf);
        CHECK_EQ(pf.initrd_start, 0x100800000);
        CHECK_EQ(pf.initrd_end, 0x100a3f000);
    }
    free(bl.data);
}

static void test_reordered(void *unused)
{
    (void)unused;
    struct blob bl = load_fixture("reordered.dtb");
    struct platform pf;
    if (CHECK(bl.data) && CHECK_EQ_INT(parse_copy(bl.data, bl.size, bl.size, &pf), FDT_OK)) {
        /* Tree order, reg entries of one node in order. */
        CHECK_EQ(pf.nmemory, 3);
        CHECK_EQ(pf.memory[0].base, 0x100000000);
        CHECK_EQ(pf.memory[0].size, 0x40000000);
        CHECK_EQ(pf.memory[1].base, 0x80000000);
        CHECK_EQ(pf.memory[1].size, 0x10000000);
        CHECK_EQ(pf.memory[2].base, 0xa0000000);
        CHECK_EQ(pf.memory[2].size, 0x2000000);

        /* /reserved-memory has one address and one size cell here. */
        CHECK_EQ(pf.nreserved, 3);
        CHECK_EQ(pf.reserved[0].base, 0x80000000);
        CHECK_EQ(pf.reserved[0].size, 0x80000);
        CHECK_EQ(pf.reserved[1].base, 0x90000000);
        CHECK_EQ(pf.reserved[1].size, 0x1000);
        CHECK_EQ(pf.reserved[2].base, 0x90100000);
        CHECK_EQ(pf.reserved[2].size, 0x2000);

        /* cpu@1 is disabled and must not appear; the others keep tree
         * order, each with its own intc and context. Hart 0 has no S-mode
         * context at all. */
        CHECK_EQ(pf.nharts, 3);
        CHECK_EQ(pf.hartid[0], 3);
        CHECK_EQ(pf.hartid[1], 0);
        CHECK_EQ(pf.hartid[2], 2);
        CHECK_EQ(pf.hart_intc[0], 0x33);
        CHECK_EQ(pf.hart_intc[1], 0x30);
        CHECK_EQ(pf.hart_intc[2], 0x32);
        CHECK_EQ_INT(pf.hart_plic_context[0], 6);
        CHECK_EQ_INT(pf.hart_plic_context[1], -1);
        CHECK_EQ_INT(pf.hart_plic_context[2], 4);
        /* Sstc: named in cpu@3's riscv,isa; cpu@0 has no riscv,isa; cpu@2
         * names only a longer extension that starts the same way. */
        CHECK_EQ(pf.hart_sstc[0], 1);
        CHECK_EQ(pf.hart_sstc[1], 0);
        CHECK_EQ(pf.hart_sstc[2], 0);
        for (int i = 0; i < pf.nharts; i++)
            CHECK(pf.hartid[i] != 1);
        CHECK_EQ(pf.timebase_hz, 1000000000);

        CHECK_EQ(pf.uart_base, 0x3000000); /* the first compatible uart */
        CHECK_EQ(pf.uart_irq, 0x2a);
        CHECK_EQ(pf.plic_base, 0xc000000);
        CHECK_EQ(pf.plic_size, 0x4000000);
        CHECK_EQ(pf.plic_ndev, 0x35);
        CHECK_EQ(pf.finisher_base, 0x4000000);

        /* No /chosen at all. */
        CHECK_EQ(pf.initrd_start, 0);
        CHECK_EQ(pf.initrd_end, 0);
        CHECK_EQ(pf.bootargs[0], 0);
        CHECK_EQ(pf.blob_size, bl.size);
        check_unused_slots(&pf);
    }
    free(bl.data);
}

static void test_memreserve(void *unused)
{
    (void)unused;
    struct blob bl = load_fixture("memreserve.dtb");
    struct platform pf;
    if (CHECK(bl.data) && CHECK_EQ_INT(parse_copy(bl.data, bl.size, bl.size, &pf), FDT_OK)) {
        CHECK_EQ(pf.nmemory, 1);
        CHECK_EQ(pf.memory[0].base, 0x80000000);
        CHECK_EQ(pf.memory[0].size, 0x8000000);

        /* The header's map comes first, then /reserved-memory. */
        CHECK_EQ(pf.nreserved, 3);
        CHECK_EQ(pf.reserved[0].base, 0x80000000);
        CHECK_EQ(pf.reserved[0].size, 0x20000);
        CHECK_EQ(pf.reserved[1].base, 0x87f00000);
        CHECK_EQ(pf.reserved[1].size, 0x100000);
        CHECK_EQ(pf.reserved[2].base, 0x80200000);
        CHECK_EQ(pf.reserved[2].size, 0x10000);

        /* 1,100 characters of bootargs: truncated, still terminated,
         * and said so (the kernel refuses to boot on a cut line). */
        CHECK_EQ(strlen(pf.bootargs), FDT_BOOTARGS_MAX - 1);
        CHECK_EQ(pf.bootargs_cut, 1);
        int pattern_ok = 1;
        for (int i = 0; i < FDT_BOOTARGS_MAX - 1; i++)
            pattern_ok &= pf.bootargs[i] == '0' + i % 10;
        CHECK(pattern_ok);

        /* Nothing else is described. */
        CHECK_EQ(pf.nharts, 0);
        CHECK_EQ(pf.timebase_hz, 0);
        CHECK_EQ(pf.uart_base, 0);
        CHECK_EQ(pf.plic_base, 0);
        CHECK_EQ(pf.finisher_base, 0);
        check_unused_slots(&pf);
    }
    free(bl.data);
}

/* ---------------------------------------------------------------- header */

static void test_header(void *unused)
{
    (void)unused;
    struct blob bl = load_fixture("virt.dtb");
    struct platform pf;
    if (!CHECK(bl.data))
        return;
    uint8_t *b = copy_exact(bl.data, bl.size);

    CHECK_EQ(fdt_total_size(b), bl.size);
    b[0] ^= 0xff;
    CHECK_EQ(fdt_total_size(b), 0);
    CHECK_EQ_INT(fdt_parse(b, bl.size, &pf), FDT_ERR_MAGIC);
    b[0] ^= 0xff;
    /* Little-endian magic, as a blob written by a confused tool would have. */
    put_be32(b, 0xedfe0dd0);
    CHECK_EQ_INT(fdt_parse(b, bl.size, &pf), FDT_ERR_MAGIC);
    put_be32(b, 0xd00dfeed);
    CHECK_EQ_INT(fdt_parse(b, bl.size, &pf), FDT_OK);

    /* Too short even for a header. */
    CHECK_EQ_INT(fdt_parse(b, 0, &pf), FDT_ERR_MAGIC);
    CHECK_EQ_INT(fdt_parse(b, HDR_SIZE - 1, &pf), FDT_ERR_MAGIC);

    /* Every limit below totalsize is a truncated blob, whether or not
     * the cut falls inside something the parser would read. Each is an
     * exact-size prefix, so a read past the limit is an ASan error. */
    int all_truncated = 1;
    for (uint32_t lim = HDR_SIZE; lim < bl.size; lim++) {
        uint8_t *prefix = copy_exact(bl.data, lim);
        all_truncated &= fdt_parse(prefix, lim, &pf) == FDT_ERR_TRUNCATED;
        free(prefix);
    }
    CHECK(all_truncated);

    /* Each header offset or size pointing outside the blob. */
    static const struct {
        int field;
        int past; /* 1: set to totalsize + 1; 0: set to 0xffffffff */
    } bad[] = {
        {HDR_OFF_STRUCT, 1},   {HDR_OFF_STRINGS, 1}, {HDR_OFF_RSVMAP, 1},  {HDR_SIZE_STRUCT, 1},
        {HDR_SIZE_STRINGS, 1}, {HDR_OFF_STRUCT, 0},  {HDR_SIZE_STRUCT, 0}, {HDR_SIZE_STRINGS, 0},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        uint8_t *c = copy_exact(bl.data, bl.size);
        put_be32(c + bad[i].field, bad[i].past ? bl.size + 1 : 0xffffffff);
        char what[64];
        snprintf(what, sizeof what, "header field at %d out of range", bad[i].field);
        check_record(fdt_parse(c, bl.size, &pf) == FDT_ERR_TRUNCATED, __FILE__, __LINE__, what);
        free(c);
    }
    /* A totalsize larger than the buffer: the limit wins. */
    put_be32(b + HDR_TOTALSIZE, bl.size + 1);
    CHECK_EQ_INT(fdt_parse(b, bl.size, &pf), FDT_ERR_TRUNCATED);
    put_be32(b + HDR_TOTALSIZE, bl.size);

    /* Version 17 is what dtc writes; a blob whose oldest compatible
     * version is newer than 17 cannot be read. */
    CHECK_EQ(get_be32(b + HDR_VERSION), 17);
    CHECK_EQ(get_be32(b + HDR_LAST_COMP), 16);
    put_be32(b + HDR_LAST_COMP, 17);
    CHECK_EQ_INT(fdt_parse(b, bl.size, &pf), FDT_OK);
    put_be32(b + HDR_VERSION, 16);
    put_be32(b + HDR_LAST_COMP, 18);
    CHECK_EQ_INT(fdt_parse(b, bl.size, &pf), FDT_ERR_VERSION);

    free(b);
    free(bl.data);
}

/* ------------------------------------------------- malformed structures */

static void test_structure(void *unused)
{
    (void)unused;
    struct builder *b = malloc(sizeof *b);
    struct platform pf, ref;

    /* The small tree as a whole blob parses. */
    b_small_tree(b);
    b_end_node(b);
    b_u32(b, TOK_END);
    CHECK_EQ_INT(build_and_parse(b, &ref), FDT_OK);
    CHECK_EQ(ref.nmemory, 1);
    CHECK_EQ(ref.memory[0].size, 0x1000000);

    /* NOPs anywhere between tokens change nothing (5.4.1). */
    memset(b, 0, sizeof *b);
    b_u32(b, TOK_NOP);
    b_begin(b, "");
    b_u32(b, TOK_NOP);
    b_prop_cells(b, "#address-cells", 1, 2);
    b_prop_cells(b, "#size-cells", 1, 2);
    b_begin(b, "memory@80000000");
    b_u32(b, TOK_NOP);
    b_prop_str(b, "device_type", "memory");
    b_prop_cells(b, "reg", 4, 0, 0x80000000, 0, 0x1000000);
    b_u32(b, TOK_NOP);
    b_end_node(b);
    b_u32(b, TOK_NOP);
    b_end_node(b);
    b_u32(b, TOK_NOP);
    b_u32(b, TOK_END);
    CHECK_EQ_INT(build_and_parse(b, &pf), FDT_OK);
    pf.blob_size = ref.blob_size; /* the NOPs make the blob longer */
    CHECK(memcmp(&pf, &ref, sizeof pf) == 0);

    /* Nesting: 16 levels is the parser's documented depth, 17 is not. */
    for (int depth = 16; depth <= 17; depth++) {
        memset(b, 0, sizeof *b);
        for (int i = 0; i < depth; i++)
            b_begin(b, i ? "n" : "");
        for (int i = 0; i < depth; i++)
            b_end_node(b);
        b_u32(b, TOK_END);
        CHECK_EQ_INT(build_and_parse(b, &pf), depth == 16 ? FDT_OK : FDT_ERR_STRUCTURE);
    }

    /* A property outside any node. */
    memset(b, 0, sizeof *b);
    b_prop_cells(b, "#address-cells", 1, 2);
    b_begin(b, "");
    b_end_node(b);
    b_u32(b, TOK_END);
    CHECK_EQ_INT(build_and_parse(b, &pf), FDT_ERR_STRUCTURE);

    /* More END_NODEs than BEGIN_NODEs. */
    b_small_tree(b);
    b_end_node(b);
    b_end_node(b);
    b_u32(b, TOK_END);
    CHECK_EQ_INT(build_and_parse(b, &pf), FDT_ERR_STRUCTURE);

    /* END while the root is still open. */
    b_small_tree(b);
    b_u32(b, TOK_END);
    CHECK_EQ_INT(build_and_parse(b, &pf), FDT_ERR_STRUCTURE);

    /* A token that does not exist (and 0, which is what a wrong offset
     * into zero padding yields). */
    static const uint32_t bogus[] = {0, 5, 8, 10, 0x01000000, 0xffffffff};
    for (size_t i = 0; i < sizeof bogus / sizeof bogus[0]; i++) {
        b_small_tree(b);
        b_u32(b, bogus[i]);
        b_end_node(b);
        b_u32(b, TOK_END);
        CHECK_EQ_INT(build_and_parse(b, &pf), FDT_ERR_STRUCTURE);
    }

    /* The structure block ends without END. */
    b_small_tree(b);
    b_end_node(b);
    CHECK_EQ_INT(build_and_parse(b, &pf), FDT_ERR_TRUNCATED);

    /* A node name that runs to the end of the structure block. */
    b_small_tree(b);
    b_u32(b, TOK_BEGIN_NODE);
    b_bytes(b, "abcdefgh", 8);
    CHECK_EQ_INT(build_and_parse(b, &pf), FDT_ERR_TRUNCATED);

    /* A PROP token with no room for its length and name offset. */
    b_small_tree(b);
    b_u32(b, TOK_PROP);
    b_u32(b, 0);
    CHECK_EQ_INT(build_and_parse(b, &pf), FDT_ERR_STRUCTURE);

    /* A property longer than what is left of the structure block, with
     * lengths near 2^32 that would wrap a careless bounds check. */
    static const uint32_t lens[] = {64, 0x7fffffff, 0xfffffffc, 0xfffffffd, 0xffffffff};
    for (size_t i = 0; i < sizeof lens / sizeof lens[0]; i++) {
        b_small_tree(b);
        b_u32(b, TOK_PROP);
        b_u32(b, lens[i]);
        b_u32(b, b_string(b, "reg"));
        b_u32(b, 0);
        b_end_node(b);
        b_u32(b, TOK_END);
        CHECK_EQ_INT(build_and_parse(b, &pf), FDT_ERR_TRUNCATED);
    }

    /* A name offset at or past the end of the strings block. */
    b_small_tree(b);
    uint32_t past = b->nstr;
    b_u32(b, TOK_PROP);
    b_u32(b, 4);
    b_u32(b, past);
    b_u32(b, 0);
    b_end_node(b);
    b_u32(b, TOK_END);
    CHECK_EQ_INT(build_and_parse(b, &pf), FDT_ERR_TRUNCATED);

    /* The structure block last, ending in a property whose length runs
     * 1 to 8 bytes past it: bootargs would be copied, and a 64-bit
     * timebase read, from beyond the buffer if the length were trusted. */
    static const char *const names[] = {"bootargs", "timebase-frequency"};
    static const char *const parents[] = {"chosen", "cpus"};
    int over_ok = 1;
    for (int k = 0; k < 2; k++) {
        for (uint32_t extra = 1; extra <= 8; extra++) {
            memset(b, 0, sizeof *b);
            b_begin(b, "");
            b_begin(b, parents[k]);
            b_u32(b, TOK_PROP);
            b_u32(b, 4 + extra); /* 4 bytes are really there */
            b_u32(b, b_string(b, names[k]));
            b_bytes(b, "abcd", 4);
            uint32_t n;
            uint8_t *p = b_layout(b, &n, 1);
            check_note("%s with %u bytes missing", names[k], extra);
            over_ok &= fdt_parse(p, n, &pf) == FDT_ERR_TRUNCATED;
            free(p);
        }
    }
    CHECK(over_ok);

    free(b);
}

/* Property names live in the strings block, and only their offset is
 * checked against its size. A name whose terminating NUL is missing (a
 * corrupted last byte) must not be read beyond the blob. The names are
 * chosen as prefixes of names the parser compares against, which makes
 * the comparison run on to the end of the buffer. */
static void test_strings_end(void *unused)
{
    (void)unused;
    static const char *const names[] = {"interrupts", "linux,initrd-", "#address-", "riscv,", "timebase"};
    struct builder *b = malloc(sizeof *b);
    struct platform pf;
    for (size_t k = 0; k < sizeof names / sizeof names[0]; k++) {
        memset(b, 0, sizeof *b);
        b_begin(b, "");
        b_begin(b, "chosen");
        b_prop_cells(b, names[k], 1, 0x1234);
        b_end_node(b);
        b_end_node(b);
        b_u32(b, TOK_END);
        uint32_t n;
        uint8_t *p = b_finish(b, &n);
        p[n - 1] = (uint8_t)(k == 0 ? '-' : 'x'); /* the last string's NUL */
        check_note("property name \"%s\" unterminated at the end of the blob", names[k]);
        int rc = fdt_parse(p, n, &pf);
        char what[128];
        snprintf(what, sizeof what, "unterminated name \"%s...\" parsed without reading past the blob", names[k]);
        check_record(is_known_code(rc), __FILE__, __LINE__, what);
        free(p);
    }
    free(b);
}

/* Inputs that are well-formed as blobs but odd as device trees: nothing
 * may overflow struct platform, and nonsense is ignored, not trusted. */
static void test_odd_trees(void *unused)
{
    (void)unused;
    struct builder *b = malloc(sizeof *b);
    struct platform pf;

    /* More reservations than FDT_MAX_RANGES, from both sources. */
    memset(b, 0, sizeof *b);
    for (int i = 0; i < 20; i++)
        b_rsv(b, 0x80000000 + 0x10000 * (uint64_t)i, 0x1000);
    b_begin(b, "");
    b_begin(b, "reserved-memory");
    b_prop_cells(b, "#address-cells", 1, 1);
    b_prop_cells(b, "#size-cells", 1, 1);
    b_begin(b, "r@90000000");
    b_prop_cells(b, "reg", 2, 0x90000000, 0x1000);
    b_end_node(b);
    b_end_node(b);
    b_end_node(b);
    b_u32(b, TOK_END);
    if (CHECK_EQ_INT(build_and_parse(b, &pf), FDT_OK)) {
        CHECK_EQ(pf.nreserved, FDT_MAX_RANGES);
        int in_order = 1;
        for (int i = 0; i < FDT_MAX_RANGES; i++)
            in_order &= pf.reserved[i].base == 0x80000000 + 0x10000 * (uint64_t)i && pf.reserved[i].size == 0x1000;
        CHECK(in_order);
        CHECK(platform_is_sane(&pf));
    }

    /* More memory ranges than FDT_MAX_RANGES in one reg. */
    b_small_tree(b);
    uint8_t reg[20 * 16];
    for (int i = 0; i < 20; i++) {
        put_be32(reg + 16 * i, 0);
        put_be32(reg + 16 * i + 4, 0x80000000 + 0x100000 * (uint32_t)i);
        put_be32(reg + 16 * i + 8, 0);
        put_be32(reg + 16 * i + 12, 0x100000);
    }
    b_begin(b, "memory@c0000000");
    b_prop_str(b, "device_type", "memory");
    b_prop(b, "reg", reg, sizeof reg);
    b_end_node(b);
    b_end_node(b);
    b_u32(b, TOK_END);
    if (CHECK_EQ_INT(build_and_parse(b, &pf), FDT_OK)) {
        CHECK_EQ(pf.nmemory, FDT_MAX_RANGES);
        CHECK(platform_is_sane(&pf));
    }

    /* More enabled cpus than FDT_MAX_HARTS. */
    memset(b, 0, sizeof *b);
    b_begin(b, "");
    b_begin(b, "cpus");
    b_prop_cells(b, "#address-cells", 1, 1);
    b_prop_cells(b, "#size-cells", 1, 0);
    for (uint32_t i = 0; i < FDT_MAX_HARTS + 4; i++) {
        char name[16];
        snprintf(name, sizeof name, "cpu@%u", i);
        b_begin(b, name);
        b_prop_str(b, "device_type", "cpu");
        b_prop_cells(b, "reg", 1, i);
        b_begin(b, "interrupt-controller");
        b_prop_str(b, "compatible", "riscv,cpu-intc");
        b_prop_cells(b, "phandle", 1, 0x100 + i);
        b_end_node(b);
        b_end_node(b);
    }
    b_end_node(b);
    b_end_node(b);
    b_u32(b, TOK_END);
    if (CHECK_EQ_INT(build_and_parse(b, &pf), FDT_OK)) {
        CHECK_EQ(pf.nharts, FDT_MAX_HARTS);
        int ok = 1;
        for (int i = 0; i < FDT_MAX_HARTS; i++)
            ok &= pf.hartid[i] == (uint32_t)i && pf.hart_intc[i] == 0x100 + (uint32_t)i &&
                  pf.hart_plic_context[i] == -1; /* there is no PLIC */
        CHECK(ok);
        CHECK(platform_is_sane(&pf));
    }

    /* Unreadable cell counts and ragged or zero-sized reg entries. */
    memset(b, 0, sizeof *b);
    b_begin(b, "");
    b_prop_cells(b, "#address-cells", 1, 3); /* more than 64 bits: ignored */
    b_prop_cells(b, "#size-cells", 1, 2);
    b_begin(b, "memory@0");
    b_prop_str(b, "device_type", "memory");
    b_prop_cells(b, "reg", 5, 0, 0, 0x1000, 0, 0x1000);
    b_end_node(b);
    b_begin(b, "bus");
    b_prop_cells(b, "#address-cells", 1, 1);
    b_prop_cells(b, "#size-cells", 1, 1);
    b_begin(b, "memory@1000");
    b_prop_str(b, "device_type", "memory");
    /* One whole entry, one of zero size (skipped), half an entry. */
    b_prop_cells(b, "reg", 5, 0x1000, 0x2000, 0x8000, 0, 0x9000);
    b_end_node(b);
    b_end_node(b);
    b_begin(b, "chosen");
    b_prop(b, "linux,initrd-start", "\x01\x02\x03", 3); /* neither 4 nor 8 bytes */
    b_prop_cells(b, "linux,initrd-end", 3, 1, 2, 3);
    b_prop(b, "bootargs", "", 0); /* empty, not even a NUL */
    b_end_node(b);
    b_end_node(b);
    b_u32(b, TOK_END);
    if (CHECK_EQ_INT(build_and_parse(b, &pf), FDT_OK)) {
        CHECK_EQ(pf.nmemory, 1);
        CHECK_EQ(pf.memory[0].base, 0x1000);
        CHECK_EQ(pf.memory[0].size, 0x2000);
        CHECK_EQ(pf.initrd_start, 0);
        CHECK_EQ(pf.initrd_end, 0);
        CHECK_EQ(pf.bootargs[0], 0);
        CHECK(platform_is_sane(&pf));
    }

    /* Properties that only mean something in a particular place are
     * ignored elsewhere: bootargs outside /chosen, timebase-frequency
     * outside /cpus, reserved-memory-style children one level too deep. */
    memset(b, 0, sizeof *b);
    b_begin(b, "");
    b_begin(b, "soc");
    b_prop_str(b, "bootargs", "wrong");
    b_prop_cells(b, "timebase-frequency", 1, 12345);
    b_begin(b, "reserved-memory");
    b_prop_cells(b, "#address-cells", 1, 1);
    b_prop_cells(b, "#size-cells", 1, 1);
    b_begin(b, "r@1000");
    b_prop_cells(b, "reg", 2, 0x1000, 0x1000);
    b_end_node(b);
    b_end_node(b);
    b_end_node(b);
    b_end_node(b);
    b_u32(b, TOK_END);
    if (CHECK_EQ_INT(build_and_parse(b, &pf), FDT_OK)) {
        CHECK_EQ(pf.bootargs[0], 0);
        CHECK_EQ(pf.timebase_hz, 0);
        CHECK_EQ(pf.nreserved, 0);
    }

    free(b);
}

/* -------------------------------------------- corruption of a real blob */

struct fuzz_arg {
    const struct blob *bl;
    int iterations;
};

/* Replaces each structure-block token of the virt fixture in turn with
 * a value that is not a token. The parser must say so, never accept. */
static void corrupt_tokens(void *argp)
{
    const struct blob *bl = ((struct fuzz_arg *)argp)->bl;
    uint32_t off_struct = get_be32(bl->data + HDR_OFF_STRUCT);
    uint32_t size_struct = get_be32(bl->data + HDR_SIZE_STRUCT);
    struct platform pf;

    /* Walk the real token stream to find token positions (not values
     * that merely look like tokens inside properties). */
    int ntokens = 0, all_rejected = 1;
    uint32_t o = off_struct;
    while (o + 4 <= off_struct + size_struct) {
        uint32_t tok = get_be32(bl->data + o);
        uint32_t next = o + 4;
        if (tok == TOK_BEGIN_NODE)
            next += ((uint32_t)strlen((const char *)bl->data + next) + 1 + 3) & ~3U;
        else if (tok == TOK_PROP)
            next += 8 + ((get_be32(bl->data + o + 4) + 3) & ~3U);
        else if (tok != TOK_END_NODE && tok != TOK_NOP)
            break; /* TOK_END */
        uint8_t *c = copy_exact(bl->data, bl->size);
        put_be32(c + o, 0x0000000f);
        check_note("token at offset %u replaced", o);
        int rc = fdt_parse(c, bl->size, &pf);
        free(c);
        all_rejected &= rc == FDT_ERR_STRUCTURE || rc == FDT_ERR_TRUNCATED;
        ntokens++;
        o = next;
    }
    CHECK(ntokens > 100); /* the walk really covered the tree */
    CHECK(all_rejected);

    /* Swapping a BEGIN_NODE's token for END_NODE unbalances the tree;
     * the parser either notices the surplus END_NODE or loses its way in
     * the name bytes. Either way it must reject the blob. */
    uint8_t *c = copy_exact(bl->data, bl->size);
    put_be32(c + off_struct, TOK_END_NODE);
    int rc = fdt_parse(c, bl->size, &pf);
    CHECK(rc == FDT_ERR_STRUCTURE || rc == FDT_ERR_TRUNCATED);
    free(c);
}

/* A small xorshift generator: the same sequence on every run and every
 * host, so a failure reproduces. */
static uint64_t rng_state = 0x9e3779b97f4a7c15ULL;
static uint64_t rng(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return rng_state;
}

/* Single-byte corruptions of the whole blob, header included: every
 * byte once with a random new value, then random (offset, value) pairs.
 * Any return code will do; crashing or reading outside the buffer will
 * not (the child dies and check_in_child reports the last note). */
static void fuzz_bytes(void *argp)
{
    struct fuzz_arg *a = argp;
    const struct blob *bl = a->bl;
    struct platform pf;
    int known = 1, sane = 1, runs = 0;
    uint8_t *c = malloc(bl->size);
    for (int i = 0; i < (int)bl->size + a->iterations; i++) {
        uint32_t off = i < (int)bl->size ? (uint32_t)i : (uint32_t)(rng() % bl->size);
        uint8_t val = (uint8_t)rng();
        if (val == bl->data[off])
            val ^= 0x80;
        memcpy(c, bl->data, bl->size);
        c[off] = val;
        check_note("byte %u set to 0x%02x (was 0x%02x)", off, val, bl->data[off]);
        int rc = fdt_parse(c, bl->size, &pf);
        known &= is_known_code(rc);
        sane &= rc != FDT_OK || platform_is_sane(&pf);
        runs++;
    }
    free(c);
    CHECK_EQ(runs, (int)bl->size + a->iterations);
    CHECK(known);
    CHECK(sane);
}

static void test_corrupt_tokens(void *unused)
{
    (void)unused;
    struct blob bl = load_fixture("virt.dtb");
    struct fuzz_arg arg = {&bl, 0};
    if (CHECK(bl.data))
        corrupt_tokens(&arg);
    free(bl.data);
}

/* arg: the fixture's name. The memreserve blob has a non-empty
 * reservation map, whose bytes the parser reads in a loop of its own. */
static void test_fuzz(void *name)
{
    struct blob bl = load_fixture(name);
    struct fuzz_arg arg = {&bl, 4000};
    if (CHECK(bl.data))
        fuzz_bytes(&arg);
    free(bl.data);
}

/* ------------------------------------------------------------ strerror */

static void test_strerror(void *unused)
{
    (void)unused;
    static const int codes[] = {FDT_OK, FDT_ERR_MAGIC, FDT_ERR_VERSION, FDT_ERR_TRUNCATED, FDT_ERR_STRUCTURE};
    const int n = sizeof codes / sizeof codes[0];
    const char *unknown = fdt_strerror(-100);
    CHECK(unknown && *unknown);
    CHECK(fdt_strerror(1) == unknown || strcmp(fdt_strerror(1), unknown) == 0);
    for (int i = 0; i < n; i++) {
        const char *s = fdt_strerror(codes[i]);
        CHECK(s && *s);
        CHECK(s && strcmp(s, unknown) != 0);
        for (int j = 0; j < i; j++) /* distinct, or a panic message would mislead */
            CHECK(s && strcmp(s, fdt_strerror(codes[j])) != 0);
    }
}

int main(int argc, char **argv)
{
    if (argc > 1)
        fixture_dir = argv[1];
    /* Each group in a child process: a crash or a sanitizer report fails
     * that group, names what it was doing, and the rest still run. */
    check_group("virt fixture, 32-bit initrd cells: every field", test_virt32, 0);
    check_group("virt fixture, 64-bit initrd cells", test_virt64, 0);
    check_group("cpus out of order, one disabled; other cell sizes", test_reordered, 0);
    check_group("/memreserve/ header block; 1 size cell; long bootargs", test_memreserve, 0);
    check_group("header: magic, limits, offsets, version", test_header, 0);
    check_group("structure block: well-formed variations and errors", test_structure, 0);
    check_group("strings block: unterminated name at its end", test_strings_end, 0);
    check_group("odd but well-formed trees: limits and ignored values", test_odd_trees, 0);
    check_group("corrupted tokens are rejected", test_corrupt_tokens, 0);
    check_group("fuzz: single-byte corruptions of the virt blob", test_fuzz, "virt.dtb");
    check_group("fuzz: single-byte corruptions of the memreserve blob", test_fuzz, "memreserve.dtb");
    check_group("fdt_strerror", test_strerror, 0);
    return check_summary();
}
