/*
 * CMSDK APB UART0 with interrupt-driven ring buffers, SysTick cycle counter, WFI idle.
 * RX back-pressure: when the RX ring is full the RX interrupt is masked and the byte stays in
 * the UART data register, so QEMU stops reading the pty and nothing is lost.
 */
#include "board.h"

#define UART0_BASE 0x40004000u
#define UART_DATA (*(volatile uint32_t *)(UART0_BASE + 0x00u))
#define UART_STATE (*(volatile uint32_t *)(UART0_BASE + 0x04u))
#define UART_CTRL (*(volatile uint32_t *)(UART0_BASE + 0x08u))
#define UART_INTSTATUS (*(volatile uint32_t *)(UART0_BASE + 0x0Cu))
#define UART_BAUDDIV (*(volatile uint32_t *)(UART0_BASE + 0x10u))
#define UART_STATE_TXFULL 0x1u
#define UART_STATE_RXFULL 0x2u
#define UART_CTRL_TXEN 0x1u
#define UART_CTRL_RXEN 0x2u
#define UART_CTRL_TXIE 0x4u
#define UART_CTRL_RXIE 0x8u
#define UART_INT_TX 0x1u
#define UART_INT_RX 0x2u
#define UART_BAUDDIV_115200 (BOARD_CPU_HZ / 115200u) /* QEMU ignores the rate but wants >= 16 */

#define NVIC_ISER0 (*(volatile uint32_t *)0xE000E100u)
#define IRQ_UART0_RX 0u
#define IRQ_UART0_TX 1u
#define SYST_CSR (*(volatile uint32_t *)0xE000E010u)
#define SYST_RVR (*(volatile uint32_t *)0xE000E014u)
#define SYST_CVR (*(volatile uint32_t *)0xE000E018u)
#define SYST_RELOAD 0x00FFFFFFu
#define SCB_AIRCR (*(volatile uint32_t *)0xE000ED0Cu)
#define AIRCR_SYSRESETREQ 0x05FA0004u

#define UART_RX_RING_BYTES 4096u /* powers of two: indices wrap with a mask */
#define UART_TX_RING_BYTES 4096u

static volatile uint8_t rx_ring[UART_RX_RING_BYTES];
static volatile uint32_t rx_head, rx_tail; /* head written by ISR, tail by main */
static volatile uint8_t tx_ring[UART_TX_RING_BYTES];
static volatile uint32_t tx_head, tx_tail; /* head written by main, tail by ISR */
static volatile uint32_t systick_wraps;

static inline void irq_disable(void) { __asm volatile("cpsid i" ::: "memory"); }
static inline void irq_enable(void) { __asm volatile("cpsie i" ::: "memory"); }
static inline void wait_for_interrupt(void) { __asm volatile("wfi" ::: "memory"); }

/* Moves bytes from the UART data register into the ring while both have some; masks RX when full. */
static void uart_rx_drain(void) {
  while (UART_STATE & UART_STATE_RXFULL) {
    if (rx_head - rx_tail >= UART_RX_RING_BYTES) {
      UART_CTRL &= ~UART_CTRL_RXIE;
      return;
    }
    rx_ring[rx_head & (UART_RX_RING_BYTES - 1u)] = (uint8_t)UART_DATA;
    rx_head++;
  }
}

static void uart_tx_feed(void) {
  while (tx_tail != tx_head && !(UART_STATE & UART_STATE_TXFULL)) {
    UART_DATA = tx_ring[tx_tail & (UART_TX_RING_BYTES - 1u)];
    tx_tail++;
  }
}

void UART0_RX_Handler(void) {
  UART_INTSTATUS = UART_INT_RX;
  uart_rx_drain();
}

void UART0_TX_Handler(void) {
  UART_INTSTATUS = UART_INT_TX;
  uart_tx_feed();
}

void SysTick_Handler(void) { systick_wraps++; }

void board_init(void) {
  UART_BAUDDIV = UART_BAUDDIV_115200;
  UART_CTRL = UART_CTRL_TXEN | UART_CTRL_RXEN | UART_CTRL_TXIE | UART_CTRL_RXIE;
  NVIC_ISER0 = (1u << IRQ_UART0_RX) | (1u << IRQ_UART0_TX);
  SYST_RVR = SYST_RELOAD;
  SYST_CVR = 0;
  SYST_CSR = 0x7u; /* enable, interrupt on wrap, processor clock */
  irq_enable();
}

void board_uart_write(const uint8_t *data, size_t n) {
  for (size_t i = 0; i < n; i++) {
    irq_disable();
    while (tx_head - tx_tail >= UART_TX_RING_BYTES) {
      uart_tx_feed();
      if (tx_head - tx_tail < UART_TX_RING_BYTES) break;
      /* WFI with PRIMASK set still wakes on a pending IRQ; enabling afterwards runs it. */
      wait_for_interrupt();
      irq_enable();
      irq_disable();
    }
    tx_ring[tx_head & (UART_TX_RING_BYTES - 1u)] = data[i];
    tx_head++;
    uart_tx_feed();
    irq_enable();
  }
}

void board_uart_flush(void) {
  for (;;) {
    irq_disable();
    uart_tx_feed();
    if (tx_tail == tx_head && !(UART_STATE & UART_STATE_TXFULL)) {
      irq_enable();
      return;
    }
    wait_for_interrupt();
    irq_enable();
  }
}

int32_t board_uart_read(void) {
  int32_t b = -1;
  irq_disable();
  if (rx_tail == rx_head) uart_rx_drain();
  if (rx_tail != rx_head) {
    b = rx_ring[rx_tail & (UART_RX_RING_BYTES - 1u)];
    rx_tail++;
    if (!(UART_CTRL & UART_CTRL_RXIE)) {
      /* Space again: take the byte that waited in the data register, then unmask. */
      uart_rx_drain();
      UART_CTRL |= UART_CTRL_RXIE;
    }
  }
  irq_enable();
  return b;
}

void board_idle(void) {
  irq_disable();
  uart_rx_drain();
  if (rx_tail == rx_head) wait_for_interrupt();
  irq_enable();
}

uint32_t board_cycles32(void) {
  uint32_t hi, v;
  do {
    hi = systick_wraps;
    v = SYST_CVR;
  } while (hi != systick_wraps);
  return hi * (SYST_RELOAD + 1u) + (SYST_RELOAD - v);
}

void board_reset(void) {
  board_uart_flush();
  SCB_AIRCR = AIRCR_SYSRESETREQ;
  for (;;) {
  }
}
