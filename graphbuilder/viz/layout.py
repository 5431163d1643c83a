"""Positions for the HTML view, computed once in Python so the browser runs no physics.

vis-network's physics needs minutes to settle a few thousand actors, and networkx's
spring_layout is O(N^2) per iteration (a minute at 5,000 actors). So each connected
component is laid out on its own: whole with networkx's spring_layout when small; when
large, its best-connected actors (the core) with spring_layout, every other actor then
placed next to the neighbours already placed (breadth-first from the core, a hub's
leaves on a sunflower spiral around it), and the whole component relaxed by a few
force-directed steps in which actors repel only those nearby (a k-d tree finds them).
Components are then packed, largest first, none overlapping another, into the shape
that fills a canvas about ASPECT times as wide as high best (in rows, or the largest
at the left and the rest in columns beside it). Actors with no line at all go in a
compact grid under the rest: the page hides them until asked.

Everything is seeded and ordered by IRI: the same graph gets the same positions.
"""

from __future__ import annotations

import math

import networkx as nx
import numpy as np
from scipy.spatial import cKDTree

CORE_SIZE = 300  # spring_layout's dense solver is fast below ~500 nodes
RELAX_STEPS = 60
NEAR = 1.5  # links: closer actors repel exactly, farther ones on a mesh
MESH = 128
ASPECT = 1.45  # width / height of the canvas in a usual window (1,100 x 780 px)
GRID_STEP = (1.0, 0.5)  # the grid of unlinked actors, in links: wide cells for labels
_GOLDEN_ANGLE = math.pi * (3 - math.sqrt(5))


def layout_positions(
    actors: list[str], links: list[tuple[str, str]], *, seed: int = 7, edge_length: float = 120.0
) -> dict[str, tuple[int, int]]:
    """Return integer canvas (x, y) per actor; linked actors sit about `edge_length` apart."""
    graph: nx.Graph[str] = nx.Graph()
    graph.add_nodes_from(sorted(set(actors)))
    edges = sorted({(min(a, b), max(a, b)) for a, b in links if a != b})
    graph.add_edges_from(edges)
    components = sorted((sorted(c) for c in nx.connected_components(graph)), key=lambda c: (-len(c), c[0]))
    # Each component's links, in IRI order and each as (lower, higher). Not from
    # graph.subgraph(): a view of under half the graph iterates its nodes from a set,
    # so its edges come in hash order and with either end first, and that order steers
    # the layout (adjacency order, breadth-first order, link sums).
    which = {actor: i for i, members in enumerate(components) for actor in members}
    edges_of: dict[int, list[tuple[str, str]]] = {}
    for a, b in edges:
        edges_of.setdefault(which[a], []).append((a, b))
    singles = [c[0] for c in components if len(c) == 1]
    placed = []
    for i, members in enumerate(components):
        if len(members) == 1:
            continue
        component: nx.Graph[str] = nx.Graph()
        component.add_nodes_from(members)
        component.add_edges_from(edges_of[i])
        placed.append((members, _component_layout(component, seed)))
    packed = _pack([coords for _, coords in placed], margin=1.0, aspect=ASPECT)
    if singles:
        # Actors with no line at all, in IRI order, in a grid as wide as the rest and
        # under it (or, alone, about ASPECT times as wide as high).
        dx, dy = GRID_STEP
        if packed:
            everything = np.vstack(packed)
            low, high = everything.min(axis=0), everything.max(axis=0)
            columns = max(1, int((high[0] - low[0]) // dx) + 1)
            origin = np.array([low[0], high[1] + 1.0])
        else:
            columns = max(1, math.ceil(math.sqrt(len(singles) * ASPECT * dy / dx)))
            origin = np.zeros(2)
        grid = np.array([(i % columns * dx, i // columns * dy) for i in range(len(singles))], dtype=float)
        placed.append((singles, grid))
        packed.append(grid + origin)
    positions: dict[str, tuple[int, int]] = {}
    for (members, _), coords in zip(placed, packed):
        for actor, (x, y) in zip(members, coords * edge_length):
            positions[actor] = (int(round(x)), int(round(y)))
    return positions


def _component_layout(component: nx.Graph[str], seed: int) -> np.ndarray:
    """Return positions (one row per node, in node order), linked nodes about 1 apart."""
    n = component.number_of_nodes()
    if n == 1:
        return np.zeros((1, 2))
    if n == 2:
        return np.array([[-0.5, 0.0], [0.5, 0.0]])
    if n <= CORE_SIZE:
        return _unit_edges(_spring(component, seed), component)
    return _relax(_grow_from_core(component, seed), component, seed)


def _spring(graph: nx.Graph[str], seed: int) -> np.ndarray:
    pos = nx.spring_layout(graph, seed=seed, iterations=100, method="force")
    return np.array([pos[node] for node in graph.nodes], dtype=float)


def _unit_edges(coords: np.ndarray, graph: nx.Graph[str]) -> np.ndarray:
    """Return `coords` scaled so that the median link is 1 long."""
    index = {node: i for i, node in enumerate(graph.nodes)}
    pairs = np.array([(index[a], index[b]) for a, b in graph.edges()], dtype=int)
    if len(pairs) == 0:
        return coords
    lengths = np.linalg.norm(coords[pairs[:, 0]] - coords[pairs[:, 1]], axis=1)
    median = float(np.median(lengths))
    return coords / median if median > 1e-9 else coords


def _grow_from_core(component: nx.Graph[str], seed: int) -> np.ndarray:
    """Return positions: the core by spring_layout, the rest placed beside their neighbours."""
    nodes = list(component.nodes)
    index = {node: i for i, node in enumerate(nodes)}
    degree = dict(component.degree())
    core = sorted(nodes, key=lambda v: (-degree[v], index[v]))[:CORE_SIZE]
    core_graph: nx.Graph[str] = nx.Graph()
    core_nodes = sorted(core, key=index.__getitem__)
    core_graph.add_nodes_from(core_nodes)
    in_core = set(core)
    # Not component.subgraph(core).edges(), which comes in hash order (see layout_positions):
    # spring_layout ignores edge order today, but nothing here should hang on it.
    core_graph.add_edges_from(
        sorted((min(a, b), max(a, b)) for a, b in component.edges() if a in in_core and b in in_core)
    )
    coords = np.zeros((len(nodes), 2))
    done = np.zeros(len(nodes), dtype=bool)
    # Spread the core wider than its links need: the rest of the component fills in.
    core_coords = _unit_edges(_spring(core_graph, seed), core_graph) * 2.0
    for node, xy in zip(core_graph.nodes, core_coords):
        coords[index[node]], done[index[node]] = xy, True
    rng = np.random.default_rng(seed)
    children: dict[int, int] = {}
    layer = sorted(core, key=index.__getitem__)
    while True:
        frontier = sorted(
            {w for v in layer for w in component[v] if not done[index[w]]},
            key=lambda v: (-degree[v], index[v]),
        )
        if not frontier:
            break
        for node in frontier:
            anchors = [index[w] for w in component[node] if done[index[w]]]
            if len(anchors) == 1:
                # A hub's leaves go round it on a sunflower spiral: even spacing, no overlap.
                hub = anchors[0]
                k = children.get(hub, 0) + 1
                children[hub] = k
                angle, radius = k * _GOLDEN_ANGLE + hub, 0.8 + 0.45 * math.sqrt(k)
                xy = coords[hub] + radius * np.array([math.cos(angle), math.sin(angle)])
            else:
                xy = coords[anchors].mean(axis=0) + rng.normal(0.0, 0.6, 2)
            coords[index[node]], done[index[node]] = xy, True
        layer = frontier
    return coords


def _relax(coords: np.ndarray, component: nx.Graph[str], seed: int) -> np.ndarray:
    """Return `coords` after Fruchterman-Reingold steps, repulsion approximated far away.

    Near actors (closer than NEAR links, found by a k-d tree) repel exactly; farther ones
    through the centres of mass of a coarse grid, as in Barnes-Hut with one level. The
    cost per step is about N * (neighbours + GRID^2) instead of N^2.
    """
    index = {node: i for i, node in enumerate(component.nodes)}
    links = np.array([(index[a], index[b]) for a, b in component.edges()], dtype=int)
    n = len(coords)
    rng = np.random.default_rng(seed)
    coords = coords + rng.normal(0.0, 1e-3, coords.shape)  # no two nodes on one spot
    start = 0.05 * float(np.ptp(coords, axis=0).max())
    for step in range(RELAX_STEPS):
        temperature = start * (1 - step / RELAX_STEPS) + 0.05
        mesh_step = max(float(np.ptp(coords, axis=0).max()) / (MESH - 1), 1e-9)
        near = max(NEAR, 1.5 * mesh_step)  # the mesh cannot tell apart actors in one cell
        force = _far_push(coords, mesh_step, near)
        pairs = cKDTree(coords).query_pairs(near, output_type="ndarray")
        if len(pairs):
            delta = coords[pairs[:, 0]] - coords[pairs[:, 1]]
            push = delta / np.maximum((delta**2).sum(axis=1), 1e-4)[:, None]  # 1/d
            force += _sum_at(pairs[:, 0], push, n) - _sum_at(pairs[:, 1], push, n)
        delta = coords[links[:, 0]] - coords[links[:, 1]]
        pull = delta * np.linalg.norm(delta, axis=1)[:, None]  # d^2
        force += _sum_at(links[:, 1], pull, n) - _sum_at(links[:, 0], pull, n)
        length = np.maximum(np.linalg.norm(force, axis=1), 1e-9)
        coords = coords + force * (np.minimum(length, temperature) / length)[:, None]
    return coords


def _far_push(coords: np.ndarray, step: float, near: float) -> np.ndarray:
    """Return each actor's repulsion from all actors farther than NEAR links (approximately).

    Particle-mesh: actors are counted on a MESH x MESH grid and the grid is convolved
    (by FFT) with the repulsion kernel d/|d|^2, left empty within NEAR so that near pairs,
    which the caller repels exactly, are not counted twice.
    """
    low = coords.min(axis=0)
    cell = np.clip(np.rint((coords - low) / step).astype(int), 0, MESH - 1)
    density = np.bincount(cell[:, 0] * MESH + cell[:, 1], minlength=MESH * MESH)
    padded = np.zeros((2 * MESH, 2 * MESH))
    padded[:MESH, :MESH] = density.reshape(MESH, MESH)
    offsets = np.fft.fftfreq(2 * MESH, d=1.0 / (2 * MESH)) * step  # 0, 1, .., -1 cells
    dx, dy = offsets[:, None], offsets[None, :]
    dist2 = dx * dx + dy * dy
    far = np.where(dist2 > near * near, 1.0 / np.maximum(dist2, 1e-12), 0.0)
    spectrum = np.fft.rfft2(padded)
    shape = padded.shape
    push_x = np.fft.irfft2(spectrum * np.fft.rfft2(dx * far), s=shape)[:MESH, :MESH]
    push_y = np.fft.irfft2(spectrum * np.fft.rfft2(dy * far), s=shape)[:MESH, :MESH]
    return np.stack([push_x[cell[:, 0], cell[:, 1]], push_y[cell[:, 0], cell[:, 1]]], axis=1)


def _sum_at(rows: np.ndarray, vectors: np.ndarray, n: int) -> np.ndarray:
    """Return an (n, 2) array: the sum of `vectors` per row index (bincount beats add.at)."""
    return np.stack(
        [
            np.bincount(rows, weights=vectors[:, 0], minlength=n),
            np.bincount(rows, weights=vectors[:, 1], minlength=n),
        ],
        axis=1,
    )


def _pack(layouts: list[np.ndarray], *, margin: float, aspect: float) -> list[np.ndarray]:
    """Return the layouts moved so that none overlaps another, centred on (0, 0).

    Of the packings tried (rows of several widths; the first layout at the left and
    the others in columns beside it), the one that is largest on a canvas `aspect`
    times as wide as high wins; the first tried wins a tie.
    """
    if not layouts:
        return []
    boxes = []
    for coords in layouts:
        low, high = coords.min(axis=0), coords.max(axis=0)
        boxes.append((coords - low, (float(high[0] - low[0]) + margin, float(high[1] - low[1]) + margin)))
    sizes = [size for _, size in boxes]
    widest = max(w for w, _ in sizes)
    area = sum(w * h for w, h in sizes)
    widths = sorted(
        {widest, *(max(widest, math.sqrt(area * aspect) * f) for f in (0.6, 0.8, 1.0, 1.25, 1.6))}
    )
    tried = [_in_rows(sizes, width) for width in widths] + [_beside_first(sizes)]

    def needed_height(corners: list[tuple[float, float]]) -> float:
        right = max(x + w for (x, _), (w, _h) in zip(corners, sizes))
        bottom = max(y + h for (_, y), (_w, h) in zip(corners, sizes))
        return max(right / aspect, bottom)

    best = min(tried, key=needed_height)
    moved = [coords + np.array(corner) for (coords, _), corner in zip(boxes, best)]
    everything = np.vstack(moved)
    centre = (everything.min(axis=0) + everything.max(axis=0)) / 2
    return [coords - centre for coords in moved]


def _in_rows(sizes: list[tuple[float, float]], row_width: float) -> list[tuple[float, float]]:
    """Return each box's corner, boxes placed left to right in rows at most `row_width` wide."""
    corners, x, y, row_height = [], 0.0, 0.0, 0.0
    for w, h in sizes:
        if x > 0 and x + w > row_width:
            x, y, row_height = 0.0, y + row_height, 0.0
        corners.append((x, y))
        x, row_height = x + w, max(row_height, h)
    return corners


def _beside_first(sizes: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """Return each box's corner: the first at the left, the rest top to bottom in columns
    as high as the first (or as the highest of the rest) to its right."""
    first_w, first_h = sizes[0]
    height = max([first_h] + [h for _, h in sizes[1:]])
    corners, x, y, column_width = [(0.0, 0.0)], first_w, 0.0, 0.0
    for w, h in sizes[1:]:
        if y > 0 and y + h > height:
            x, y, column_width = x + column_width, 0.0, 0.0
        corners.append((x, y))
        y, column_width = y + h, max(column_width, w)
    return corners
