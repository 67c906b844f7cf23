"""Chart geometry for server-drawn SVG (pure: plain numbers in, plain shapes out)."""
from dataclasses import dataclass, field

BAR_HEIGHT = 26
BAR_GAP = 12
LABEL_WIDTH = 230
CHART_WIDTH = 760


#: Characters per line of a label: beside a bar, and under a heat map's turned column heading.
BAR_LABEL_CHARS = 30
HEAT_LABEL_CHARS = 22


def label_lines(label: str, width: int, most: int = 2) -> list[str]:
    """The label wrapped at spaces into at most `most` lines of about `width` characters; only
    what still does not fit is cut, with "…" (the full label goes in the SVG's <title>)."""
    lines: list[str] = []
    words = label.split()
    while words and len(lines) < most:
        line = words.pop(0)
        while words and len(line) + 1 + len(words[0]) <= width:
            line += " " + words.pop(0)
        lines.append(line)
    if words or (lines and len(lines[-1]) > width):
        rest = " ".join([lines.pop()] + words) if lines else " ".join(words)
        lines.append(rest[:width - 1].rstrip() + "…")
    return lines


@dataclass
class Segment:
    key: str
    count: int
    x: float
    width: float


@dataclass
class Bar:
    label: str
    total: int
    y: float
    segments: list[Segment]
    #: The label wrapped for the space beside the bar.
    lines: list[str] = field(default_factory=list)


def stacked_bars(rows: list[tuple[str, dict[str, int]]], order: tuple[str, ...]) -> dict:
    """Horizontal stacked bars, one per row, all on one scale (the largest total fills the width)."""
    usable = CHART_WIDTH - LABEL_WIDTH - 50
    largest = max((sum(counts.get(k, 0) for k in order) for _label, counts in rows), default=0) or 1
    bars = []
    for index, (label, counts) in enumerate(rows):
        x = float(LABEL_WIDTH)
        segments = []
        for key in order:
            count = counts.get(key, 0)
            if count:
                width = usable * count / largest
                segments.append(Segment(key, count, round(x, 1), round(width, 1)))
                x += width
        bars.append(Bar(label, sum(s.count for s in segments), index * (BAR_HEIGHT + BAR_GAP) + 8, segments,
                        label_lines(label, BAR_LABEL_CHARS)))
    height = len(rows) * (BAR_HEIGHT + BAR_GAP) + 16
    return {"bars": bars, "width": CHART_WIDTH, "height": height, "bar_height": BAR_HEIGHT,
            "label_width": LABEL_WIDTH}


def heat_levels(matrix: dict[tuple[int, int | None], int], levels: int = 5) -> dict[tuple[int, int | None], int]:
    """Each cell's shade (0 = empty … levels-1 = the fullest cell), proportional to its count."""
    largest = max(matrix.values(), default=0)
    if not largest:
        return {key: 0 for key in matrix}
    return {key: (0 if count == 0 else 1 + round((levels - 2) * count / largest)) for key, count in matrix.items()}


HEAT_CELL_WIDTH = 60
HEAT_CELL_HEIGHT = 32
HEAT_LABEL_WIDTH = 64
HEAT_HEADER_HEIGHT = 150  # room for a turned heading on two lines
HEAT_OVERHANG = 90  # room on the right for the last column's turned label


@dataclass
class HeatCell:
    row: str
    column: str
    count: int
    level: int
    x: float
    y: float


def heat_map(rows: list[tuple], columns: list[tuple], matrix: dict[tuple, int], levels: int = 5) -> dict:
    """A grid of cells, one per (row, column) of `matrix`, shaded by `heat_levels` and placed for an SVG.

    `rows` and `columns` are (key, label) pairs in display order; a cell missing from the matrix counts 0.
    Column labels are drawn turned, so each column stays one cell wide whatever its name's length.
    """
    counts = {(r, c): matrix.get((r, c), 0) for r, _l in rows for c, _cl in columns}
    shades = heat_levels(counts, levels)
    cells = [HeatCell(row=row_label, column=column_label, count=counts[(r, c)], level=shades[(r, c)],
                      x=HEAT_LABEL_WIDTH + j * HEAT_CELL_WIDTH, y=HEAT_HEADER_HEIGHT + i * HEAT_CELL_HEIGHT)
             for i, (r, row_label) in enumerate(rows) for j, (c, column_label) in enumerate(columns)]
    return {"cells": cells,
            "rows": [(label, HEAT_HEADER_HEIGHT + i * HEAT_CELL_HEIGHT) for i, (_r, label) in enumerate(rows)],
            "columns": [(label, HEAT_LABEL_WIDTH + j * HEAT_CELL_WIDTH, label_lines(label, HEAT_LABEL_CHARS))
                        for j, (_c, label) in enumerate(columns)],
            "width": HEAT_LABEL_WIDTH + len(columns) * HEAT_CELL_WIDTH + HEAT_OVERHANG,
            "height": HEAT_HEADER_HEIGHT + len(rows) * HEAT_CELL_HEIGHT + 4,
            "cell_width": HEAT_CELL_WIDTH, "cell_height": HEAT_CELL_HEIGHT, "header_height": HEAT_HEADER_HEIGHT}
