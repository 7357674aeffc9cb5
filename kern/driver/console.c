/*
 * console.c -- the kernel console.
 *
 * Output goes to two devices at once: the CGA (or MDA) text screen, whose
 * character cells the kernel writes directly, and the first serial port,
 * so that a log survives on a terminal or in a file under QEMU -serial.
 * Input comes from the PS/2 keyboard (scancode set 1, US layout) and the
 * serial line.  Both input devices are drained into one ring buffer, by
 * their interrupt handlers or by cons_getc polling them, and cons_getc
 * hands the buffered characters out in arrival order.
 */
#include <defs.h>
#include <x86.h>
#include <sync.h>
#include <picirq.h>
#include <cga.h>
#include <console.h>

/* ------------------------------------------------------------------ */
/* COM1, a 16550-compatible UART                                       */
/* ------------------------------------------------------------------ */

#define COM1     0x3F8
#define COM_DATA 0 /* in: receive buffer; out: transmit holding */
#define COM_DLL  0 /* with LCR_DLAB: divisor latch, low byte */
#define COM_DLM  1 /* with LCR_DLAB: divisor latch, high byte */
#define COM_IER  1 /* interrupt enable register */
#define COM_IIR  2 /* in: interrupt identification */
#define COM_FCR  2 /* out: FIFO control */
#define COM_LCR  3 /* line control */
#define COM_MCR  4 /* modem control */
#define COM_LSR  5 /* line status */

#define IER_RDI    0x01 /* interrupt when received data is available */
#define FCR_ENABLE 0x01 /* turn the FIFOs on */
#define FCR_CLEAR  0x06 /* empty both FIFOs */
#define LCR_8N1    0x03 /* 8 data bits, no parity, 1 stop bit */
#define LCR_DLAB   0x80 /* make ports 0 and 1 the divisor latch */
#define MCR_DTR    0x01
#define MCR_RTS    0x02
#define MCR_OUT2   0x08 /* on a PC, gates the UART's IRQ line to the PIC */
#define LSR_DATA   0x01 /* a received byte is waiting */
#define LSR_THRE   0x20 /* the transmitter can take a byte */
#define LSR_ABSENT 0xFF /* what an empty I/O port reads as */

#define COM_BAUD     115200
#define COM_DIVISOR  (115200 / COM_BAUD)
#define COM_TX_SPINS 12800 /* ~50 ms of delay() before giving up on a byte */

static bool serial_exists;

/* delay - about a microsecond: reads of an unused port are slow on purpose. */
static void delay(void)
{
    for (int i = 0; i < 4; i++) {
        inb(0x84);
    }
}

/* serial_init - program COM1 for COM_BAUD 8N1 with FIFOs and the receive
 * interrupt, or note that there is no UART to program. */
static void serial_init(void)
{
    serial_exists = inb(COM1 + COM_LSR) != LSR_ABSENT;
    if (!serial_exists) {
        return;
    }
    outb(COM1 + COM_IER, 0);
    outb(COM1 + COM_LCR, LCR_DLAB);
    outb(COM1 + COM_DLL, COM_DIVISOR & 0xFF);
    outb(COM1 + COM_DLM, COM_DIVISOR >> 8);
    outb(COM1 + COM_LCR, LCR_8N1);
    outb(COM1 + COM_FCR, FCR_ENABLE | FCR_CLEAR);
    outb(COM1 + COM_MCR, MCR_DTR | MCR_RTS | MCR_OUT2);
    outb(COM1 + COM_IER, IER_RDI);

    /* Acknowledge anything left over from the firmware. */
    inb(COM1 + COM_IIR);
    inb(COM1 + COM_DATA);
}

/* serial_send - transmit one byte.  The wait for the transmitter is bounded:
 * if it stays busy (a wedged line, a host end nobody reads), the byte is
 * written anyway and may be lost, but printing never hangs. */
static void serial_send(uint8_t b)
{
    for (int i = 0; i < COM_TX_SPINS; i++) {
        if (inb(COM1 + COM_LSR) & LSR_THRE) {
            break;
        }
        delay();
    }
    outb(COM1 + COM_DATA, b);
}

static void serial_putc(int c)
{
    if (!serial_exists) {
        return;
    }
    switch (c & 0xFF) {
    case '\n':
        serial_send('\r');
        serial_send('\n');
        break;
    case '\b':
        serial_send('\b');
        serial_send(' ');
        serial_send('\b');
        break;
    default:
        serial_send(c & 0xFF);
        break;
    }
}

/* serial_proc_data - the next received character, 0 for a byte that
 * yields none, or -1 when the receiver is empty. */
static int serial_proc_data(void)
{
    if (!(inb(COM1 + COM_LSR) & LSR_DATA)) {
        return -1;
    }
    int c = inb(COM1 + COM_DATA);
    if (c == '\r') {
        return '\n';
    }
    if (c == 0x7F) {
        return '\b';
    }
    return c;
}

/* ------------------------------------------------------------------ */
/* PS/2 keyboard behind the 8042 controller                            */
/* ------------------------------------------------------------------ */

#define KBD_DATA   0x60 /* scancodes in */
#define KBD_STATUS 0x64 /* controller status in */
#define KBD_RESET  0x92 /* system control port A; bit 0 resets the CPU */
#define KBS_FULL   0x01 /* status: a byte waits at KBD_DATA */
#define KBS_AUX    0x20 /* status: that byte is from the mouse */

#define SC_E0      0xE0 /* prefix of the extended keys */
#define SC_E1      0xE1 /* prefix of the Pause key's sequence */
#define SC_E1_LEN  2    /* bytes after each E1 that belong to it */
#define SC_RELEASE 0x80 /* set in a scancode when the key goes up */
#define SC_DELETE  0x53 /* Delete, with or without the E0 prefix */
#define SC_PGUP    0x49 /* Page Up (E0 49; without E0, keypad 9) */
#define SC_PGDN    0x51 /* Page Down (E0 51; without E0, keypad 3) */
#define SCROLL_ROWS (CGA_ROWS / 2) /* one Shift+PgUp/PgDn, as on Linux */

/* The tables below are indexed by a key: the scancode without its release
 * bit, plus KEY_E0 when it came after the E0 prefix. */
#define KEY_E0 0x80
#define NO     0

/* Modifier state bits, left and right kept apart so releasing one Shift
 * while the other is still down leaves Shift held. */
#define MOD_LSHIFT   0x01
#define MOD_RSHIFT   0x02
#define MOD_LCTRL    0x04
#define MOD_RCTRL    0x08
#define MOD_LALT     0x10
#define MOD_RALT     0x20
#define MOD_CAPSKEY  0x40 /* the Caps Lock key is down */
#define MOD_CAPSLOCK 0x80 /* Caps Lock is on */
#define MOD_SHIFT    (MOD_LSHIFT | MOD_RSHIFT)
#define MOD_CTRL     (MOD_LCTRL | MOD_RCTRL)
#define MOD_ALT      (MOD_LALT | MOD_RALT)

/* Keys that are modifiers.  E0 2A / E0 36 (the "fake shifts" some keys
 * send around themselves) are absent on purpose. */
/* The scancode tables keep their hand layout, several codes per row. */
// clang-format off
static const uint8_t modmap[256] = {
    [0x1D] = MOD_LCTRL,  [KEY_E0 | 0x1D] = MOD_RCTRL,
    [0x2A] = MOD_LSHIFT, [0x36] = MOD_RSHIFT,
    [0x38] = MOD_LALT,   [KEY_E0 | 0x38] = MOD_RALT,
    [0x3A] = MOD_CAPSKEY,
};

static const uint8_t normalmap[256] = {
    NO,   0x1B, '1',  '2',  '3',  '4',  '5',  '6',  /* 0x00 */
    '7',  '8',  '9',  '0',  '-',  '=',  '\b', '\t', /* 0x08 */
    'q',  'w',  'e',  'r',  't',  'y',  'u',  'i',  /* 0x10 */
    'o',  'p',  '[',  ']',  '\n', NO,   'a',  's',  /* 0x18 */
    'd',  'f',  'g',  'h',  'j',  'k',  'l',  ';',  /* 0x20 */
    '\'', '`',  NO,   '\\', 'z',  'x',  'c',  'v',  /* 0x28 */
    'b',  'n',  'm',  ',',  '.',  '/',  NO,   '*',  /* 0x30 */
    NO,   ' ',  NO,   NO,   NO,   NO,   NO,   NO,   /* 0x38 */
    NO,   NO,   NO,   NO,   NO,   NO,   NO,   '7',  /* 0x40 */
    '8',  '9',  '-',  '4',  '5',  '6',  '+',  '1',  /* 0x48 */
    '2',  '3',  '0',  '.',                          /* 0x50 */
    [KEY_E0 | 0x1C] = '\n', /* keypad Enter */
    [KEY_E0 | 0x35] = '/',  /* keypad / */
};

static const uint8_t shiftmap[256] = {
    NO,   0x1B, '!',  '@',  '#',  '$',  '%',  '^',  /* 0x00 */
    '&',  '*',  '(',  ')',  '_',  '+',  '\b', '\t', /* 0x08 */
    'Q',  'W',  'E',  'R',  'T',  'Y',  'U',  'I',  /* 0x10 */
    'O',  'P',  '{',  '}',  '\n', NO,   'A',  'S',  /* 0x18 */
    'D',  'F',  'G',  'H',  'J',  'K',  'L',  ':',  /* 0x20 */
    '"',  '~',  NO,   '|',  'Z',  'X',  'C',  'V',  /* 0x28 */
    'B',  'N',  'M',  '<',  '>',  '?',  NO,   '*',  /* 0x30 */
    NO,   ' ',  NO,   NO,   NO,   NO,   NO,   NO,   /* 0x38 */
    NO,   NO,   NO,   NO,   NO,   NO,   NO,   '7',  /* 0x40 */
    '8',  '9',  '-',  '4',  '5',  '6',  '+',  '1',  /* 0x48 */
    '2',  '3',  '0',  '.',                          /* 0x50 */
    [KEY_E0 | 0x1C] = '\n',
    [KEY_E0 | 0x35] = '/',
};
// clang-format on

static unsigned int kbd_mods; /* MOD_* bits */
static bool kbd_e0;           /* the previous byte was SC_E0 */
static int kbd_skip;          /* bytes of a Pause sequence still to drop */

static bool is_letter(int c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static void kbd_reboot(void) { outb(KBD_RESET, 0x3); }

/* kbd_char - the character a pressed @key produces under the current
 * modifiers, or 0 for keys that produce none.  Ctrl+Alt+Del reboots;
 * Shift+PgUp and Shift+PgDn scroll the screen's view (cga_scrollback). */
static int kbd_char(unsigned int key)
{
    bool ctrl = kbd_mods & MOD_CTRL;

    if (ctrl && (kbd_mods & MOD_ALT) && (key & ~KEY_E0) == SC_DELETE) {
        kbd_reboot();
    }
    if ((kbd_mods & MOD_SHIFT) && (key == (KEY_E0 | SC_PGUP) ||
                                   key == (KEY_E0 | SC_PGDN))) {
        cga_scrollback(key == (KEY_E0 | SC_PGUP) ? SCROLL_ROWS : -SCROLL_ROWS);
        return 0;
    }
    int c = (kbd_mods & MOD_SHIFT) ? shiftmap[key] : normalmap[key];
    if ((kbd_mods & MOD_CAPSLOCK) && is_letter(c)) {
        c ^= 'a' ^ 'A';
    }
    if (ctrl && is_letter(c)) {
        c &= 0x1F;
    }
    return c;
}

/* kbd_decode - feed one scancode byte to the decoder; the character it
 * completes, or 0 (prefixes, releases, modifiers, unmapped keys). */
static int kbd_decode(uint8_t sc)
{
    if (kbd_skip > 0) {
        kbd_skip--;
        return 0;
    }
    if (sc == SC_E1) {
        kbd_skip = SC_E1_LEN;
        return 0;
    }
    if (sc == SC_E0) {
        kbd_e0 = true;
        return 0;
    }
    unsigned int key = (sc & ~SC_RELEASE) | (kbd_e0 ? KEY_E0 : 0);
    kbd_e0 = false;

    if (sc & SC_RELEASE) {
        kbd_mods &= ~modmap[key];
        return 0;
    }
    /* Toggle on the first make code only, not on the key's auto-repeat. */
    if ((modmap[key] & MOD_CAPSKEY) && !(kbd_mods & MOD_CAPSKEY)) {
        kbd_mods ^= MOD_CAPSLOCK;
    }
    kbd_mods |= modmap[key];
    return kbd_char(key);
}

/* kbd_proc_data - like serial_proc_data, for the keyboard. */
static int kbd_proc_data(void)
{
    uint8_t status = inb(KBD_STATUS);

    if (!(status & KBS_FULL)) {
        return -1;
    }
    uint8_t sc = inb(KBD_DATA);
    if (status & KBS_AUX) {
        return 0;
    }
    return kbd_decode(sc);
}

/* ------------------------------------------------------------------ */
/* Input ring buffer and the exported interface                        */
/* ------------------------------------------------------------------ */

#define CONS_BUF_SIZE 512

/* Empty when rpos == wpos; one slot stays unused so full != empty. */
static struct {
    uint8_t buf[CONS_BUF_SIZE];
    uint32_t rpos;
    uint32_t wpos;
} cons_in;

/* cons_intr - drain a device through @proc into cons_in.  Characters that
 * find the buffer full are dropped: newer typing loses, older is kept. */
static void cons_intr(int (*proc)(void))
{
    int c;

    while ((c = proc()) != -1) {
        uint32_t next = (cons_in.wpos + 1) % CONS_BUF_SIZE;
        if (c == 0 || next == cons_in.rpos) {
            continue;
        }
        cons_in.buf[cons_in.wpos] = c;
        cons_in.wpos = next;
    }
}

/* kbd_intr - buffer the keyboard's pending input (IRQ_KBD handler). */
void kbd_intr(void) { cons_intr(kbd_proc_data); }

/* serial_intr - buffer COM1's pending input (IRQ_COM1 handler). */
void serial_intr(void)
{
    if (serial_exists) {
        cons_intr(serial_proc_data);
    }
}

/* cons_init - bring up screen, serial line and keyboard; unmask their IRQs. */
void cons_init(void)
{
    cga_init();
    serial_init();
    kbd_intr(); /* consume bytes queued before boot; keeps modifiers right */

    pic_enable(IRQ_KBD);
    if (serial_exists) {
        pic_enable(IRQ_COM1);
    }
}

static unsigned int cons_count; /* characters printed, for cons_written */
static bool cons_open_line;     /* the last one was not '\n' */
static bool cons_ticking;       /* cons_tick has run: ticks come */

/* cons_putc - print @c on both output devices, atomically w.r.t. IRQs.
 * The screen is flushed at once unless interrupts were on and ticks come
 * (cons_tick flushes it within a tick): with interrupts off -- at boot,
 * in a panic, in a section that may never end -- what was printed is
 * always on the screen. */
void cons_putc(int c)
{
    bool intr_flag;

    local_intr_save(intr_flag);
    serial_putc(c);
    cga_putc(c);
    if (!intr_flag || !cons_ticking) {
        cga_flush();
    }
    cons_count++;
    cons_open_line = c != '\n';
    local_intr_restore(intr_flag);
}

void cons_tick(void)
{
    cons_ticking = true;
    cga_flush();
}

unsigned int cons_written(void) { return cons_count; }

bool cons_mid_line(void) { return cons_open_line; }

/* cons_getc - the oldest buffered input character after polling, or 0. */
int cons_getc(void)
{
    bool intr_flag;
    int c = 0;

    local_intr_save(intr_flag);
    cga_flush(); /* someone waits for a key: show them everything */
    serial_intr();
    kbd_intr();
    if (cons_in.rpos != cons_in.wpos) {
        c = cons_in.buf[cons_in.rpos];
        cons_in.rpos = (cons_in.rpos + 1) % CONS_BUF_SIZE;
    }
    local_intr_restore(intr_flag);
    return c;
}
