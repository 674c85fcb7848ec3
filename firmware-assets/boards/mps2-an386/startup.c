/* Vector table and reset handler: copy .data, zero .bss, point VTOR at our table, call main. */
#include <stdint.h>

extern uint32_t __StackTop;
extern uint32_t __data_load, __data_start, __data_end, __bss_start, __bss_end;
extern int main(void);

void Reset_Handler(void);
void Default_Handler(void);
void SysTick_Handler(void) __attribute__((weak, alias("Default_Handler")));
void UART0_RX_Handler(void) __attribute__((weak, alias("Default_Handler")));
void UART0_TX_Handler(void) __attribute__((weak, alias("Default_Handler")));

#define VECTOR_SYSTEM_ENTRIES 16u
#define VECTOR_IRQ_ENTRIES 32u
#define SCB_VTOR (*(volatile uint32_t *)0xE000ED08u)

typedef void (*vector_t)(void);

__attribute__((section(".vectors"), used)) const vector_t vector_table[VECTOR_SYSTEM_ENTRIES + VECTOR_IRQ_ENTRIES] = {
    (vector_t)(uintptr_t)&__StackTop, Reset_Handler, Default_Handler, Default_Handler, Default_Handler,
    Default_Handler, Default_Handler, 0, 0, 0, 0, Default_Handler, Default_Handler, 0, Default_Handler,
    SysTick_Handler,
    /* IRQ 0: UART0 RX, IRQ 1: UART0 TX (CMSDK numbering on MPS2) */
    UART0_RX_Handler, UART0_TX_Handler, Default_Handler, Default_Handler, Default_Handler, Default_Handler,
    Default_Handler, Default_Handler, Default_Handler, Default_Handler, Default_Handler, Default_Handler,
    Default_Handler, Default_Handler, Default_Handler, Default_Handler, Default_Handler, Default_Handler,
    Default_Handler, Default_Handler, Default_Handler, Default_Handler, Default_Handler, Default_Handler,
    Default_Handler, Default_Handler, Default_Handler, Default_Handler, Default_Handler, Default_Handler,
    Default_Handler, Default_Handler};

void Reset_Handler(void) {
  uint32_t *src = &__data_load;
  for (uint32_t *dst = &__data_start; dst < &__data_end;) *dst++ = *src++;
  for (uint32_t *dst = &__bss_start; dst < &__bss_end;) *dst++ = 0;
  /* The app runs at 0x10000 behind the bootloader: its own table must take over. */
  SCB_VTOR = (uint32_t)(uintptr_t)vector_table;
  main();
  for (;;) {
  }
}

void Default_Handler(void) {
  for (;;) {
  }
}
