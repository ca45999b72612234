/* The console: a line discipline over the UART. Input arrives from the
 * UART interrupt; it is echoed, edited (backspace, ^U) and handed to
 * readers a line at a time; ^D ends input, ^P lists processes. */
#include "console.h"
#include "printk.h"
#include "proc.h"
#include "spinlock.h"
#include "../drivers/uart.h"
#include "../mm/vm.h"

#define INPUT_SIZE 256
#define CTRL(c) ((c) - '@')

static struct spinlock cons_lock = {0, "console", 0};
static char input[INPUT_SIZE];
static uint64_t rpos, wpos, epos; /* read, committed (write), edit positions */

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

void console_init(void) { uart_enable_rx_irq(); }

void console_input(int c)
{
    spin_lock(&cons_lock);
    switch (c) {
    case CTRL('P'):
        proc_dump();
        break;
    case CTRL('U'):
        while (epos != wpos && input[(epos - 1) % INPUT_SIZE] != '\n') {
            epos--;
            echo('\b');
        }
        break;
    case '\b':
    case 0x7f:
        if (epos != wpos) {
            epos--;
            echo('\b');
        }
        break;
    default:
        if (c == 0 || epos - rpos >= INPUT_SIZE)
            break;
        if (c == '\r')
            c = '\n';
        echo(c == CTRL('D') ? '\n' : c);
        input[epos++ % INPUT_SIZE] = (char)c;
        if (c == '\n' || c == CTRL('D') || epos - rpos == INPUT_SIZE) {
            wpos = epos;
            wakeup(&rpos);
        }
    }
    spin_unlock(&cons_lock);
}

int console_read(uint64_t dst, int n)
{
    struct proc *p = myproc();
    int got = 0;
    spin_lock(&cons_lock);
    while (got < n) {
        while (rpos == wpos) {
            if (proc_killed(p)) {
                spin_unlock(&cons_lock);
                return -1;
            }
            sleep_on(&rpos, &cons_lock);
        }
        char c = input[rpos++ % INPUT_SIZE];
        if (c == CTRL('D')) {
            if (got > 0)
                rpos--; /* keep it: the next read returns 0 */
            break;
        }
        if (copyout(p->as, dst + (uint64_t)got, &c, 1) < 0) {
            rpos--;
            break;
        }
        got++;
        if (c == '\n')
            break;
    }
    spin_unlock(&cons_lock);
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
