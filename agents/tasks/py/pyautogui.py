"""Deskpilot's stand-in for pyautogui in task sandboxes: the calls OSWorld's config steps use, done
with xdotool on the sandbox's display ($DISPLAY). Not the real library: no screenshots, no image search."""
import collections
import subprocess
import time

FAILSAFE = False
PAUSE = 0.1
MINIMUM_DURATION = 0.1

Size = collections.namedtuple("Size", "width height")
Point = collections.namedtuple("Point", "x y")

_KEYS = {
    "ctrl": "ctrl", "ctrlleft": "Control_L", "ctrlright": "Control_R", "control": "ctrl",
    "alt": "alt", "altleft": "Alt_L", "altright": "Alt_R", "option": "alt",
    "shift": "shift", "shiftleft": "Shift_L", "shiftright": "Shift_R",
    "win": "super", "winleft": "Super_L", "winright": "Super_R", "command": "super", "super": "super",
    "enter": "Return", "return": "Return", "\n": "Return", "esc": "Escape", "escape": "Escape",
    "tab": "Tab", "\t": "Tab", "backspace": "BackSpace", "delete": "Delete", "del": "Delete",
    "space": "space", " ": "space", "insert": "Insert", "home": "Home", "end": "End",
    "pageup": "Prior", "pgup": "Prior", "pagedown": "Next", "pgdn": "Next",
    "up": "Up", "down": "Down", "left": "Left", "right": "Right",
    "capslock": "Caps_Lock", "numlock": "Num_Lock", "printscreen": "Print", "prtsc": "Print",
    "volumeup": "XF86AudioRaiseVolume", "volumedown": "XF86AudioLowerVolume", "volumemute": "XF86AudioMute",
    ",": "comma", ".": "period", "/": "slash", "-": "minus", "=": "equal", ";": "semicolon",
    "'": "apostrophe", "[": "bracketleft", "]": "bracketright", "\\": "backslash", "`": "grave",
    "!": "exclam", "@": "at", "#": "numbersign", "$": "dollar", "%": "percent", "^": "asciicircum",
    "&": "ampersand", "*": "asterisk", "(": "parenleft", ")": "parenright", "_": "underscore",
    "+": "plus", ":": "colon", '"': "quotedbl", "<": "less", ">": "greater", "?": "question",
    "{": "braceleft", "}": "braceright", "|": "bar", "~": "asciitilde",
}
_BUTTONS = {"left": "1", "middle": "2", "right": "3", "primary": "1", "secondary": "3"}


def _xdotool(*args):
    subprocess.run(["xdotool", *[str(a) for a in args]], check=True)


def _rest(wanted=True):
    # pyautogui waits PAUSE seconds after each call unless told not to.
    if wanted and PAUSE:
        time.sleep(PAUSE)


def _key(name):
    name = str(name)
    lower = name.lower()
    if lower in _KEYS:
        return _KEYS[lower]
    if len(lower) in (2, 3) and lower[0] == "f" and lower[1:].isdigit():
        return "F" + lower[1:]
    return name


def size():
    out = subprocess.run(["xdotool", "getdisplaygeometry"], check=True, capture_output=True, text=True).stdout.split()
    return Size(int(out[0]), int(out[1]))


def position():
    out = subprocess.run(["xdotool", "getmouselocation", "--shell"], check=True, capture_output=True, text=True).stdout
    vals = dict(line.split("=", 1) for line in out.split() if "=" in line)
    return Point(int(vals["X"]), int(vals["Y"]))


def onScreen(x, y=None):
    if y is None:
        x, y = x
    w, h = size()
    return 0 <= x < w and 0 <= y < h


def _point(x, y):
    if x is None and y is None:
        return None
    if y is None and isinstance(x, (tuple, list)):
        x, y = x
    cur = position()
    return (int(round(x if x is not None else cur.x)), int(round(y if y is not None else cur.y)))


def moveTo(x=None, y=None, duration=0.0, tween=None, logScreenshot=False, _pause=True):
    p = _point(x, y)
    if p is not None:
        _xdotool("mousemove", "--sync", p[0], p[1])
    if duration:
        time.sleep(duration)
    _rest(_pause)


def moveRel(xOffset=0, yOffset=0, duration=0.0, tween=None, _pause=True):
    _xdotool("mousemove_relative", "--sync", "--", int(xOffset), int(yOffset))
    _rest(_pause)


move = moveRel


def click(x=None, y=None, clicks=1, interval=0.0, button="left", duration=0.0, tween=None, logScreenshot=None, _pause=True):
    p = _point(x, y)
    if p is not None:
        _xdotool("mousemove", "--sync", p[0], p[1])
    delay = max(1, int(interval * 1000))
    _xdotool("click", "--repeat", int(clicks), "--delay", delay, _BUTTONS.get(str(button), str(button)))
    _rest(_pause)


def leftClick(x=None, y=None, **kw):
    click(x, y, button="left", **kw)


def rightClick(x=None, y=None, **kw):
    click(x, y, button="right", **kw)


def middleClick(x=None, y=None, **kw):
    click(x, y, button="middle", **kw)


def doubleClick(x=None, y=None, interval=0.0, button="left", **kw):
    click(x, y, clicks=2, interval=interval, button=button, **kw)


def tripleClick(x=None, y=None, interval=0.0, button="left", **kw):
    click(x, y, clicks=3, interval=interval, button=button, **kw)


def mouseDown(x=None, y=None, button="left", duration=0.0, tween=None, _pause=True):
    p = _point(x, y)
    if p is not None:
        _xdotool("mousemove", "--sync", p[0], p[1])
    _xdotool("mousedown", _BUTTONS.get(str(button), str(button)))
    _rest(_pause)


def mouseUp(x=None, y=None, button="left", duration=0.0, tween=None, _pause=True):
    p = _point(x, y)
    if p is not None:
        _xdotool("mousemove", "--sync", p[0], p[1])
    _xdotool("mouseup", _BUTTONS.get(str(button), str(button)))
    _rest(_pause)


def dragTo(x=None, y=None, duration=0.0, tween=None, button="left", mouseDownUp=True, _pause=True):
    mouseDown(button=button, _pause=False)
    moveTo(x, y, duration=duration, _pause=False)
    mouseUp(button=button, _pause=False)
    _rest(_pause)


def scroll(clicks, x=None, y=None, _pause=True):
    p = _point(x, y)
    if p is not None:
        _xdotool("mousemove", "--sync", p[0], p[1])
    n = int(clicks)
    if n:
        _xdotool("click", "--repeat", abs(n), "--delay", 10, "4" if n > 0 else "5")
    _rest(_pause)


def hscroll(clicks, x=None, y=None, _pause=True):
    p = _point(x, y)
    if p is not None:
        _xdotool("mousemove", "--sync", p[0], p[1])
    n = int(clicks)
    if n:
        _xdotool("click", "--repeat", abs(n), "--delay", 10, "7" if n > 0 else "6")
    _rest(_pause)


vscroll = scroll


def press(keys, presses=1, interval=0.0, _pause=True):
    names = [keys] if isinstance(keys, str) else list(keys)
    for _ in range(int(presses)):
        for k in names:
            _xdotool("key", "--clearmodifiers", _key(k))
            if interval:
                time.sleep(interval)
    _rest(_pause)


def keyDown(key, _pause=True):
    _xdotool("keydown", _key(key))
    _rest(_pause)


def keyUp(key, _pause=True):
    _xdotool("keyup", _key(key))
    _rest(_pause)


def hotkey(*args, **kwargs):
    keys = [k for a in args for k in ([a] if isinstance(a, str) else list(a))]
    _xdotool("key", "--clearmodifiers", "+".join(_key(k) for k in keys))
    _rest(kwargs.get("_pause", True))


def typewrite(message, interval=0.0, _pause=True):
    if isinstance(message, str):
        if message:
            _xdotool("type", "--delay", max(12, int(interval * 1000)), "--", message)
    else:
        for k in message:
            press(k, _pause=False)
            if interval:
                time.sleep(interval)
    _rest(_pause)


write = typewrite


def sleep(seconds):
    time.sleep(seconds)
