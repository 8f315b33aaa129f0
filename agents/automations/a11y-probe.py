# Deskpilot's accessibility probe: reads the AT-SPI tree of the X display named by $DISPLAY with
# pyatspi, for automations (agents/automations/a11y.ts runs it with /usr/bin/python3).
#
#   a11y-probe.py at X Y        the deepest showing component with a name at a screen point
#   a11y-probe.py find NAME ROLE  every showing component with that name and role
#
# Prints one JSON line: {"ok": true, "hits": [{"name", "role", "box": {left, top, width, height}}],
# "apps": N, "visited": N, "partial": bool, "unresponsive": N, "ms": N} or {"ok": false,
# "reason": "..."}. Boxes are in screen pixels. Names are compared with runs of whitespace collapsed
# (GTK pads menu items: "Save      ").
#
# The bus: libatspi takes $AT_SPI_BUS_ADDRESS, else the AT_SPI_BUS property that at-spi-bus-launcher
# sets on the display's root window, else asks the session bus (org.a11y.Bus.GetAddress). With no
# session bus either, libdbus would autolaunch one (dbus-launch) that outlives this probe: that is
# turned off, and libatspi's "Couldn't connect to accessibility bus" abort is what the caller sees.
import json
import os
import sys
import time

START = time.monotonic()
# Stop walking after this long and report what was found (the caller kills the probe a bit later).
BUDGET_S = float(os.environ.get('DESKPILOT_A11Y_BUDGET_MS', '2200')) / 1000
# Per D-Bus call: a hung app costs at most this once, then it is skipped.
CALL_TIMEOUT_MS = int(os.environ.get('DESKPILOT_A11Y_CALL_TIMEOUT_MS', '700'))
MAX_NODES = 20000
MAX_DEPTH = 80
# Shown only while a menu is open, and then above everything else in their window.
MENU_ITEMS = {'menu item', 'check menu item', 'radio menu item', 'tearoff menu item'}
# Top-level windows that float above the others.
POPUP_ROLES = {'window', 'menu', 'popup menu', 'tool tip', 'alert', 'notification', 'combo box', 'list'}


def emit(obj):
    obj['ms'] = round((time.monotonic() - START) * 1000)
    sys.stdout.write(json.dumps(obj) + '\n')
    sys.stdout.flush()


def norm(s):
    return ' '.join((s or '').split())


class Budget(Exception):
    pass


class Walker:
    def __init__(self, pyatspi):
        self.p = pyatspi
        self.visited = 0
        self.partial = False
        self.unresponsive = 0

    def tick(self):
        self.visited += 1
        if self.visited > MAX_NODES or time.monotonic() - START > BUDGET_S:
            self.partial = True
            raise Budget()

    def states(self, acc):
        try:
            return acc.getState()
        except Exception:
            return None

    def box(self, acc):
        try:
            e = acc.queryComponent().getExtents(self.p.DESKTOP_COORDS)
        except Exception:
            return None
        if e.width <= 0 or e.height <= 0 or e.x < -100000 or e.y < -100000:
            return None
        return {'left': int(e.x), 'top': int(e.y), 'width': int(e.width), 'height': int(e.height)}

    def children(self, acc):
        try:
            n = acc.childCount
        except Exception:
            return []
        out = []
        for i in range(min(n, 2000)):
            try:
                c = acc.getChildAtIndex(i)
            except Exception:
                continue
            if c is not None:
                out.append(c)
        return out

    def role(self, acc):
        try:
            return acc.getRoleName() or ''
        except Exception:
            return ''

    def name(self, acc):
        try:
            return norm(acc.name)
        except Exception:
            return ''

    def toplevels(self):
        """(app, window) pairs of the desktop, skipping apps that do not answer."""
        desktop = self.p.Registry.getDesktop(0)
        apps = self.children(desktop)
        out = []
        for app in apps:
            self.tick()
            t = time.monotonic()
            wins = self.children(app)
            if not wins and time.monotonic() - t > CALL_TIMEOUT_MS / 1000 * 0.8:
                self.unresponsive += 1  # hung (stopped, or busy): skipped after one timeout
            for w in wins:
                out.append((app, w))
        return len(apps), out

    def showing(self, st):
        return st is not None and st.contains(self.p.STATE_SHOWING)


def contains(box, x, y):
    return box is not None and box['left'] <= x < box['left'] + box['width'] and box['top'] <= y < box['top'] + box['height']


def at(w, x, y):
    """The deepest named component at (x, y): popups first, then the active window, then the rest."""
    p = w.p
    n_apps, tops = w.toplevels()
    groups = ([], [], [])
    for app, top in tops:
        st = w.states(top)
        if not w.showing(st):
            continue
        box = w.box(top)
        role = w.role(top)
        if role in POPUP_ROLES and contains(box, x, y):
            groups[0].append(top)
        elif st.contains(p.STATE_ACTIVE):
            groups[1].append(top)
        elif contains(box, x, y):
            groups[2].append(top)
    best = None
    try:
        for group in groups:
            for top in group:
                hit = deepest(w, top, x, y)
                if hit and (best is None or better(hit, best)):
                    best = hit
            if best:
                break
    except Budget:
        pass
    hits = [] if best is None else [{'name': best['name'], 'role': best['role'], 'box': best['box']}]
    return n_apps, hits


def better(a, b):
    """An open menu's items are on top; then smaller boxes are deeper; at equal size the deeper node,
    then the later one (drawn on top)."""
    menu_a, menu_b = a['role'] in MENU_ITEMS, b['role'] in MENU_ITEMS
    if menu_a != menu_b:
        return menu_a
    area_a = a['box']['width'] * a['box']['height']
    area_b = b['box']['width'] * b['box']['height']
    if area_a != area_b:
        return area_a < area_b
    return (a['depth'], a['order']) > (b['depth'], b['order'])


def deepest(w, top, x, y):
    p = w.p
    best = None
    stack = [(top, 0)]
    order = 0
    while stack:
        acc, depth = stack.pop()
        try:
            w.tick()
        except Budget:
            return best
        order += 1
        st = w.states(acc)
        if not w.showing(st):
            continue
        box = w.box(acc)
        role = w.role(acc)
        inside = contains(box, x, y)
        # The window itself (its title) is not a target: the window-relative step covers it.
        if inside and depth > 0:
            name = w.name(acc)
            if name:
                hit = {'name': name, 'role': role, 'box': box, 'depth': depth, 'order': order}
                if best is None or better(hit, best):
                    best = hit
        # No pruning by boxes: an open menu's items lie outside the boxes of their menu bar and its
        # containers. Only showing components are walked, which keeps it small.
        if depth >= MAX_DEPTH:
            continue
        if st.contains(p.STATE_MANAGES_DESCENDANTS):
            # Tables with thousands of cells (a spreadsheet): ask for the one at the point only.
            try:
                child = acc.queryComponent().getAccessibleAtPoint(x, y, p.DESKTOP_COORDS)
            except Exception:
                child = None
            if child is not None:
                stack.append((child, depth + 1))
            continue
        # Reversed, so the stack visits children in order.
        for c in reversed(w.children(acc)):
            stack.append((c, depth + 1))
    return best


def find(w, name, role):
    want = norm(name)
    n_apps, tops = w.toplevels()
    hits = []
    try:
        walk_find(w, tops, want, role, hits)
    except Budget:
        pass
    return n_apps, hits


def walk_find(w, tops, want, role, hits):
    p = w.p
    for app, top in tops:
        stack = [(top, 0)]
        while stack:
            acc, depth = stack.pop()
            w.tick()
            st = w.states(acc)
            if not w.showing(st):
                continue
            r = w.role(acc)
            if r == role and w.name(acc) == want:
                box = w.box(acc)
                if box is not None:
                    hits.append({'name': want, 'role': r, 'box': box})
            if depth >= MAX_DEPTH or st.contains(p.STATE_MANAGES_DESCENDANTS):
                continue
            for c in reversed(w.children(acc)):
                stack.append((c, depth + 1))


def main(argv):
    if len(argv) < 1 or argv[0] not in ('at', 'find') or (argv[0] == 'at' and len(argv) != 3) or (argv[0] == 'find' and len(argv) != 3):
        emit({'ok': False, 'reason': 'usage: a11y-probe.py at X Y | find NAME ROLE'})
        return 2
    if not os.environ.get('DBUS_SESSION_BUS_ADDRESS'):
        runtime = os.environ.get('XDG_RUNTIME_DIR')
        if not (runtime and os.path.exists(os.path.join(runtime, 'bus'))):
            # No session bus: do not let libdbus autolaunch one (see the top of this file).
            os.environ['DBUS_SESSION_BUS_ADDRESS'] = 'unix:path=/nonexistent/deskpilot-no-session-bus'
    try:
        import gi
        gi.require_version('Atspi', '2.0')
        from gi.repository import Atspi
        import pyatspi
    except Exception as e:  # ImportError, or ValueError from require_version
        emit({'ok': False, 'reason': 'pyatspi is not available to %s (install python3-pyatspi and gir1.2-atspi-2.0): %s' % (sys.executable, e)})
        return 3
    try:
        # Method calls to an app: CALL_TIMEOUT_MS, also for apps that started a moment ago (15 s by default).
        Atspi.set_timeout(CALL_TIMEOUT_MS, CALL_TIMEOUT_MS)
    except Exception:
        pass
    w = Walker(pyatspi)
    try:
        if argv[0] == 'at':
            n_apps, hits = at(w, int(float(argv[1])), int(float(argv[2])))
        else:
            n_apps, hits = find(w, argv[1], argv[2])
    except Budget:
        emit({'ok': True, 'hits': [], 'apps': -1, 'visited': w.visited, 'partial': True, 'unresponsive': w.unresponsive})
        return 0
    except Exception as e:
        emit({'ok': False, 'reason': 'reading the accessibility tree failed: %s: %s' % (type(e).__name__, e)})
        return 4
    emit({'ok': True, 'hits': hits, 'apps': n_apps, 'visited': w.visited, 'partial': w.partial, 'unresponsive': w.unresponsive})
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
