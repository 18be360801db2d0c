"""Recorded canvas calls made lean before they become a symbol's Form XObject.

reportlab's graphics renderer wraps every shape in its own saved state and sets every
property again for it (line cap, join, dash, colours, an identity transform), so a symbol's
form repeats the same operators dozens of times. Two passes keep what draws:

- :func:`inkless` drops the colours of a drawing painted in a single ink, so that one form
  serves that symbol in every ink (the page sets the ink before showing the form, which
  inherits it);
- :func:`simplified` drops identity transforms, settings that repeat the value in force,
  saved states that paint nothing, and saves whose restore changes nothing.

Both work on the calls, not on PDF operators, so a replay is still a plain loop of canvas
calls and the page's colour hooks (the print-shop CMYK separation) still apply.
"""

from __future__ import annotations

import json

#: Calls that set one property of the graphics state (the key they are tracked under).
SETTINGS = frozenset({
    "setLineWidth", "setLineCap", "setLineJoin", "setMiterLimit", "setDash", "setFillColor",
    "setStrokeColor", "setFont", "setFillAlpha", "setStrokeAlpha", "setFillOverprint",
    "setStrokeOverprint", "setOverprintMask",
})
COLOURS = frozenset({"setFillColor", "setStrokeColor"})
_ALPHA_OF = {"setFillColor": "setFillAlpha", "setStrokeColor": "setStrokeAlpha"}
#: Painting calls, with the positions of their ``stroke`` and ``fill`` arguments and the
#: defaults reportlab's canvas gives them.
PAINTS = {
    "drawPath": (1, 2, 1, 0), "clipPath": (1, 2, 1, 0), "circle": (3, 4, 1, 0),
    "rect": (4, 5, 1, 0), "ellipse": (4, 5, 1, 0), "roundRect": (5, 6, 1, 0),
    "wedge": (6, 7, 1, 0), "line": (None, None, 1, 0), "lines": (None, None, 1, 0),
}
IDENTITY = {"transform": [1, 0, 0, 1, 0, 0], "translate": [0, 0], "scale": [1, 1]}


def _channels(call: list) -> tuple[bool, bool] | None:
    """Whether a painting call strokes and whether it fills; None for what is not known."""
    name, args, kwargs = call[0], call[1], call[2]
    if name == "drawString":
        mode = args[3] if len(args) > 3 else kwargs.get("mode")
        return (False, True) if mode in (None, 0) else (True, True)
    if name not in PAINTS:
        return None
    stroke_at, fill_at, stroke, fill = PAINTS[name]
    if stroke_at is not None:
        stroke = args[stroke_at] if len(args) > stroke_at else kwargs.get("stroke", stroke)
        fill = args[fill_at] if len(args) > fill_at else kwargs.get("fill", fill)
    return bool(stroke), bool(fill)


def _is_ink(colour, ink: str) -> bool:
    if not (isinstance(colour, list) and len(colour) == 5 and colour[0] == "rgb"):
        return False
    wanted = [int(ink[i:i + 2], 16) for i in (1, 3, 5)]
    return colour[4] == 1 and [round(v * 255) for v in colour[1:4]] == wanted


def inkless(calls: list, ink: str) -> list | None:
    """The calls without their colours, when everything they paint is painted in ``ink``
    (a '#rrggbb' colour, opaque); None when anything is painted in another colour or in a
    colour the drawing did not set itself."""
    fill = stroke = None
    saved: list = []
    for call in calls:
        name = call[0]
        if name == "saveState":
            saved.append((fill, stroke))
        elif name == "restoreState":
            fill, stroke = saved.pop() if saved else (None, None)
        elif name == "setFillColor":
            fill = call[1][0] if call[1] else None
        elif name == "setStrokeColor":
            stroke = call[1][0] if call[1] else None
        elif name == "drawString" or name in PAINTS:
            used = _channels(call)
            if used is None or (used[0] and not _is_ink(stroke, ink)) or \
                    (used[1] and not _is_ink(fill, ink)):
                return None
    return [call for call in calls if call[0] not in COLOURS]


def _key(call: list) -> str:
    return json.dumps(call[1:], separators=(",", ":"))


def _settings_deduplicated(calls: list) -> list:
    """Without identity transforms and settings equal to the value already in force."""
    state: dict[str, str] = {}
    saved: list[dict[str, str]] = []
    kept = []
    for call in calls:
        name = call[0]
        if name in IDENTITY and call[1] == IDENTITY[name] and not call[2]:
            continue
        if name in SETTINGS:
            value = _key(call)
            if state.get(name) == value:
                continue
            state[name] = value
            if name in COLOURS:  # a colour with an alpha sets the alpha too
                state.pop(_ALPHA_OF[name], None)
        elif name == "saveState":
            saved.append(dict(state))
        elif name == "restoreState":
            state = saved.pop() if saved else {}
        kept.append(call)
    return kept


class _Saved(list):
    """The calls between a saveState and its restoreState."""


def _tree(calls: list) -> _Saved:
    """Calls nested by their saved states."""
    root = _Saved()
    stack = [root]
    for call in calls:
        if call[0] == "saveState":
            block = _Saved()
            stack[-1].append(block)
            stack.append(block)
        elif call[0] == "restoreState":
            if len(stack) == 1:
                raise ValueError("a state is restored that was never saved")
            stack.pop()
        else:
            stack[-1].append(call)
    if len(stack) > 1:
        raise ValueError("a saved state is never restored")
    return root


def _neutral(call: list) -> bool:
    """Whether a call leaves the graphics state as it found it (paints and path building)."""
    name = call[0]
    return name == "drawString" or (name in PAINTS and name != "clipPath") or \
        name == "beginPath" or name.startswith("path.")


def _paints(block: _Saved) -> bool:
    for item in block:
        if isinstance(item, _Saved):
            if _paints(item):
                return True
        elif not (item[0] in SETTINGS or item[0] in IDENTITY):
            return True  # a paint, a path, a clip or a call not known here: kept
    return False


def _flatten(block: _Saved, out: list) -> None:
    """Write a block's calls, dropping saved states that paint nothing and unwrapping those
    whose restore changes nothing: the last of their block, or those setting nothing."""
    items = [item for item in block if not (isinstance(item, _Saved) and not _paints(item))]
    for index, item in enumerate(items):
        if not isinstance(item, _Saved):
            out.append(item)
            continue
        last = index == len(items) - 1
        sets = any(not isinstance(inner, _Saved) and not _neutral(inner) for inner in item)
        if last or not sets:
            _flatten(item, out)
        else:
            out.append(["saveState", [], {}])
            _flatten(item, out)
            out.append(["restoreState", [], {}])


def simplified(calls: list) -> list:
    """The same drawing in fewer calls (unchanged if its saves and restores do not pair
    up). A form's own state is saved and restored around it by the PDF viewer, so its
    outermost level counts as a saved state too."""
    try:
        tree = _tree(_settings_deduplicated(calls))
    except ValueError:
        return calls
    out: list = []
    _flatten(tree, out)
    return _settings_deduplicated(out)
