/* Regions (mm/region.h): their allocator and the sorted list of one
 * address space. */
#include "region.h"
#include "aspace.h"
#include "page.h"
#include "../kernel/panic.h"
#include "../kernel/string.h"

const struct vm_file_ops *vm_file_ops;
void vm_set_file_ops(const struct vm_file_ops *ops) { vm_file_ops = ops; }

/* The allocator: a frame holds a header and as many regions as fit. A
 * frame goes back to the page allocator as soon as none of its regions is
 * in use, so that a test's free-frame count returns to where it was. */
struct slab {
    struct region *free; /* free regions of this frame */
    uint32_t used;
    struct slab *next, *prev; /* frames with a free region */
};
#define SLAB_FIRST ((sizeof(struct slab) + 15) & ~15UL)
#define SLAB_OBJS ((PAGE_SIZE - SLAB_FIRST) / sizeof(struct region))

static struct spinlock slab_lock = {0, "region_slab", 0};
static struct slab *partial; /* frames with at least one free region */

static void partial_unlink(struct slab *s)
{
    if (s->prev)
        s->prev->next = s->next;
    else
        partial = s->next;
    if (s->next)
        s->next->prev = s->prev;
    s->next = s->prev = 0;
}

static void partial_push(struct slab *s)
{
    s->prev = 0;
    s->next = partial;
    if (partial)
        partial->prev = s;
    partial = s;
}

static struct slab *slab_new(void)
{
    struct page *pg = page_alloc(0);
    if (!pg)
        return 0;
    pg->flags |= PG_KERNEL;
    struct slab *s = page_va(pg);
    s->free = 0;
    s->used = 0;
    struct region *objs = (struct region *)((char *)s + SLAB_FIRST);
    for (uint64_t i = 0; i < SLAB_OBJS; i++) {
        objs[i].next = s->free;
        s->free = &objs[i];
    }
    return s;
}

struct region *region_alloc(void)
{
    spin_lock(&slab_lock);
    struct slab *s = partial;
    if (!s) {
        s = slab_new();
        if (!s) {
            spin_unlock(&slab_lock);
            return 0;
        }
        partial_push(s);
    }
    struct region *r = s->free;
    s->free = r->next;
    if (++s->used == SLAB_OBJS)
        partial_unlink(s);
    spin_unlock(&slab_lock);
    memset(r, 0, sizeof *r);
    return r;
}

void region_free(struct region *r)
{
    struct slab *s = (struct slab *)PAGE_ROUND_DOWN(r);
    spin_lock(&slab_lock);
    if (s->used == SLAB_OBJS)
        partial_push(s);
    r->next = s->free;
    s->free = r;
    if (--s->used == 0) {
        partial_unlink(s);
        page_put(pa_to_page(va_to_pa(s)));
    }
    spin_unlock(&slab_lock);
}

/* What r holds its file as: text (a program), a writer (a shared
 * writable mapping), or neither (-1). */
static int hold_kind(const struct region *r)
{
    if (r->flags & REGION_TEXT_FILE)
        return 0;
    return (r->flags & REGION_SHARED) && (r->prot & PROT_W) ? 1 : -1;
}

int region_file_get(struct region *r, int check)
{
    if (!r->file)
        return 0;
    int kind = hold_kind(r);
    if (kind >= 0 && vm_file_ops->hold(r->file, kind, check) < 0) {
        r->file = 0;
        return -1;
    }
    r->file = vm_file_ops->dup(r->file);
    return 0;
}

static void region_file_put(struct region *r)
{
    if (!r->file)
        return;
    int kind = hold_kind(r);
    if (kind >= 0)
        vm_file_ops->release(r->file, kind);
    vm_file_ops->put(r->file);
}

struct region *region_find(struct aspace *as, uint64_t va)
{
    for (struct region *r = as->regions; r && r->start <= va; r = r->next)
        if (va < r->end)
            return r;
    return 0;
}

struct region *region_first_above(struct aspace *as, uint64_t va)
{
    struct region *r = as->regions;
    while (r && r->end <= va)
        r = r->next;
    return r;
}

int region_range_free(struct aspace *as, uint64_t start, uint64_t end)
{
    struct region *r = region_first_above(as, start);
    return !r || r->start >= end;
}

int region_insert(struct aspace *as, struct region *r)
{
    /* Only the heap may be empty (before the first sbrk). */
    if (as->nregions >= REGION_MAX || r->start > r->end || (r->start == r->end && r->kind != REGION_HEAP) ||
        !region_range_free(as, r->start, r->end))
        return -1;
    struct region **pp = &as->regions;
    while (*pp && (*pp)->start < r->start)
        pp = &(*pp)->next;
    r->next = *pp;
    *pp = r;
    as->nregions++;
    return 0;
}

/* Moves the front of r up to va: the file window moves with it. */
static void trim_front(struct region *r, uint64_t va) { r->start = va; }

int region_remove_range(struct aspace *as, uint64_t start, uint64_t end, struct region **dead)
{
    /* A hole strictly inside one region needs a new one for its top part:
     * get it first, so that failing changes nothing. */
    struct region *r = region_first_above(as, start);
    if (r && r->start < start && r->end > end) {
        if (as->nregions >= REGION_MAX)
            return -1;
        struct region *top = region_alloc();
        if (!top)
            return -1;
        *top = *r;
        region_file_get(top, 0);
        trim_front(top, end);
        r->end = start;
        top->next = r->next;
        r->next = top;
        as->nregions++;
        return 0;
    }
    struct region **pp = &as->regions;
    while (*pp) {
        struct region *x = *pp;
        if (x->end <= start) {
            pp = &x->next;
            continue;
        }
        if (x->start >= end)
            break;
        if (x->start < start) { /* keep the bottom */
            x->end = start;
            pp = &x->next;
        } else if (x->end > end) { /* keep the top */
            trim_front(x, end);
            break;
        } else { /* wholly inside: unlink */
            *pp = x->next;
            x->next = *dead;
            *dead = x;
            as->nregions--;
        }
    }
    return 0;
}

int region_list_copy(const struct region *src, struct region **out)
{
    struct region **tail = out;
    *out = 0;
    for (; src; src = src->next) {
        struct region *r = region_alloc();
        if (!r)
            return -1;
        *r = *src;
        r->next = 0;
        region_file_get(r, 0);
        *tail = r;
        tail = &r->next;
    }
    return 0;
}

void region_list_free(struct region *list)
{
    while (list) {
        struct region *next = list->next;
        region_file_put(list);
        region_free(list);
        list = next;
    }
}
