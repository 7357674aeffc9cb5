/*
 * cga.c -- the CGA (or MDA) text screen, and its scrollback.
 *
 * The kernel prints into `screen`, a copy of the character cells in
 * RAM, and cga_flush copies the cells that changed (and the cursor) to
 * the adapter's text memory.  The adapter's memory is slow to touch --
 * under QEMU every access is an emulated device access, and scrolling it
 * in place read and wrote the whole screen for every line -- so the
 * console flushes once per timer tick while ticks come and interrupts
 * were on, and at once otherwise (console.c).  A row that scrolls off
 * the top is kept in a ring of CGA_HISTORY rows, so the boot's lines can
 * be read again after they have gone (Shift+PgUp / Shift+PgDn,
 * console.c).  While the view is scrolled back, the live screen waits in
 * `screen`; the next character printed brings it back.
 */
#include <defs.h>
#include <x86.h>
#include <string.h>
#include <memlayout.h>
#include <cga.h>

#define CGA_BUF   0xB8000 /* colour adapter's text memory (physical) */
#define MONO_BUF  0xB0000 /* monochrome adapter's text memory (physical) */
#define CGA_BASE  0x3D4   /* colour adapter's CRT controller index port */
#define MONO_BASE 0x3B4   /* monochrome adapter's CRT controller index port */

#define CRT_ROWS      CGA_ROWS
#define CRT_COLS      80
#define CRT_SIZE      (CRT_ROWS * CRT_COLS)
#define CRT_CURSOR_HI 14 /* CRTC register: cursor location, high byte */
#define CRT_CURSOR_LO 15 /* CRTC register: cursor location, low byte */

#define ATTR_DEFAULT 0x0700 /* light grey on black */
#define TAB_WIDTH    8
#define CGA_HISTORY  256 /* rows kept after they scroll off (40 KiB) */

static uint16_t *crt_buf; /* the adapter's text memory */
static uint16_t crt_pos;  /* cell the next character goes to */
static uint16_t crt_port; /* CRT controller index port */

static uint16_t screen[CRT_SIZE]; /* the live screen */
static uint16_t dirty_lo = CRT_SIZE, dirty_hi; /* cells of screen that
                                                  crt_buf lacks */
static bool cursor_moved; /* crt_pos is not yet the adapter's cursor */

static uint16_t history[CGA_HISTORY][CRT_COLS];
static unsigned int history_rows; /* rows ever scrolled off; the newest
                                     is history[(history_rows - 1) % ..] */
static int view_back;             /* rows the view is back; 0: live */

void cga_init(void)
{
    volatile uint16_t *probe = (uint16_t *)(KERNBASE + CGA_BUF);
    uint16_t saved = *probe;

    *probe = 0xA55A;
    if (*probe != 0xA55A) {
        crt_buf = (uint16_t *)(KERNBASE + MONO_BUF);
        crt_port = MONO_BASE;
    } else {
        *probe = saved;
        crt_buf = (uint16_t *)(KERNBASE + CGA_BUF);
        crt_port = CGA_BASE;
    }

    outb(crt_port, CRT_CURSOR_HI);
    crt_pos = inb(crt_port + 1) << 8;
    outb(crt_port, CRT_CURSOR_LO);
    crt_pos |= inb(crt_port + 1);
    if (crt_pos >= CRT_SIZE) {
        crt_pos = 0;
    }
    memcpy(screen, crt_buf, sizeof(screen)); /* what the BIOS printed */
}

/* touch - cells [lo, hi) of screen have changed. */
static void touch(uint16_t lo, uint16_t hi)
{
    dirty_lo = MIN(dirty_lo, lo);
    dirty_hi = MAX(dirty_hi, hi);
}

/* cga_set_cursor - show the cursor at cell @pos (CRT_SIZE: hidden). */
static void cga_set_cursor(uint16_t pos)
{
    outb(crt_port, CRT_CURSOR_HI);
    outb(crt_port + 1, pos >> 8);
    outb(crt_port, CRT_CURSOR_LO);
    outb(crt_port + 1, pos & 0xFF);
}

/* cga_scroll - keep the top row in the history, move every row up one
 * line and blank the bottom row. */
static void cga_scroll(void)
{
    memcpy(history[history_rows % CGA_HISTORY], screen, sizeof(history[0]));
    history_rows++;
    memmove(screen, screen + CRT_COLS, (CRT_SIZE - CRT_COLS) * sizeof(screen[0]));
    for (int i = CRT_SIZE - CRT_COLS; i < CRT_SIZE; i++) {
        screen[i] = ATTR_DEFAULT | ' ';
    }
    crt_pos -= CRT_COLS;
    touch(0, CRT_SIZE);
}

/* put - cell @pos of the screen becomes @cell. */
static void put(uint16_t pos, uint16_t cell)
{
    screen[pos] = cell;
    touch(pos, pos + 1);
}

void cga_putc(int c)
{
    int attr = (c & ~0xFF) ? (c & 0xFF00) : ATTR_DEFAULT;

    if (view_back != 0) { /* back to the live screen, drawn at the flush */
        view_back = 0;
        touch(0, CRT_SIZE);
    }
    switch (c & 0xFF) {
    case '\b':
        if (crt_pos > 0) {
            put(--crt_pos, attr | ' ');
        }
        break;
    case '\n':
        crt_pos += CRT_COLS; /* a newline also returns to column 0 */
        __attribute__((fallthrough));
    case '\r':
        crt_pos -= crt_pos % CRT_COLS;
        break;
    case '\t':
        do {
            cga_putc(attr | ' ');
        } while (crt_pos % TAB_WIDTH != 0);
        break;
    default:
        put(crt_pos++, attr | (c & 0xFF));
        break;
    }
    if (crt_pos >= CRT_SIZE) {
        cga_scroll();
    }
    cursor_moved = true;
}

void cga_flush(void)
{
    if (view_back != 0) { /* the view shows history; screen waits */
        return;
    }
    if (dirty_lo < dirty_hi) {
        memcpy(crt_buf + dirty_lo, screen + dirty_lo,
               (dirty_hi - dirty_lo) * sizeof(screen[0]));
        dirty_lo = CRT_SIZE;
        dirty_hi = 0;
    }
    if (cursor_moved) {
        cga_set_cursor(crt_pos);
        cursor_moved = false;
    }
}

/* history_kept - how many rows the history holds. */
static int history_kept(void)
{
    return history_rows < CGA_HISTORY ? (int)history_rows : CGA_HISTORY;
}

/* cga_draw_view - fill the adapter's screen with the rows view_back rows
 * above the live screen: the history's rows, then the live screen's top
 * rows. */
static void cga_draw_view(void)
{
    int kept = history_kept();

    for (int r = 0; r < CRT_ROWS; r++) {
        int row = kept - view_back + r; /* in history, then live */
        const uint16_t *src =
            row < kept ? history[(history_rows - kept + row) % CGA_HISTORY]
                       : screen + (row - kept) * CRT_COLS;
        memcpy(crt_buf + r * CRT_COLS, src, CRT_COLS * sizeof(crt_buf[0]));
    }
}

int cga_scrollback(int rows)
{
    int back = view_back + rows;

    if (back > history_kept()) {
        back = history_kept();
    }
    if (back < 0) {
        back = 0;
    }
    if (back == view_back) {
        return view_back;
    }
    view_back = back;
    if (view_back == 0) {
        touch(0, CRT_SIZE);
        cursor_moved = true;
        cga_flush();
    } else {
        cga_draw_view();
        cga_set_cursor(CRT_SIZE);
    }
    return view_back;
}
