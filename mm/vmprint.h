/* The page-table printer (lab pgtbl). */
#ifndef RVOS_MM_VMPRINT_H
#define RVOS_MM_VMPRINT_H
struct aspace;
struct textbuf;
/* Prints the user half of as's page-table tree into tb (0: the console):
 * a header line, then one line per valid PTE, depth first, in address
 * order (docs in labs/pgtbl/README.md). */
void vmprint(struct textbuf *tb, struct aspace *as);
#endif
