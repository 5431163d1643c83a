"""Rows as an aligned text table for people, cut to fit a terminal when asked.

Each row is one line. Article text is hostile input and a terminal obeys the escape
sequences it is sent, so a cell's whitespace becomes single spaces and any other control
character is shown escaped (\\x1b). Widths are counted in terminal cells (a CJK character
takes two). Given a `width`, the widest columns are cut, ending in an ellipsis, until a
line fits in it; without one (output to a file or a pipe) nothing is cut.
"""

from __future__ import annotations

import re

from rich.cells import cell_len, set_cell_size

ELLIPSIS = "…"
#: The narrowest a column is cut to: two characters and the ellipsis.
MIN_COLUMN = 3
_GAP = "  "
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def clean_cell(text: str) -> str:
    """Return `text` on one line: whitespace runs as one space, control characters escaped."""
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group(0)):02x}", " ".join(text.split()))


def render_table(header: list[str], rows: list[list[str]], width: int | None = None) -> str:
    """Return `rows` under `header` as aligned columns, a dashed line under the header.

    With `width`, columns are cut (the widest first, all cut ones alike) so that each line
    takes at most `width` cells, as far as MIN_COLUMN allows; without, nothing is cut.
    """
    natural = [max([cell_len(h)] + [cell_len(r[i]) for r in rows]) for i, h in enumerate(header)]
    widths = natural if width is None else fit_columns(natural, width - len(_GAP) * (len(header) - 1))
    lines = [_line(header, widths), _GAP.join("-" * w for w in widths)]
    lines += [_line(row, widths) for row in rows]
    return "\n".join(lines) + "\n"


def fit_columns(natural: list[int], room: int) -> list[int]:
    """Return column widths summing to at most `room`: each its natural width or a common cap.

    The cap is the largest that fits (every column at least MIN_COLUMN, or its natural
    width when that is less); the cells left over go to the cut columns, leftmost first.
    """
    if sum(natural) <= room:
        return list(natural)
    low, high = MIN_COLUMN, max(natural)
    while low < high:  # the largest cap whose widths fit (MIN_COLUMN when none does)
        cap = (low + high + 1) // 2
        if sum(min(n, cap) for n in natural) <= room:
            low = cap
        else:
            high = cap - 1
    widths = [min(n, low) for n in natural]
    spare = room - sum(widths)
    for i, n in enumerate(natural):
        if spare <= 0:
            break
        if n > widths[i]:
            widths[i] += 1
            spare -= 1
    return widths


def fit_line(line: str, width: int | None) -> str:
    """Return `line` cut to `width` cells, ending in an ellipsis when cut; whole without a width."""
    if width is None or cell_len(line) <= width:
        return line
    return _fit(line, max(width, 1)).rstrip(" " + ELLIPSIS) + ELLIPSIS


def _line(cells: list[str], widths: list[int]) -> str:
    return _GAP.join(_fit(cell, w) for cell, w in zip(cells, widths)).rstrip()


def _fit(cell: str, width: int) -> str:
    """Return `cell` padded to `width` cells, or cut to it with an ellipsis at the end."""
    if cell_len(cell) <= width:
        return cell + " " * (width - cell_len(cell))
    # set_cell_size pads with a space where a wide character would be split in two.
    return set_cell_size(cell, width - 1) + ELLIPSIS
