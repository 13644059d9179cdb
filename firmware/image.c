/* image.c: a firmware image around the runtime core, run under QEMU
 * (Cortex-M4 on mps2-an386, RV64 on virt) by firmware/qemu.sh. It keeps
 * its database in RAM (ram_driver.c), runs the steps of steps.c, checks
 * every line of their trace against the host's (expected_trace.h, written
 * by trace.c from the host build of the same set), measures the stack the
 * steps take (painted before each, scanned after), and reports through
 * semihosting, whose exit status is 0 only when every line agreed. */
#include "app_migrations.h"
#include "steps.h"

#include "expected_trace.h"

#define TRACE_LINES (sizeof expected_trace / sizeof expected_trace[0])
#define STACK_PAINT 0x5a5aa5a5u

/* ---- semihosting: output and the exit status ---- */

#define SYS_WRITE0		     0x04
#define SYS_EXIT		     0x18
#define SYS_EXIT_EXTENDED	     0x20
#define ADP_STOPPED_APPLICATION_EXIT 0x20026

static long semihost(long operation, const void *argument)
{
#if defined(__arm__)
	register long r0 __asm__("r0") = operation;
	register const void *r1 __asm__("r1") = argument;
	__asm__ volatile("bkpt 0xab" : "+r"(r0) : "r"(r1) : "memory");
	return r0;
#elif defined(__riscv)
	register long a0 __asm__("a0") = operation;
	register const void *a1 __asm__("a1") = argument;
	/* The sequence QEMU recognises: uncompressed, in one page. */
	__asm__ volatile(".option push\n\t.option norvc\n\t.balign 16\n\t"
			 "slli zero, zero, 0x1f\n\tebreak\n\t"
			 "srai zero, zero, 7\n\t.option pop"
			 : "+r"(a0)
			 : "r"(a1)
			 : "memory");
	return a0;
#else
#error "semihosting for this architecture is missing"
#endif
}

static void finish(int status)
{
	/* 64-bit semihosting takes the block in SYS_EXIT itself. */
	long block[2] = {ADP_STOPPED_APPLICATION_EXIT, status};

	semihost(sizeof(long) == 8 ? SYS_EXIT : SYS_EXIT_EXTENDED, block);
	for (;;) {
	}
}

static char pending[80];
static size_t pending_length;

static void flush(void)
{
	pending[pending_length] = '\0';
	if (pending_length > 0)
		semihost(SYS_WRITE0, pending);
	pending_length = 0;
}

static void put(const char *text, size_t length)
{
	size_t i;

	for (i = 0; i < length; i++) {
		if (pending_length + 1 == sizeof pending)
			flush();
		pending[pending_length++] = text[i];
	}
}

static void say(const char *text)
{
	put(text, ram_length(text));
}

static void say_number(uint64_t number)
{
	char digits[20];
	size_t n = 0;

	do {
		digits[n++] = (char)('0' + number % 10);
		number /= 10;
	} while (number != 0);
	while (n > 0)
		put(&digits[--n], 1);
}

/* ---- the trace, line by line against the host's ---- */

typedef struct checker {
	size_t next;
	int failed;
} checker;

static void say_line(const char *event, const char *text, size_t length,
		     uint64_t number)
{
	say(event);
	say(" \"");
	put(text, length);
	say("\" ");
	say_number(number);
	say("\n");
}

static void check_line(const char *event, const char *text, size_t length,
		       uint64_t number, void *payload)
{
	checker *c = payload;
	const trace_line *e = &expected_trace[c->next];

	if (c->failed)
		return;
	if (c->next < TRACE_LINES &&
	    ram_same(e->event, event, ram_length(event)) &&
	    ram_same(e->text, text, length) && e->number == number) {
		c->next++;
		return;
	}
	c->failed = 1;
	say("FAIL: trace line ");
	say_number(c->next + 1);
	say(" differs from the host's\n  host:   ");
	if (c->next < TRACE_LINES)
		say_line(e->event, e->text, ram_length(e->text), e->number);
	else
		say("(no more lines)\n");
	say("  target: ");
	say_line(event, text, length, number);
}

/* ---- the stack: painted below the caller before a step, scanned after */

extern uint32_t __stack_bottom[];

static uintptr_t stack_pointer(void)
{
	uintptr_t sp;

#if defined(__arm__)
	__asm__ volatile("mov %0, sp" : "=r"(sp));
#else
	__asm__ volatile("mv %0, sp" : "=r"(sp));
#endif
	return sp;
}

/* Bytes of stack that step `step` took below this function's frame: the
 * core, the RAM driver and the trace check. */
static __attribute__((noinline)) size_t
measured_step(unsigned step, const migc_driver *driver, checker *c, int *rc)
{
	static migc_error error;
	volatile uint32_t *word = __stack_bottom;
	uintptr_t top = stack_pointer() - 16;

	/* Nothing is called while painting: it stays below this frame. */
	for (; (uintptr_t)word < top; word++)
		*word = STACK_PAINT;
	*rc =
	    firmware_step(step, &app_migrations, driver, check_line, c, &error);
	for (word = __stack_bottom; (uintptr_t)word < top; word++)
		if (*word != STACK_PAINT)
			break;
	return word == __stack_bottom ? (size_t)-1 : top + 16 - (uintptr_t)word;
}

int main(void)
{
	static ram_database db;
	migc_driver driver;
	checker c = {0, 0};
	size_t most = 0;
	unsigned step;
	int rc = MIGC_OK;

	ram_driver(&driver, &db, app_migrations.dialect, check_line, &c);
	for (step = 0; step < FIRMWARE_STEP_COUNT && !c.failed; step++) {
		size_t used = measured_step(step, &driver, &c, &rc);

		if (used == (size_t)-1) {
			say("FAIL: the stack overflowed its region\n");
			c.failed = 1;
		}
		if (used > most)
			most = used;
		if (rc != MIGC_OK && !c.failed) {
			say("FAIL: step ");
			say_number(step + 1);
			say(" failed\n");
			c.failed = 1;
		}
	}
	if (!c.failed && c.next != TRACE_LINES) {
		say("FAIL: the target's trace ends at line ");
		say_number(c.next);
		say(", the host's has ");
		say_number(TRACE_LINES);
		say("\n");
		c.failed = 1;
	}
	if (!c.failed) {
		say("firmware: ");
		say_number(FIRMWARE_STEP_COUNT);
		say(" steps, ");
		say_number(TRACE_LINES);
		say(" trace lines, all as on the host\n");
	}
	say("firmware: stack high-water mark ");
	say_number(most);
	say(" bytes (core, RAM driver and trace check)\n");
	flush();
	return c.failed;
}

/* ---- start-up ---- */

extern uint32_t __bss_start[], __bss_end[];

static void start(void)
{
	uint32_t *p;

#if defined(__arm__)
	extern uint32_t __data_load[], __data_start[], __data_end[];
	const uint32_t *from = __data_load;

	for (p = __data_start; p < __data_end; p++)
		*p = *from++;
#endif
	for (p = __bss_start; p < __bss_end; p++)
		*p = 0;
	finish(main());
}

#if defined(__arm__)
extern uint32_t __stack_top[];

static void fault(void)
{
	say("FAIL: the core faulted\n");
	flush();
	finish(1);
}

/* Global: the linker's entry point (QEMU starts from the vector table). */
void reset(void);
void reset(void)
{
	/* The FPU on (CPACR: CP10 and CP11 full access), for hard float. */
	*(volatile uint32_t *)0xe000ed88u |= 0xfu << 20;
	start();
}

/* Initial stack pointer, reset, NMI, HardFault, MemManage, BusFault,
 * UsageFault. */
__attribute__((section(".vectors"),
	       used)) static void (*const vectors[])(void) = {
    (void (*)(void))__stack_top, reset, fault, fault, fault, fault, fault};
#elif defined(__riscv)
/* Freestanding: no libc, so the few functions a compiler may call on its
 * own, and an entry point that sets the stack. */
void *memcpy(void *to, const void *from, size_t n)
{
	unsigned char *d = to;
	const unsigned char *s = from;
	while (n--)
		*d++ = *s++;
	return to;
}

void *memset(void *to, int c, size_t n)
{
	unsigned char *d = to;
	while (n--)
		*d++ = (unsigned char)c;
	return to;
}

int memcmp(const void *a, const void *b, size_t n)
{
	const unsigned char *x = a, *y = b;
	for (; n--; x++, y++)
		if (*x != *y)
			return *x - *y;
	return 0;
}

void start_c(void);
void start_c(void)
{
	start();
}

__asm__(".section .text.start, \"ax\", @progbits\n"
	".globl _start\n"
	"_start:\n"
	".option push\n"
	".option norelax\n"
	"la gp, __global_pointer$\n"
	".option pop\n"
	"la sp, __stack_top\n"
	"call start_c\n"
	"1: j 1b\n");
#endif
