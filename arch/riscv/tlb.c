#include "tlb.h"
#include "csr.h"
#include "sbi.h"

void tlb_flush_range_remote(uint64_t hart_mask, uint64_t va, uint64_t size)
{
    if (hart_mask)
        sbi_remote_sfence_vma(hart_mask, 0, va, size);
}

void satp_switch(uint64_t root_pa)
{
    /* No ASIDs: a write to satp followed by a full local flush means this
     * hart keeps no translation of any other address space. That is what
     * lets page-fault and fork paths flush only the local hart. */
    csr_write(satp, SATP_SV39 | (root_pa >> 12));
    tlb_flush_all();
}
