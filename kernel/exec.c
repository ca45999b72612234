/* exec: build a fresh address space from an ELF executable, then swap it
 * in. Nothing about the old image changes until the new one is complete. */
#include "exec.h"
#include "elf.h"
#include "fs/fs.h"
#include "proc.h"
#include "string.h"
#include "../arch/riscv/csr.h"
#include "../include/rvos/exec.h"
#include "../mm/alloc.h"
#include "../mm/aspace.h"
#include "../mm/vm.h"

/* PT_LOAD segments an image may have: each becomes a region of the new
 * address space (as do the stack, its guard page and the heap). The bound
 * only keeps the work of one exec small. */
#define EXEC_MAX_LOADS 16
/* Program headers exec reads at all. Besides PT_LOAD, toolchains emit a
 * few it skips (PT_NOTE, PT_GNU_STACK, PT_RISCV_ATTRIBUTES...); the bound
 * only keeps the work of one exec small. */
#define EXEC_MAX_PHDRS (2 * EXEC_MAX_LOADS)
/* Notes exec looks at in one PT_NOTE segment; the rest are ignored. */
#define EXEC_MAX_NOTES 16

/* A PT_LOAD segment becomes a region backed by the program file: its
 * bytes [vaddr, vaddr+filesz) come from the file, the rest (bss) is zero.
 * The allocation policy decides whether its pages are read now (eager) or
 * on first access (lazy); the region holds a reference to the file for
 * as long as it exists. */
static int load_segment(struct aspace *as, struct inode *ip, const struct elf64_phdr *ph, uint64_t *top)
{
    if (ph->memsz == 0 && ph->filesz == 0)
        return 0; /* linkers emit empty segments: nothing to map */
    if (ph->memsz < ph->filesz || ph->vaddr + ph->memsz < ph->vaddr || ph->vaddr + ph->memsz > USER_STACK_TOP ||
        ph->offset + ph->filesz < ph->offset || (ph->vaddr % PAGE_SIZE) != (ph->offset % PAGE_SIZE))
        return -1;
    if ((ph->flags & PF_W) && (ph->flags & PF_X))
        return -1; /* W^X: refuse writable code */
    if ((ph->flags & PF_W) && !(ph->flags & PF_R))
        return -1; /* no PTE for it: W without R is reserved (privileged spec, Sv39) */
    if (ph->vaddr < PAGE_SIZE)
        return -1; /* page 0 stays unmapped: a null pointer must fault */
    uint32_t prot = (ph->flags & PF_R ? PROT_R : 0) | (ph->flags & PF_W ? PROT_W : 0) | (ph->flags & PF_X ? PROT_X : 0);
    struct region r = {
        .start = PAGE_ROUND_DOWN(ph->vaddr),
        .end = PAGE_ROUND_UP(ph->vaddr + ph->memsz),
        .prot = prot,
        .kind = (ph->flags & PF_X) ? REGION_TEXT : REGION_DATA,
        .flags = REGION_TEXT_FILE, /* the running program's file may not be opened for writing */
        .file = ph->filesz ? ip : 0,
        .file_off = ph->offset,
        .file_va = ph->vaddr,
        .file_end = ph->vaddr + ph->filesz,
    };
    /* Segments that overlap (a page of two) are refused by the region
     * list, as the classic loader refuses them. */
    if (aspace_reserve(as, &r) < 0)
        return -1;
    if (r.end > *top)
        *top = r.end;
    return 0;
}

static uint64_t align4(uint64_t n) { return (n + 3) & ~3UL; }

/* Looks through the notes of one PT_NOTE segment for the stack note
 * (include/rvos/exec.h) and sets *pages from it; other notes are skipped.
 * A note that runs past its segment, or a stack note that is malformed or
 * asks for 0 or more than RVOS_STACK_PAGES_MAX pages, makes the image bad:
 * -1. */
static int read_notes(struct inode *ip, const struct elf64_phdr *ph, uint32_t *pages)
{
    uint64_t off = ph->offset, end = ph->offset + ph->filesz;
    if (end < off)
        return -1;
    for (int i = 0; i < EXEC_MAX_NOTES && end - off >= sizeof(struct elf64_nhdr); i++) {
        struct elf64_nhdr nh;
        if (inode_read(ip, &nh, off, sizeof nh) != sizeof nh)
            return -1;
        off += sizeof nh;
        uint64_t name_len = align4(nh.namesz), desc_len = align4(nh.descsz);
        if (name_len > end - off || desc_len > end - off - name_len)
            return -1;
        char name[sizeof RVOS_NOTE_OWNER];
        if (nh.type == RVOS_NT_STACK && nh.namesz == sizeof name) {
            if (inode_read(ip, name, off, sizeof name) != sizeof name)
                return -1;
            if (memcmp(name, RVOS_NOTE_OWNER, sizeof name) == 0) {
                uint32_t n;
                if (nh.descsz != sizeof n || inode_read(ip, &n, off + name_len, sizeof n) != sizeof n || n < 1 ||
                    n > RVOS_STACK_PAGES_MAX)
                    return -1;
                *pages = n;
            }
        }
        off += name_len + desc_len;
    }
    return 0;
}

/* Lays out argv at the top of the stack: the strings, then the pointer
 * array (NULL-terminated), 16-byte aligned as the RISC-V psABI asks. Fails
 * when they do not fit the stack (the guard page below takes no fill). */
static int push_args(struct aspace *as, const char **argv, int argc, uint64_t *sp_out, uint64_t *argv_out)
{
    uint64_t sp = USER_STACK_TOP, ptrs[MAXARG + 1];
    for (int i = 0; i < argc; i++) {
        uint64_t len = strlen(argv[i]) + 1;
        sp -= len;
        if (copyout(as, sp, argv[i], len) < 0)
            return -1;
        ptrs[i] = sp;
    }
    ptrs[argc] = 0;
    sp -= (uint64_t)(argc + 1) * sizeof(uint64_t);
    sp &= ~15UL;
    if (copyout(as, sp, ptrs, (uint64_t)(argc + 1) * sizeof(uint64_t)) < 0)
        return -1;
    *sp_out = sp;
    *argv_out = sp;
    return 0;
}

int kexec(const char *path, const char **argv, int argc)
{
    struct proc *p = myproc();
    struct elf64_ehdr eh;
    struct aspace *as = 0;
    if (argc > MAXARG)
        return -1;
    struct inode *ip = namei(path);
    if (!ip)
        return -1;
    if (inode_type(ip) != T_FILE || inode_read(ip, &eh, 0, sizeof eh) != sizeof eh)
        goto bad;
    if (eh.magic != ELF_MAGIC || eh.ident_class != ELFCLASS64 || eh.ident_data != ELFDATA2LSB || eh.type != ET_EXEC ||
        eh.machine != EM_RISCV || eh.phentsize != sizeof(struct elf64_phdr) || eh.phnum > EXEC_MAX_PHDRS ||
        eh.entry >= USER_STACK_TOP)
        goto bad;
    as = aspace_create();
    if (!as)
        goto bad;
    uint64_t top = 0;
    int nloads = 0;
    uint32_t stack_pages = 0; /* 0: no stack note */
    for (int i = 0; i < eh.phnum; i++) {
        struct elf64_phdr ph;
        if (inode_read(ip, &ph, eh.phoff + (uint64_t)i * sizeof ph, sizeof ph) != sizeof ph)
            goto bad;
        if (ph.type == PT_NOTE && read_notes(ip, &ph, &stack_pages) < 0)
            goto bad;
        if (ph.type != PT_LOAD)
            continue;
        if (++nloads > EXEC_MAX_LOADS || load_segment(as, ip, &ph, &top) < 0)
            goto bad;
    }
    if (top == 0)
        goto bad;
    /* Stack (as many pages as the program asked for, or, under lazy
     * allocation, room to grow; alloc.h) with an unmapped guard page
     * below it; mappings go below the guard, and the heap starts after
     * the highest segment and may grow until it meets one of them. */
    stack_pages = alloc_policy->stack_pages(stack_pages ? stack_pages : RVOS_STACK_PAGES_DEFAULT);
    uint64_t stack_lo = USER_STACK_TOP - (uint64_t)stack_pages * PAGE_SIZE;
    struct region stack = {.start = stack_lo, .end = USER_STACK_TOP, .prot = PROT_R | PROT_W, .kind = REGION_STACK};
    struct region guard = {.start = stack_lo - PAGE_SIZE, .end = stack_lo, .kind = REGION_GUARD};
    struct region heap = {.start = top, .end = top, .prot = PROT_R | PROT_W, .kind = REGION_HEAP};
    if (top > stack_lo - PAGE_SIZE || aspace_reserve(as, &stack) < 0 || aspace_reserve(as, &guard) < 0 ||
        aspace_reserve(as, &heap) < 0)
        goto bad;
    as->heap_start = as->brk = top;
    as->mmap_top = guard.start;
    uint64_t sp, uargv;
    if (push_args(as, argv, argc, &sp, &uargv) < 0 || proc_map_usyscall(p, as) < 0)
        goto bad;
    inode_put(ip);

    /* Commit: switch to the new image, then drop the old one. */
    const char *last = path;
    for (const char *s = path; *s; s++)
        if (*s == '/')
            last = s + 1;
    strncpy_safe(p->name, last, sizeof p->name);
    struct aspace *old = proc_swap_aspace(p, as);
    if (old)
        aspace_destroy(old);
    memset(&p->tf, 0, sizeof p->tf);
    memset(&p->alarm, 0, sizeof p->alarm); /* its handler was in the old image */
    p->tf.sepc = eh.entry;
    p->tf.x[TF_SP] = sp;
    p->tf.x[TF_A0] = (uint64_t)argc;
    p->tf.x[TF_A0 + 1] = uargv;
    memset(p->fpregs, 0, sizeof p->fpregs);
    fp_restore(p->fpregs);
    return argc;

bad:
    if (as)
        aspace_destroy(as);
    inode_put(ip);
    return -1;
}
