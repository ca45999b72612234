/* The console: a line discipline over the UART, and the keys that act at
 * once, whoever reads.
 *
 * Input arrives from the UART interrupt. In line mode (the default, what
 * cat and every classic program get) it is echoed and edited here
 * (backspace, ^U) and handed to readers a line at a time; ^D ends input.
 * Control characters never reach a line: Tab becomes a space, escape
 * sequences (arrow keys) and other controls are swallowed. A line longer
 * than LINE_MAX is discarded whole, with a message, rather than cut.
 *
 * In raw mode (consmode(CONS_RAW), which the shell uses to edit its own
 * command line with history) bytes go to the process that asked for it
 * untouched and unechoed; everybody else still gets line mode.
 *
 * Who may take the console: only a process of the foreground job may go
 * raw, and only one of a job on the chain of holders (below) may change
 * the foreground; a background job gets -1 for both.
 *
 * ^C kills the foreground job (see include/rvos/jobctl.h) and throws away
 * unread input; with no foreground job it drops the line being typed (or,
 * in raw mode, is passed on as a byte). ^P lists the processes. Both act
 * in the interrupt handler however full the input buffer is: every byte
 * is taken from the UART at once, and a raw-mode byte with no room is
 * dropped (and counted, with one console line per overflow) rather than
 * left in the UART, where it would hold up the keys behind it. */
#include "console.h"
#include "printk.h"
#include "proc.h"
#include "trap.h"
#include "spinlock.h"
#include "string.h"
#include "../drivers/uart.h"
#include "../include/rvos/jobctl.h"
#include "../mm/evict.h"
#include "../mm/vm.h"

#define INPUT_SIZE 512
#define LINE_MAX 255 /* characters of one line in line mode, newline excluded */
#define CTRL(c) ((c) - '@')
#define ESC 0x1b

static struct spinlock cons_lock = {0, "console", 0};
/* All under cons_lock. input[rpos..wpos) is ready for readers,
 * input[wpos..epos) is the line being typed (line mode). */
static char input[INPUT_SIZE];
static uint64_t rpos, wpos, epos;
static enum { LINE_OK, LINE_TOO_LONG, LINE_NO_ROOM } line_state;
static int esc_state; /* 0: none; 1: after ESC; 2: inside ESC [ or ESC O */
static int raw_pid;   /* the process in raw mode, or 0 */
static int fg_job;    /* the job ^C kills, or 0 */
/* The jobs holding the console, outermost first: each handed the
 * foreground to the next (a shell to the command it runs, a shell run as
 * that command to its own commands, ...); the innermost is the foreground
 * job. Empty until somebody first sets the foreground: the first to do so
 * holds the console. */
#define HOLDERS_MAX 8
static int holders[HOLDERS_MAX];
static int nholders;
static uint64_t dropped; /* raw-mode bytes that found the buffer full, not yet reported */
static int drop_told;    /* this overflow was announced */

static void echo(int c)
{
    if (c == '\b') {
        uart_putc_sync('\b');
        uart_putc_sync(' ');
        uart_putc_sync('\b');
    } else {
        if (c == '\n')
            uart_putc_sync('\r');
        uart_putc_sync((char)c);
    }
}

static void echo_str(const char *s)
{
    while (*s)
        echo(*s++);
}

void console_init(void) { uart_enable_rx_irq(); }

static void commit(void)
{
    wpos = epos;
    wakeup(&rpos);
}

/* Drops the line being typed, erasing it on the screen. */
static void kill_line(void)
{
    while (epos != wpos) {
        epos--;
        echo('\b');
    }
    line_state = LINE_OK;
}

/* Swallows the rest of an escape sequence: ESC, then '[' or 'O', then
 * parameter bytes (0x20-0x3f) up to a final byte (0x40-0x7e). */
static void escape_input(int c)
{
    if (esc_state == 1)
        esc_state = c == '[' || c == 'O' ? 2 : 0;
    else if (c < 0x20 || c > 0x3f)
        esc_state = 0;
}

/* Ends the line being typed: it goes to readers, or, if it overflowed,
 * is thrown away and reported. */
static void end_line(int c)
{
    if (epos - rpos >= INPUT_SIZE)
        line_state = LINE_NO_ROOM;
    if (line_state != LINE_OK) {
        epos = wpos;
        echo('\n');
        echo_str(line_state == LINE_TOO_LONG ? "console: line too long (limit 255 characters), discarded\n"
                                             : "console: input buffer full, line discarded\n");
        line_state = LINE_OK;
        if (c == '\n')
            return;
    }
    echo(c == CTRL('D') ? '\n' : c);
    input[epos++ % INPUT_SIZE] = (char)c;
    commit();
}

static void line_input(int c)
{
    if (esc_state) {
        escape_input(c);
        return;
    }
    switch (c) {
    case ESC:
        esc_state = 1;
        return;
    case CTRL('C'): /* no foreground job: just a fresh line */
        epos = wpos;
        line_state = LINE_OK;
        echo_str("^C\n");
        return;
    case CTRL('U'):
        kill_line();
        return;
    case '\b':
    case 0x7f:
        if (epos != wpos && line_state == LINE_OK) {
            epos--;
            echo('\b');
        }
        return;
    case '\r':
    case '\n':
        end_line('\n');
        return;
    case CTRL('D'):
        end_line(c);
        return;
    case '\t':
        c = ' ';
        break;
    }
    if (c < 0x20)
        return; /* ^L and the other controls: never part of a line */
    if (line_state != LINE_OK)
        return;
    if (epos - wpos >= LINE_MAX) {
        line_state = LINE_TOO_LONG;
        return;
    }
    if (epos - rpos >= INPUT_SIZE - 1) { /* keep a slot for the newline */
        line_state = LINE_NO_ROOM;
        return;
    }
    echo(c);
    input[epos++ % INPUT_SIZE] = (char)c;
}

void console_input(int c)
{
    int interrupt = 0;
    spin_lock(&cons_lock);
    if (c == CTRL('P')) {
        proc_dump();
        hart_dump_all();
    } else if (c == CTRL('C') && fg_job) {
        interrupt = fg_job;
        rpos = wpos = epos; /* typed-ahead input was meant for the job */
        line_state = LINE_OK;
        esc_state = 0;
        echo_str("^C\n");
    } else if (raw_pid) {
        if (epos - rpos < INPUT_SIZE) {
            input[epos++ % INPUT_SIZE] = (char)c;
            commit();
            drop_told = 0;
        } else {
            /* Full: dropped, never left in the UART, where it would hold
             * up every later key, ^C and ^P included. */
            dropped++;
            if (!drop_told) {
                drop_told = 1;
                printk("\nconsole: input buffer full; typed bytes are dropped until the program reads\n");
            }
        }
    } else if (c != 0) {
        line_input(c);
    }
    spin_unlock(&cons_lock);
    if (interrupt)
        proc_interrupt_job(interrupt);
}

int console_read(uint64_t dst, int n)
{
    struct proc *p = myproc();
    int got = 0;
    spin_lock(&cons_lock);
    int raw = raw_pid == p->pid, refaults = 0;
    while (got < n) {
        while (rpos == wpos) {
            if (raw && got > 0)
                goto out; /* raw: whatever has arrived */
            if (proc_killed(p)) {
                spin_unlock(&cons_lock);
                return -1;
            }
            sleep_on(&rpos, &cons_lock);
            raw = raw_pid == p->pid;
        }
        char c = input[rpos++ % INPUT_SIZE];
        if (c == CTRL('D') && !raw) {
            if (got > 0)
                rpos--; /* keep it: the next read returns 0 */
            break;
        }
        if (copyout(p->as, dst + (uint64_t)got, &c, 1) < 0) {
            rpos--;
            /* The buffer's page may have gone to swap while we slept
             * (bringing it back sleeps, which cons_lock forbids): bring
             * it back without the lock and try again; a bad address
             * fails again. */
            if (evict_active() && ++refaults <= 4) {
                spin_unlock(&cons_lock);
                vm_prefault(p->as, dst + (uint64_t)got, 1);
                spin_lock(&cons_lock);
                raw = raw_pid == p->pid;
                continue;
            }
            break;
        }
        got++;
        if (c == '\n' && !raw)
            break;
    }
out:;
    uint64_t lost = dropped;
    dropped = 0;
    spin_unlock(&cons_lock);
    if (lost)
        printk("console: %lu typed bytes were dropped (the input buffer was full)\n", lost);
    return got;
}

int console_write(uint64_t src, int n)
{
    struct proc *p = myproc();
    char buf[128];
    int done = 0;
    while (done < n) {
        int chunk = n - done > (int)sizeof buf ? (int)sizeof buf : n - done;
        if (copyin(p->as, buf, src + (uint64_t)done, (uint64_t)chunk) < 0)
            return done ? done : -1;
        spin_lock(&cons_lock);
        for (int i = 0; i < chunk; i++) {
            if (buf[i] == '\n')
                uart_putc_sync('\r');
            uart_putc_sync(buf[i]);
        }
        spin_unlock(&cons_lock);
        done += chunk;
    }
    return done;
}

static int my_job(void) { return __atomic_load_n(&myproc()->job, __ATOMIC_RELAXED); }

/* Where job stands on the chain of holders (innermost match), or -1.
 * Under cons_lock. */
static int holder_at(int job)
{
    for (int i = nholders - 1; i >= 0; i--)
        if (holders[i] == job)
            return i;
    return -1;
}

/* The caller's job is not on the chain. If no process of any job on it
 * is left (the shell that held the console was killed, and its commands
 * are gone), the chain is forgotten: the console may be taken afresh.
 * Called and returns with cons_lock held; drops it meanwhile, as the
 * process table's locks come after it. */
static void holders_forget_if_dead(void)
{
    int chain[HOLDERS_MAX], n = nholders;
    memcpy(chain, holders, sizeof chain);
    spin_unlock(&cons_lock);
    int alive = 0;
    for (int i = 0; i < n && !alive; i++)
        alive = proc_job_alive(chain[i]);
    spin_lock(&cons_lock);
    if (!alive && nholders == n && memcmp(chain, holders, (uint64_t)n * sizeof chain[0]) == 0)
        nholders = 0;
}

int console_set_mode(int mode)
{
    struct proc *p = myproc();
    if (mode != CONS_LINE && mode != CONS_RAW)
        return -1;
    spin_lock(&cons_lock);
    if (mode == CONS_RAW && nholders && holder_at(my_job()) < 0)
        holders_forget_if_dead();
    if (mode == CONS_RAW && nholders && holders[nholders - 1] != my_job()) {
        spin_unlock(&cons_lock); /* not the foreground job */
        return -1;
    }
    int old = raw_pid == p->pid ? CONS_RAW : CONS_LINE;
    if (mode == CONS_RAW) {
        /* Whatever was typed ahead in line mode goes to the new reader as
         * it stands; it was echoed already. */
        raw_pid = p->pid;
        line_state = LINE_OK;
        esc_state = 0;
        commit();
    } else if (raw_pid == p->pid) {
        raw_pid = 0;
    }
    spin_unlock(&cons_lock);
    return old;
}

int console_set_foreground(int job)
{
    int me = my_job();
    if (job < 0)
        return -1;
    spin_lock(&cons_lock);
    if (nholders && holder_at(me) < 0)
        holders_forget_if_dead();
    if (nholders == 0)
        holders[nholders++] = me; /* the first to ask holds the console */
    int at = holder_at(me);
    int push = job && job != me;
    if (at < 0 || (push && at + 1 >= HOLDERS_MAX)) {
        spin_unlock(&cons_lock); /* a background job, or nested too deep */
        return -1;
    }
    /* The caller takes the console back from the jobs it (or a job inside
     * it) handed it to, and hands it on. */
    nholders = at + 1;
    if (push)
        holders[nholders++] = job;
    int old = fg_job;
    fg_job = job;
    spin_unlock(&cons_lock);
    return old;
}

int console_may_join(int job)
{
    spin_lock(&cons_lock);
    int ok = holder_at(job) < 0 || holder_at(my_job()) >= 0;
    spin_unlock(&cons_lock);
    return ok;
}

void console_proc_exit(int pid)
{
    spin_lock(&cons_lock);
    if (raw_pid == pid)
        raw_pid = 0;
    spin_unlock(&cons_lock);
}
