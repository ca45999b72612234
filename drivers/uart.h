#ifndef RVOS_DRIVERS_UART_H
#define RVOS_DRIVERS_UART_H
#include <stdint.h>
void uart_init(uint64_t base_pa);
void uart_enable_rx_irq(void);
void uart_disable_rx_irq(void);
void uart_putc_sync(char c);
/* Called from the external interrupt handler: drains received bytes into
 * the console's input buffer. */
void uart_intr(void);
#endif
