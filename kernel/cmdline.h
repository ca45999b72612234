/* The kernel command line (/chosen bootargs), as "key=value" words.
 * Everything after a lone "--" is passed to the first process as argv. */
#ifndef RVOS_KERNEL_CMDLINE_H
#define RVOS_KERNEL_CMDLINE_H
void cmdline_init(const char *bootargs);
const char *cmdline_get(const char *key); /* value, "" for a bare word, or 0 */
const char *cmdline_raw(void);
int cmdline_init_argv(const char **argv, int max); /* words after "--" */
/* 0, or why part of the command line could not be taken in (too long, too
 * many words or arguments): the boot stops then rather than run without. */
const char *cmdline_error(void);
void cmdline_set_error(const char *why);
#endif
