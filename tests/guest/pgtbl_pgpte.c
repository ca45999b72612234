/* pgpte(va) and kpgtbl(), the current classic pgtbl lab's calls, read
 * through kernel/riscv.h's helpers as pgtbltest reads them: the text page
 * is mapped V R X U and not W; a data page V R W U, at the physical
 * address of the frame it is in (a second address in the same page gives
 * the same PTE); nothing at 0, above the heap or at MAXVA - PGSIZE;
 * after a fork a policy that shares every page has taken W away, one that
 * copies every page has not. kpgtbl() prints and returns 0. */
#include "testlib.h"
#include "kernel/memlayout.h"
#include "kernel/riscv.h"

static char data[2 * PGSIZE] __attribute__((aligned(PGSIZE))) = {1};

int main(void)
{
    test_begin("pgtbl_pgpte");
    pte_t text = (pte_t)pgpte((void *)(uint64)main);
    CHECK((text & (PTE_V | PTE_R | PTE_X | PTE_U)) == (PTE_V | PTE_R | PTE_X | PTE_U) && !(text & PTE_W),
          "text: pte %lx flags %lx", text, PTE_FLAGS(text));
    data[0] = 2;
    pte_t d = (pte_t)pgpte(data);
    CHECK((d & (PTE_V | PTE_R | PTE_W | PTE_U)) == (PTE_V | PTE_R | PTE_W | PTE_U) && !(d & PTE_X), "data: pte %lx", d);
    CHECK(PTE2PA(d) != 0 && PTE2PA(d) % PGSIZE == 0 && PTE2PA(d) >= KERNBASE && PTE2PA(d) < PHYSTOP,
          "data's frame %lx is in RAM", PTE2PA(d));
    CHECK((pte_t)pgpte(data + 100) == d, "the same page, the same PTE");
    CHECK((pte_t)pgpte(0) == 0, "nothing at 0");
    CHECK((pte_t)pgpte((void *)(MAXVA - PGSIZE)) == 0 && (pte_t)pgpte((void *)MAXVA) == 0, "nothing at MAXVA");
    CHECK((pte_t)pgpte((void *)(PGROUNDUP((uint64)sbrk(0)) + 16 * PGSIZE)) == 0, "nothing above the heap");
    CHECK((pte_t)pgpte((void *)-1UL) == 0, "nothing at a kernel address");

    unsigned long promises = fork_promises();
    int p[2];
    CHECK(pipe(p) == 0, "pipe");
    int pid = fork();
    if (pid == 0) {
        char c;
        close(p[1]);
        read(p[0], &c, 1);
        exit(0);
    }
    pte_t after = (pte_t)pgpte(data);
    if (promises & FORK_SHARES_ALL)
        CHECK(!(after & PTE_W) && PTE2PA(after) == PTE2PA(d), "shared after fork: pte %lx", after);
    if (promises & FORK_COPIES_ALL)
        CHECK((after & PTE_W) && PTE2PA(after) == PTE2PA(d), "kept after fork: pte %lx", after);
    close(p[0]);
    close(p[1]);
    CHECK(wait_status(pid) == 0, "child");
    data[0] = 3; /* the last owner writes again: W is back */
    CHECK((pgpte(data) & PTE_W) != 0, "writable again after the child left");
    CHECK(kpgtbl() == 0, "kpgtbl");
    return test_end();
}
