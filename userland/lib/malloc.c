/* malloc and free: a first-fit allocator over an address-ordered free list.
 * free() merges a block with its free neighbours, and when the merged block
 * reaches the top of the heap and is big, gives it back to the kernel with
 * a negative sbrk. */
#include "user.h"

struct block {
    struct block *next; /* next free block, by address */
    unsigned long size; /* in units of struct block, header included */
};

#define UNIT sizeof(struct block)
#define GROW_UNITS 4096             /* ask the kernel for 64 KiB at least */
#define GIVE_BACK_BYTES (64 * 1024) /* return top blocks this large */

static struct block *free_list; /* lowest-addressed free block */

/* Puts b on the free list, merging neighbours; with release set, a big
 * block left at the top of the heap goes back to the kernel. */
static void insert_free(struct block *b, int release)
{
    struct block *prev = 0, *cur = free_list;
    while (cur && cur < b)
        prev = cur, cur = cur->next;
    /* merge with the following block */
    if (cur && b + b->size == cur) {
        b->size += cur->size;
        b->next = cur->next;
    } else {
        b->next = cur;
    }
    /* merge with the preceding block */
    if (prev && prev + prev->size == b) {
        prev->size += b->size;
        prev->next = b->next;
        b = prev;
    } else if (prev) {
        prev->next = b;
    } else {
        free_list = b;
    }
    /* give a big free block at the top of the heap back: unlink it first,
     * its header is gone once the kernel unmaps the pages */
    if (!release || (char *)(b + b->size) != sbrk(0) || b->size * UNIT < GIVE_BACK_BYTES)
        return;
    struct block **link = &free_list;
    while (*link != b)
        link = &(*link)->next;
    *link = b->next;
    if (sbrk(-(int)(b->size * UNIT)) == (char *)-1)
        *link = b; /* the kernel refused: keep the block after all */
}

static int grow(unsigned long units)
{
    if (units < GROW_UNITS)
        units = GROW_UNITS;
    char *p = sbrk((int)(units * UNIT));
    if (p == (char *)-1)
        return -1;
    struct block *b = (struct block *)p;
    b->size = units;
    insert_free(b, 0);
    return 0;
}

void *malloc(uint nbytes)
{
    if (nbytes == 0 || nbytes > 0x7fffffffU - 2 * UNIT)
        return 0;
    unsigned long units = (nbytes + UNIT - 1) / UNIT + 1;
    for (int attempt = 0; attempt < 2; attempt++) {
        struct block *prev = 0;
        for (struct block *b = free_list; b; prev = b, b = b->next) {
            if (b->size < units)
                continue;
            if (b->size == units) {
                if (prev)
                    prev->next = b->next;
                else
                    free_list = b->next;
            } else {
                /* hand out the tail, keep the head on the list */
                b->size -= units;
                b += b->size;
                b->size = units;
            }
            b->next = 0;
            return b + 1;
        }
        if (grow(units) < 0)
            return 0;
    }
    return 0;
}

void free(void *ptr)
{
    if (!ptr)
        return;
    insert_free((struct block *)ptr - 1, 1);
}
