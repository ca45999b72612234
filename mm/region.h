/* Regions: what each user address means. An address space holds a sorted
 * list of non-overlapping regions; a page is reserved when a region covers
 * it, and present when a PTE maps it. The fault handler, copyin/copyout,
 * sbrk, mmap and the audit all ask the regions, never the page table,
 * whether an address may be used and how its page is filled:
 *
 *   anonymous      (file == 0): a fresh zeroed page
 *   file-backed    bytes [file_va, file_end) of the region come from the
 *                  file, from offset file_off on; the rest of its pages
 *                  are zero (an ELF segment's bss). With REGION_EOF_FAULT
 *                  (mmap), a page lying wholly past the end of the file
 *                  cannot be filled: touching it kills the process.
 *   REGION_SHARED  stores are shared: the frame is marked PTE_SHARED and
 *                  fork never makes it copy-on-write; a file mapping's
 *                  dirty pages go back to the file (mm/mmap.c).
 *
 * mm/ never includes file-system headers: a file is an opaque pointer,
 * read and written through vm_file_ops, which the kernel registers at
 * boot (kernel/fs/vmfile.c). Regions hold one file reference each. */
#ifndef RVOS_MM_REGION_H
#define RVOS_MM_REGION_H
#include <stdint.h>

enum region_kind { REGION_TEXT, REGION_DATA, REGION_HEAP, REGION_STACK, REGION_GUARD, REGION_MMAP };

#define REGION_SHARED 1u    /* MAP_SHARED: frames shared on fork, dirty file pages written back */
#define REGION_EOF_FAULT 2u /* a page wholly past the file's end faults (mmap) */
#define REGION_TEXT_FILE 4u /* the file is a running program's: it may not be opened for writing */

struct region {
    uint64_t start, end; /* page aligned, end exclusive */
    uint32_t prot;       /* PROT_R/W/X: the PTE bits its pages may have */
    uint16_t kind;       /* enum region_kind */
    uint16_t flags;      /* REGION_SHARED, REGION_EOF_FAULT */
    void *file;          /* a reference, or 0 (anonymous) */
    uint64_t file_off;   /* the file offset of address file_va */
    uint64_t file_va;    /* file bytes fill [file_va, file_end) */
    uint64_t file_end;
    struct region *next; /* the next region up */
};

/* How mm/ reaches a file (registered by the kernel, kernel/fs/vmfile.c). All
 * may sleep: never call them with a spin lock held, except dup. */
struct vm_file_ops {
    int64_t (*read)(void *file, void *dst, uint64_t off, uint64_t n);
    int64_t (*write)(void *file, const void *src, uint64_t off, uint64_t n);
    void *(*dup)(void *file); /* takes a spin lock only */
    void (*put)(void *file);
    uint64_t (*size)(void *file);
    uint64_t (*refs)(void *file); /* references it has now (the audit); takes a spin lock only */
    /* Text busy: a program's own file (REGION_TEXT_FILE) is held as
     * text while mapped, so that nobody writes it; a shared writable
     * mapping is held as a writer, so that nobody runs it. hold with check
     * fails (-1) if the other kind is held now; without, it cannot fail
     * (fork, a split of a region that holds it already). Lock-free. */
    int (*hold)(void *file, int writer, int check);
    void (*release)(void *file, int writer);
};
extern const struct vm_file_ops *vm_file_ops;
void vm_set_file_ops(const struct vm_file_ops *ops);

/* At most this many regions in one address space (like Linux's
 * max_map_count): mmap fails past it. */
#define REGION_MAX 1024

/* Region objects come from a small allocator of their own (whole frames
 * cut into regions); 0 when memory runs out. */
struct region *region_alloc(void);
void region_free(struct region *r);

struct aspace;
/* Takes r's own reference to its file (r->file names it on entry), and
 * for a program's file the text hold, checked if check is set: 0, or -1
 * (the file is open for writing; r->file is then 0). A spin lock only. */
int region_file_get(struct region *r, int check);
/* The region holding va, or 0. Caller holds as->lock. */
struct region *region_find(struct aspace *as, uint64_t va);
/* The first region that ends above va (0: none), for walks over a range. */
struct region *region_first_above(struct aspace *as, uint64_t va);
/* Whether [start, end) touches no region. */
int region_range_free(struct aspace *as, uint64_t start, uint64_t end);
/* Links r into as (its place by address); -1 if it overlaps another or
 * the address space already holds REGION_MAX. */
int region_insert(struct aspace *as, struct region *r);
/* Takes [start, end) out of every region it touches: trims, splits (a
 * hole in the middle needs one new region: -1 when none can be had, and
 * then nothing changed) or unlinks them. Regions that lose their last
 * page move to *dead, whose file references the caller drops (outside
 * the lock: region_list_free). */
int region_remove_range(struct aspace *as, uint64_t start, uint64_t end, struct region **dead);
/* Copies every region of src (file references taken); 0 on success, -1
 * (out of memory: *out holds what was copied, for region_list_free). */
int region_list_copy(const struct region *src, struct region **out);
/* Frees a list of regions, dropping their file references: may sleep. */
void region_list_free(struct region *list);
#endif
