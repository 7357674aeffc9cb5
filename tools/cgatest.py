#!/usr/bin/env python3
"""cgatest.py IMAGE -- the CGA screen and its scrollback, in real QEMU.

Boots IMAGE with no display, types at the monitor with QEMU's `sendkey`
(the PS/2 keyboard, as a student's fingers would) and reads the screen
with `pmemsave` of the text memory at 0xB8000.  The screen is compared
with what the serial log says it should show: every byte of the log is
replayed through the CGA's rules (80 columns, wrap, tab stops, '\\b'), so
the live screen must be the replay's last 25 rows, and the view after k
Shift+PgUp presses the 25 rows 12k rows above them.  Checks: scrolling
back and forward by half a screen, the first kernel line reachable at the
top, the top and the bottom as stops, typing bringing the live screen
back, and, after more than 256 rows have scrolled off, the oldest row
kept being exactly the 256th above the screen.  Prints one line per
check; exits non-zero if one fails.
"""
import os
import shutil
import subprocess
import sys
import tempfile
import time

ROWS, COLS, HISTORY, STEP = 25, 80, 256, 12


def replay(text):
    """The screen rows the console's CGA rules make of the serial @text."""
    rows, col = [[" "] * COLS], 0
    for ch in text.replace("\r\n", "\n"):
        if ch == "\n":
            rows.append([" "] * COLS)
            col = 0
        elif ch == "\r":
            col = 0
        elif ch == "\b":
            if col > 0:
                col -= 1
                rows[-1][col] = " "
        elif ch == "\t":
            col = min(COLS, (col // 8 + 1) * 8)
        else:
            rows[-1][col] = ch
            col += 1
        if col == COLS:
            rows.append([" "] * COLS)
            col = 0
    return ["".join(r) for r in rows]


class Machine:
    def __init__(self, img, tmp):
        self.tmp = tmp
        self.log = os.path.join(tmp, "serial.log")
        disk = os.path.join(tmp, "disk.img")
        shutil.copy(img, disk)  # a running `make qemu` holds the image's lock
        self.qemu = subprocess.Popen(
            ["qemu-system-i386", "-m", "64M", "-no-reboot", "-display", "none",
             "-monitor", "stdio", "-serial", "file:" + self.log,
             "-drive", "file=%s,format=raw,index=0,media=disk" % disk],
            stdin=subprocess.PIPE, stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL, text=True)
        self.shots = 0

    def hmp(self, command):
        self.qemu.stdin.write(command + "\n")
        self.qemu.stdin.flush()

    def serial(self):
        with open(self.log, errors="replace") as f:
            return f.read()

    def settle(self, want=None, timeout=30.0):
        """Wait until the log contains @want (if given) and has not grown
        for 0.3 s; the log's text."""
        deadline = time.time() + timeout
        last, still = None, 0
        while time.time() < deadline:
            text = self.serial() if os.path.exists(self.log) else ""
            if want is None or want in text:
                still = still + 1 if text == last else 0
                if still >= 3:
                    return text
            last = text
            time.sleep(0.1)
        sys.exit("cgatest: timed out waiting for %r; the log ends:\n%s"
                 % (want, (last or "")[-600:]))

    def keys(self, *names):
        for name in names:
            self.hmp("sendkey " + name)
        time.sleep(0.05 * len(names))

    def type(self, line):
        names = {" ": "spc", "\n": "ret"}
        self.keys(*[names.get(c, c) for c in line])

    def screen(self):
        """The 25 rows of the CGA text memory once they have stopped
        changing: two shots 0.3 s apart that agree.  sendkey queues each
        key with a hold time, so a run of keys reaches the guest over
        seconds, later still on a loaded machine; one shot taken a fixed
        time after sending them could catch the view half-way."""
        shot = self.shot()
        for _ in range(100):
            time.sleep(0.3)
            again = self.shot()
            if again == shot:
                break
            shot = again
        return shot

    def shot(self):
        """The 25 rows of the CGA text memory now, characters only."""
        self.shots += 1
        out = os.path.join(self.tmp, "screen%d" % self.shots)
        self.hmp('pmemsave 0xb8000 %d "%s"' % (ROWS * COLS * 2, out))
        for _ in range(100):
            if os.path.exists(out) and os.path.getsize(out) == ROWS * COLS * 2:
                break
            time.sleep(0.05)
        time.sleep(0.05)
        data = open(out, "rb").read()
        text = "".join(chr(b) if 32 <= b < 127 else " " for b in data[::2])
        return [text[r * COLS:(r + 1) * COLS] for r in range(ROWS)]

    def stop(self):
        self.qemu.kill()
        self.qemu.wait()


failed = 0


def check(what, ok, shown=None, wanted=None):
    global failed
    print(("ok   " if ok else "FAIL ") + what)
    if not ok:
        failed += 1
        for name, rows in (("screen", shown), ("expected", wanted)):
            if rows is not None:
                print("    %s:" % name)
                for r in rows:
                    print("    |" + r.rstrip())


def view(rows, back):
    """The 25 rows @back rows above the last 25 of @rows."""
    end = len(rows) - back
    return rows[end - ROWS:end]


def main():
    img = sys.argv[1]
    with tempfile.TemporaryDirectory(prefix="cgatest.") as tmp:
        m = Machine(img, tmp)
        try:
            m.settle("K> ")
            m.type("ticks off\n")
            rows = replay(m.settle("ticks off"))
            shot = m.screen()
            check("live screen = the serial log's last 25 rows",
                  shot == view(rows, 0), shot, view(rows, 0))
            check("the live screen ends at the prompt",
                  shot[-1].startswith("K> "), shot)

            m.keys("shift-pgup")
            shot = m.screen()
            check("Shift+PgUp: 12 rows back", shot == view(rows, STEP),
                  shot, view(rows, STEP))
            m.keys("shift-pgup", "shift-pgup", "shift-pgup")
            shot = m.screen()
            check("4 x Shift+PgUp: 48 rows back",
                  shot == view(rows, 4 * STEP), shot, view(rows, 4 * STEP))
            m.keys("shift-pgdn")
            shot = m.screen()
            check("Shift+PgDn: 12 rows forward",
                  shot == view(rows, 3 * STEP), shot, view(rows, 3 * STEP))

            m.keys(*["shift-pgup"] * 30)
            top = m.screen()
            first = rows[0].rstrip()
            at = [i for i, r in enumerate(top) if r.rstrip() == first]
            check("at the top, the kernel's first line: %r" % first,
                  len(at) == 1 and top[at[0]:] == rows[:ROWS - at[0]], top)
            m.keys("shift-pgup")
            check("the top is a stop", m.screen() == top)

            m.keys(*["shift-pgdn"] * 30)
            shot = m.screen()
            check("back at the live screen", shot == view(rows, 0),
                  shot, view(rows, 0))
            m.keys("shift-pgdn")
            check("the live screen is a stop", m.screen() == shot)

            m.keys("shift-pgup", "shift-pgup")
            m.type("help\n")
            rows = replay(m.settle("ticks off"))
            for _ in range(HISTORY // 20):
                m.type("help\n")
                m.settle()
            rows = replay(m.settle())
            shot = m.screen()
            check("typing brings the live screen back (%d rows printed)"
                  % len(rows), shot == view(rows, 0), shot, view(rows, 0))
            m.keys(*["shift-pgup"] * (HISTORY // STEP + 2))
            shot = m.screen()
            check("after %d rows, the oldest kept is %d rows above the "
                  "screen" % (len(rows), HISTORY), len(rows) > HISTORY + ROWS
                  and shot == view(rows, HISTORY), shot, view(rows, HISTORY))
        finally:
            m.stop()
    print("%d failed" % failed)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
