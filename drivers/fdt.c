/* Devicetree specification v0.4, 5.2 (header), 5.3 (memory reservation
 * block), 5.4 (structure block). All cells are big-endian. */
#include "fdt.h"

#define FDT_MAGIC 0xd00dfeedU
#define FDT_BEGIN_NODE 1
#define FDT_END_NODE 2
#define FDT_PROP 3
#define FDT_NOP 4
#define FDT_END 9
#define MAX_DEPTH 16
#define MAX_INTR_CELLS 64

static uint32_t be32(const void *p)
{
    const uint8_t *b = p;
    return ((uint32_t)b[0] << 24) | ((uint32_t)b[1] << 16) | ((uint32_t)b[2] << 8) | b[3];
}

static uint64_t be64(const void *p) { return ((uint64_t)be32(p) << 32) | be32((const uint8_t *)p + 4); }

static int str_eq(const char *a, const char *b)
{
    while (*a && *a == *b)
        a++, b++;
    return *a == *b;
}

/* Node name up to the '@' of its unit address. */
static int name_is(const char *name, const char *want)
{
    while (*want && *name == *want)
        name++, want++;
    return *want == 0 && (*name == 0 || *name == '@');
}

/* A "compatible" value is a list of NUL-terminated strings. */
static int compatible_has(const char *list, uint32_t len, const char *want)
{
    uint32_t i = 0;
    while (i < len) {
        const char *s = list + i;
        if (str_eq(s, want))
            return 1;
        while (i < len && list[i])
            i++;
        i++;
    }
    return 0;
}

/* riscv,isa is "rv64imafdc_zicsr_sstc...": multi-letter extensions follow
 * underscores (RISC-V ISA manual, "ISA Extension Naming Conventions"). */
static int isa_has(const char *isa, uint32_t len, const char *ext)
{
    uint32_t n = 0;
    while (ext[n])
        n++;
    for (uint32_t i = 0; i + n < len; i++) {
        if (isa[i] != '_')
            continue;
        uint32_t k = 0;
        while (k < n && isa[i + 1 + k] == ext[k])
            k++;
        if (k == n && (i + 1 + n == len || isa[i + 1 + n] == '_' || isa[i + 1 + n] == 0))
            return 1;
    }
    return 0;
}

static uint64_t read_cells(const uint8_t *p, uint32_t cells) { return cells == 2 ? be64(p) : cells == 1 ? be32(p) : 0; }

/* What we remember about the node being parsed until its first child or
 * its end, by which point the specification guarantees all its properties
 * have been seen (properties precede subnodes, 5.4.1). */
struct node {
    const char *name;
    const char *compatible;
    uint32_t compatible_len;
    const char *device_type;
    const char *status;
    const char *isa;
    uint32_t isa_len;
    const uint8_t *reg;
    uint32_t reg_len;
    const uint8_t *intr_ext;
    uint32_t intr_ext_len;
    uint32_t interrupts;
    uint32_t phandle;
    uint32_t ndev;
    uint32_t address_cells; /* for children */
    uint32_t size_cells;
    int hart_index; /* index in platform.hartid if this is a cpu */
    int done;
};

struct walker {
    struct platform *pf;
    struct node stack[MAX_DEPTH];
    int depth; /* stack[depth - 1] is the current node */
    const uint8_t *plic_intr_ext;
    uint32_t plic_intr_ext_len;
};

static void add_range(struct mem_range *arr, int *n, uint64_t base, uint64_t size)
{
    if (*n < FDT_MAX_RANGES && size) {
        arr[*n].base = base;
        arr[*n].size = size;
        (*n)++;
    }
}

static void add_reg_ranges(struct node *nd, struct node *parent, struct mem_range *arr, int *n)
{
    uint32_t ac = parent->address_cells, sc = parent->size_cells;
    uint32_t stride = 4 * (ac + sc);
    if (!nd->reg || stride == 0 || ac > 2 || sc > 2)
        return;
    for (uint32_t off = 0; off + stride <= nd->reg_len; off += stride)
        add_range(arr, n, read_cells(nd->reg + off, ac), read_cells(nd->reg + off + 4 * ac, sc));
}

/* The first (address, size) pair of a node's reg. A size of zero is
 * fine here: cpu nodes have #size-cells = 0. */
static uint64_t first_reg(struct node *nd, struct node *parent, uint64_t *size)
{
    uint32_t ac = parent->address_cells, sc = parent->size_cells;
    if (size)
        *size = 0;
    if (!nd->reg || ac > 2 || sc > 2 || nd->reg_len < 4 * (ac + sc))
        return 0;
    if (size)
        *size = read_cells(nd->reg + 4 * ac, sc);
    return read_cells(nd->reg, ac);
}

static int okay(struct node *nd) { return !nd->status || str_eq(nd->status, "okay") || str_eq(nd->status, "ok"); }

/* Acts on a node once all its properties are known. */
static void finish_node(struct walker *w)
{
    struct node *nd = &w->stack[w->depth - 1];
    struct node *parent = w->depth >= 2 ? &w->stack[w->depth - 2] : nd;
    struct platform *pf = w->pf;
    if (nd->done)
        return;
    nd->done = 1;
    if (nd->device_type && str_eq(nd->device_type, "memory"))
        add_reg_ranges(nd, parent, pf->memory, &pf->nmemory);
    if (w->depth == 3 && name_is(parent->name, "reserved-memory"))
        add_reg_ranges(nd, parent, pf->reserved, &pf->nreserved);
    if (nd->device_type && str_eq(nd->device_type, "cpu") && okay(nd) && pf->nharts < FDT_MAX_HARTS) {
        nd->hart_index = pf->nharts++;
        pf->hartid[nd->hart_index] = (uint32_t)first_reg(nd, parent, 0);
        pf->hart_plic_context[nd->hart_index] = -1;
        pf->hart_sstc[nd->hart_index] = nd->isa && isa_has(nd->isa, nd->isa_len, "sstc");
    }
    if (nd->compatible) {
        if (compatible_has(nd->compatible, nd->compatible_len, "riscv,cpu-intc") && parent->hart_index >= 0)
            pf->hart_intc[parent->hart_index] = nd->phandle;
        if (compatible_has(nd->compatible, nd->compatible_len, "ns16550a") && !pf->uart_base) {
            pf->uart_base = first_reg(nd, parent, 0);
            pf->uart_irq = nd->interrupts;
        }
        if ((compatible_has(nd->compatible, nd->compatible_len, "riscv,plic0") ||
             compatible_has(nd->compatible, nd->compatible_len, "sifive,plic-1.0.0")) &&
            !pf->plic_base) {
            pf->plic_base = first_reg(nd, parent, &pf->plic_size);
            pf->plic_ndev = nd->ndev;
            w->plic_intr_ext = nd->intr_ext;
            w->plic_intr_ext_len = nd->intr_ext_len;
        }
        if (compatible_has(nd->compatible, nd->compatible_len, "sifive,test0") && !pf->finisher_base)
            pf->finisher_base = first_reg(nd, parent, 0);
        if (compatible_has(nd->compatible, nd->compatible_len, "virtio,mmio") && okay(nd) &&
            pf->nvirtio < FDT_MAX_VIRTIO) {
            struct virtio_slot *v = &pf->virtio[pf->nvirtio];
            v->base = first_reg(nd, parent, &v->size);
            v->irq = nd->interrupts;
            if (v->base)
                pf->nvirtio++;
        }
    }
}

static void take_prop(struct walker *w, const char *pname, const uint8_t *val, uint32_t len)
{
    struct node *nd = &w->stack[w->depth - 1];
    struct platform *pf = w->pf;
    if (str_eq(pname, "compatible")) {
        nd->compatible = (const char *)val;
        nd->compatible_len = len;
    } else if (str_eq(pname, "device_type")) {
        nd->device_type = (const char *)val;
    } else if (str_eq(pname, "riscv,isa")) {
        nd->isa = (const char *)val;
        nd->isa_len = len;
    } else if (str_eq(pname, "status")) {
        nd->status = (const char *)val;
    } else if (str_eq(pname, "reg")) {
        nd->reg = val;
        nd->reg_len = len;
    } else if (str_eq(pname, "#address-cells") && len == 4) {
        nd->address_cells = be32(val);
    } else if (str_eq(pname, "#size-cells") && len == 4) {
        nd->size_cells = be32(val);
    } else if (str_eq(pname, "phandle") && len == 4) {
        nd->phandle = be32(val);
    } else if (str_eq(pname, "interrupts") && len >= 4) {
        nd->interrupts = be32(val);
    } else if (str_eq(pname, "interrupts-extended")) {
        nd->intr_ext = val;
        nd->intr_ext_len = len;
    } else if (str_eq(pname, "riscv,ndev") && len == 4) {
        nd->ndev = be32(val);
    } else if (str_eq(pname, "timebase-frequency") && w->depth == 2 && name_is(nd->name, "cpus")) {
        pf->timebase_hz = len == 8 ? be64(val) : len == 4 ? be32(val) : 0;
    } else if (w->depth == 2 && name_is(nd->name, "chosen")) {
        if (str_eq(pname, "bootargs")) {
            uint32_t i = 0;
            for (; i + 1 < FDT_BOOTARGS_MAX && i < len && val[i]; i++)
                pf->bootargs[i] = (char)val[i];
            pf->bootargs[i] = 0;
            pf->bootargs_cut = i < len && val[i] != 0;
        } else if (str_eq(pname, "linux,initrd-start")) {
            pf->initrd_start = len == 8 ? be64(val) : len == 4 ? be32(val) : 0;
        } else if (str_eq(pname, "linux,initrd-end")) {
            pf->initrd_end = len == 8 ? be64(val) : len == 4 ? be32(val) : 0;
        }
    }
}

/* The PLIC's interrupts-extended lists one (phandle, irq) pair per context,
 * in context order; irq 9 is the supervisor external interrupt (privileged
 * spec, table 4.2), whose context is the one an S-mode kernel claims from. */
static void resolve_plic_contexts(struct walker *w)
{
    struct platform *pf = w->pf;
    for (uint32_t i = 0; i + 8 <= w->plic_intr_ext_len; i += 8) {
        uint32_t ph = be32(w->plic_intr_ext + i), irq = be32(w->plic_intr_ext + i + 4);
        if (irq != 9)
            continue;
        for (int h = 0; h < pf->nharts; h++)
            if (pf->hart_intc[h] == ph)
                pf->hart_plic_context[h] = (int)(i / 8);
    }
}

uint32_t fdt_total_size(const void *blob) { return be32(blob) == FDT_MAGIC ? be32((const uint8_t *)blob + 4) : 0; }

int fdt_parse(const void *blob, uint64_t limit, struct platform *pf)
{
    const uint8_t *b = blob;
    uint8_t *clear = (uint8_t *)pf;
    for (uint64_t i = 0; i < sizeof(*pf); i++)
        clear[i] = 0;
    if (limit < 40 || be32(b) != FDT_MAGIC)
        return FDT_ERR_MAGIC;
    uint32_t total = be32(b + 4), off_struct = be32(b + 8), off_strings = be32(b + 12);
    uint32_t off_rsv = be32(b + 16), version = be32(b + 20), last_comp = be32(b + 24);
    uint32_t size_strings = be32(b + 32), size_struct = be32(b + 36);
    /* We read version-17 fields (size_dt_struct), and a blob whose
     * last_comp_version is above 17 is not backwards compatible with it. */
    if (version < 17 || last_comp > 17)
        return FDT_ERR_VERSION;
    if (total > limit || off_struct > total || size_struct > total - off_struct || off_strings > total ||
        size_strings > total - off_strings || off_rsv > total)
        return FDT_ERR_TRUNCATED;
    pf->blob_size = total;

    for (uint32_t o = off_rsv; o + 16 <= total; o += 16) {
        uint64_t base = be64(b + o), size = be64(b + o + 8);
        if (!base && !size)
            break;
        add_range(pf->reserved, &pf->nreserved, base, size);
    }

    struct walker w = {.pf = pf};
    const uint8_t *p = b + off_struct, *end = p + size_struct;
    const char *strings = (const char *)b + off_strings;
    while (p + 4 <= end) {
        uint32_t tok = be32(p);
        p += 4;
        if (tok == FDT_BEGIN_NODE) {
            if (w.depth)
                finish_node(&w);
            if (w.depth == MAX_DEPTH)
                return FDT_ERR_STRUCTURE;
            struct node *nd = &w.stack[w.depth++];
            *nd = (struct node){.name = (const char *)p, .address_cells = 2, .size_cells = 1, .hart_index = -1};
            uint32_t n = 0;
            while (p + n < end && p[n])
                n++;
            if (p + n >= end)
                return FDT_ERR_TRUNCATED;
            p += (n + 1 + 3) & ~3U;
        } else if (tok == FDT_END_NODE) {
            if (!w.depth)
                return FDT_ERR_STRUCTURE;
            finish_node(&w);
            w.depth--;
        } else if (tok == FDT_PROP) {
            if (p + 8 > end || !w.depth)
                return FDT_ERR_STRUCTURE;
            uint32_t len = be32(p), nameoff = be32(p + 4);
            p += 8;
            if (len > (uint64_t)(end - p) || nameoff >= size_strings)
                return FDT_ERR_TRUNCATED;
            /* The name must end inside the strings block. */
            uint32_t k = nameoff;
            while (k < size_strings && strings[k])
                k++;
            if (k == size_strings)
                return FDT_ERR_TRUNCATED;
            take_prop(&w, strings + nameoff, p, len);
            p += (len + 3) & ~3U;
        } else if (tok == FDT_NOP) {
            continue;
        } else if (tok == FDT_END) {
            if (w.depth)
                return FDT_ERR_STRUCTURE;
            resolve_plic_contexts(&w);
            return FDT_OK;
        } else {
            return FDT_ERR_STRUCTURE;
        }
    }
    return FDT_ERR_TRUNCATED;
}

const char *fdt_strerror(int err)
{
    switch (err) {
    case FDT_OK:
        return "ok";
    case FDT_ERR_MAGIC:
        return "bad magic";
    case FDT_ERR_VERSION:
        return "unsupported version";
    case FDT_ERR_TRUNCATED:
        return "truncated or out-of-range offsets";
    case FDT_ERR_STRUCTURE:
        return "malformed structure block";
    default:
        return "unknown error";
    }
}
