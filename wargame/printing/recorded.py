"""A drawing recorded as the canvas calls that draw it, to be replayed on any canvas.

reportlab's graphics renderer turns svglib's shapes into canvas calls (colours, line
widths, paths, strings). Recording those calls once, as plain JSON-able lists, lets a symbol
be kept on disk and drawn again without parsing its SVG or importing svglib and the
graphics package: replaying is a loop of canvas method calls. Replayed on the real canvas,
the calls pass through its colour hooks (the print-shop CMYK separation) like any other.
"""

from __future__ import annotations

from reportlab.lib.colors import Color

#: Canvas methods a recording may call; anything else the renderer asks for is refused, so
#: a replay never calls what was not recorded for it.
CANVAS_CALLS = frozenset({
    "saveState", "restoreState", "transform", "translate", "scale", "setLineWidth",
    "setLineCap", "setLineJoin", "setMiterLimit", "setDash", "setFillColor",
    "setStrokeColor", "setFont", "setFillAlpha", "setStrokeAlpha", "circle", "drawString",
    "drawPath", "clipPath", "line", "rect", "ellipse", "setFillOverprint",
    "setStrokeOverprint", "setOverprintMask", "roundRect", "lines", "wedge",
})
PATH_CALLS = frozenset({"moveTo", "lineTo", "curveTo", "close", "circle", "rect",
                        "ellipse"})


def _plain(value):
    """A call argument as JSON: colours as ["rgb", r, g, b, alpha]."""
    if isinstance(value, Color):
        return ["rgb", value.red, value.green, value.blue, value.alpha]
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


def _live(value, paths):
    if isinstance(value, list):
        if value and value[0] == "rgb":
            return Color(value[1], value[2], value[3], alpha=value[4])
        if value and value[0] == "path":
            return paths[value[1]]
        return [_live(v, paths) for v in value]
    return value


class Unrecordable(AttributeError):
    """The renderer asked the recorder for something a recording cannot hold: the drawing is
    then drawn directly instead."""


class _RecordedPath:
    def __init__(self, recorder, number: int):
        self._recorder, self._number = recorder, number

    def __getattr__(self, name):
        if name not in PATH_CALLS:
            raise Unrecordable(f"recorded drawings do not support path.{name}")

        def call(*args, **kwargs):
            self._recorder.calls.append(["path." + name, self._number, _plain(list(args)),
                                         {k: _plain(v) for k, v in kwargs.items()}])
        return call


class Recorder:
    """Stands in for a canvas while the graphics renderer draws; keeps what it was asked."""

    def __init__(self, font_name: str, font_size: float = 10):
        self.calls: list = []
        self._paths = 0
        self._fontname, self._fontsize = font_name, font_size
        self._fillMode = 1

    def beginPath(self):
        self._paths += 1
        self.calls.append(["beginPath", self._paths])
        return _RecordedPath(self, self._paths)

    def __getattr__(self, name):
        if name not in CANVAS_CALLS:
            raise Unrecordable(f"recorded drawings do not support canvas.{name}")

        def call(*args, **kwargs):
            if name == "setFont":
                self._fontname, self._fontsize = args[0], args[1]
            args = [["path", a._number] if isinstance(a, _RecordedPath) else _plain(a)
                    for a in args]
            self.calls.append([name, args, {k: _plain(v) for k, v in kwargs.items()}])
        return call


def render(drawing, canvas, font_name: str) -> None:
    """Draw a reportlab Drawing at (0, 0) with the graphics renderer, its text starting in
    ``font_name`` (the renderer would start in Helvetica, which is never embedded)."""
    from reportlab.graphics import renderPDF
    from reportlab.graphics.renderbase import STATE_DEFAULTS

    saved = STATE_DEFAULTS["fontName"]
    STATE_DEFAULTS["fontName"] = font_name
    try:
        renderPDF.draw(drawing, canvas, 0, 0)
    finally:
        STATE_DEFAULTS["fontName"] = saved


def record(drawing, font_name: str) -> list:
    """The canvas calls that draw a reportlab Drawing at (0, 0), starting in ``font_name``."""
    recorder = Recorder(font_name)
    render(drawing, recorder, font_name)
    return recorder.calls


def well_formed(calls) -> bool:
    """Whether a list read back from disk has the shape of a recording, with only the calls
    a recording may hold (a damaged cache entry is recorded again, never replayed)."""
    if not isinstance(calls, list):
        return False
    for call in calls:
        if not isinstance(call, list) or not call or not isinstance(call[0], str):
            return False
        name = call[0]
        if name == "beginPath":
            if len(call) != 2 or not isinstance(call[1], int):
                return False
        elif name.startswith("path."):
            if name[5:] not in PATH_CALLS or len(call) != 4 or not isinstance(call[2], list) \
                    or not isinstance(call[3], dict):
                return False
        elif name not in CANVAS_CALLS or len(call) != 3 or not isinstance(call[1], list) \
                or not isinstance(call[2], dict):
            return False
    return True


def replay(canvas, calls: list) -> None:
    """Draw recorded calls on a canvas. Only the calls a recording may hold are made."""
    paths: dict[int, object] = {}
    for call in calls:
        name = call[0]
        if name == "beginPath":
            paths[call[1]] = canvas.beginPath()
        elif name.startswith("path."):
            method = name[5:]
            if method not in PATH_CALLS:
                raise ValueError(f"not a path call: {method}")
            getattr(paths[call[1]], method)(*_live(call[2], paths),
                                            **{k: _live(v, paths) for k, v in call[3].items()})
        elif name in CANVAS_CALLS:
            getattr(canvas, name)(*_live(call[1], paths),
                                  **{k: _live(v, paths) for k, v in call[2].items()})
        else:
            raise ValueError(f"not a canvas call: {name}")
