/* The page-table printer (lab pgtbl). One line per valid PTE, indented
 * by level (" .." per level), with the first virtual address the entry
 * covers, as the current classic lab prints it:
 *
 *   page table 0x0000000087f3c000
 *    ..0x0000000000000000: pte 0x0000000021fcf001 pa 0x0000000087f3c000
 *    .. ..0x0000000000000000: pte 0x0000000021fce801 pa 0x0000000087f3a000
 *    .. .. ..0x0000000000001000: pte 0x0000000021fce45b pa 0x0000000087f39000 VR-XU-A--
 *
 * A leaf also shows its flags, each as a letter or '-': V R W X U G A D,
 * and C for PTE_COW (an RSW bit). */
#include "vmprint.h"
#include "aspace.h"
#include "../arch/riscv/memlayout.h"
#include "../kernel/textbuf.h"

static const char flag_letters[] = "VRWXUGADC";

static void pte_flags(pte_t pte, char out[10])
{
    for (int i = 0; i < 9; i++)
        out[i] = (pte >> i) & 1 ? flag_letters[i] : '-';
    out[9] = 0;
}

/* Prints the valid entries of table (at level 2, 1 or 0; the root is
 * level 2), which maps the virtual addresses from va_base up, and
 * descends into the tables they point at. Only the user half of the root
 * (entries below last) is printed. */
static void vmprint_table(struct textbuf *tb, pte_t *table, int level, uint64_t va_base, int last)
{
    /* LAB pgtbl BEGIN: print each valid PTE (indent, va, pte, pa; a leaf's flags); recurse into tables */
    static const char *const indent[] = {" .. .. ..", " .. ..", " .."};
    for (int i = 0; i < last; i++) {
        pte_t pte = table[i];
        if (!(pte & PTE_V))
            continue;
        uint64_t va = va_base + (uint64_t)i * LEVEL_SIZE(level);
        if (pte_is_leaf(pte)) {
            char flags[10];
            pte_flags(pte, flags);
            tb_printf(tb, "%s%p: pte %p pa %p %s\n", indent[level], (void *)va, (void *)pte, (void *)pte_to_pa(pte),
                      flags);
        } else {
            tb_printf(tb, "%s%p: pte %p pa %p\n", indent[level], (void *)va, (void *)pte, (void *)pte_to_pa(pte));
            if (level > 0)
                vmprint_table(tb, pa_to_va(pte_to_pa(pte)), level - 1, va, PTES_PER_TABLE);
        }
    }
    /* LAB pgtbl STUB
    (void)tb, (void)table, (void)level, (void)va_base, (void)last, (void)pte_flags;
       LAB pgtbl END */
}

void vmprint(struct textbuf *tb, struct aspace *as)
{
    spin_lock(&as->lock);
    tb_printf(tb, "page table %p\n", (void *)aspace_root_pa(as));
    vmprint_table(tb, as->root, 2, 0, KERNBASE_ROOT_INDEX);
    spin_unlock(&as->lock);
}
