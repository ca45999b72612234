/* Job control and console modes: what the shell uses to make Ctrl-C stop
 * the command it runs, and to edit its own input line. Shared by the
 * kernel and user programs. See docs/architecture.md, "Console and jobs".
 *
 * Every process belongs to a job (a number, inherited across fork). The
 * console has at most one foreground job; Ctrl-C kills every process in
 * it, and each of them exits with STATUS_INTERRUPTED. */
#ifndef RVOS_ABI_JOBCTL_H
#define RVOS_ABI_JOBCTL_H

/* int jobctl(int op, int arg) */
#define JOB_NEW 0        /* a fresh job number nobody is in yet (arg unused) */
#define JOB_JOIN 1       /* the caller moves into job arg (> 0) */
#define JOB_FOREGROUND 2 /* job arg becomes the console's foreground (0: none); returns the previous one */
#define JOB_SELF 3       /* the caller's job number */
/* Only a job holding the console may set the foreground (-1 otherwise):
 * the foreground job, or a job that handed the foreground on (the shell,
 * which takes it back after each command). The first job to set it holds
 * the console; a background job never does, and may not JOB_JOIN a job
 * that does (-1) unless its own job holds it too. */

/* What wait() reports for a process Ctrl-C killed. A plain kill(), or a
 * fatal fault, gives -1 as in xv6. */
#define STATUS_INTERRUPTED (-2)

/* int consmode(int mode): how the console hands input to the caller;
 * returns the previous mode. The mode belongs to the process that set it
 * and ends with it: everybody else always gets line mode. CONS_RAW is
 * for a process of the foreground job only (-1 for anyone else, once
 * somebody has set the foreground). */
#define CONS_LINE 0 /* the kernel echoes and edits; read() returns whole lines */
#define CONS_RAW 1  /* no echo, no editing: read() returns bytes as typed */

#endif
