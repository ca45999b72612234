/* NS16550A UART (as QEMU virt emulates it). Output is polled, so that
 * printk works in any context, including panic; input arrives by the
 * receive-data interrupt through the PLIC. */
#include "uart.h"
#include "../arch/riscv/memlayout.h"
#include "../kernel/console.h"

#define RBR 0 /* receive buffer (read) */
#define THR 0 /* transmit holding (write) */
#define IER 1 /* interrupt enable */
#define FCR 2 /* FIFO control */
#define LCR 3 /* line control */
#define LSR 5 /* line status */
#define LSR_DATA_READY 0x01
#define LSR_THR_EMPTY 0x20

static volatile uint8_t *uart;

static inline uint8_t rd(int r) { return uart[r]; }
static inline void wr(int r, uint8_t v) { uart[r] = v; }

void uart_init(uint64_t base_pa)
{
    uart = (volatile uint8_t *)pa_to_va(base_pa);
    wr(IER, 0);
    wr(LCR, 0x03); /* 8 data bits, no parity, one stop bit */
    wr(FCR, 0x07); /* enable and reset both FIFOs */
}

void uart_enable_rx_irq(void)
{
    if (uart)
        wr(IER, 0x01); /* received data available */
}

void uart_disable_rx_irq(void)
{
    if (uart)
        wr(IER, 0);
}

void uart_putc_sync(char c)
{
    if (!uart)
        return;
    while (!(rd(LSR) & LSR_THR_EMPTY))
        ;
    wr(THR, (uint8_t)c);
}

void uart_intr(void)
{
    /* Every byte is taken at once: the console acts on ^C and ^P even
     * when its buffer is full, and drops what it has no room for. */
    while (rd(LSR) & LSR_DATA_READY)
        console_input(rd(RBR));
}
