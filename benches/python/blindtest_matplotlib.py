"""Timing re-creation of the official BlindTest generators' rendering path.

This is NOT the official notebooks (they are not available offline).  It re-creates, for timing only,
what `shared/blindtest/REFERENCE.md` documents about how each official notebook renders: the same
figure sizes, dpi, drawing calls (one artist per line / circle / pentagon / square / segment / glyph /
label), Agg backend, `savefig` options, `fig.canvas.tostring_rgb()` buffers and PIL resize/crop/paste
steps, in one process, as the notebooks do.  Random parameters are drawn per REFERENCE.md (sampling
loops, rejection and quotas included); exact geometric parity is not the point.

Tasks (benchmark counts, 3,828 images in all):
  line_plot_intersections 1800  touching_circles 672  circled_letter 312  olympic_circles 240
  olympic_pentagons 240  nested_squares 120  grid_blank 132  grid_words 132  subway_connections 180

Usage:
  python blindtest_matplotlib.py --task all --out /tmp/bt-py
  python blindtest_matplotlib.py --task all --count subway_connections=30 --out /tmp/bt-py
A smaller count renders a fixed-seed random sample of the task's configurations and extrapolates the
full-task time (sampling/preparation time + render time per image x full count).
"""
import argparse
import json
import math
import os
import random
import shutil
import sys
import time
import uuid
import warnings

import matplotlib

matplotlib.use("Agg")
import matplotlib.patches as patches  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
from PIL import Image, ImageDraw, ImageFont  # noqa: E402

warnings.filterwarnings("ignore", category=matplotlib.MatplotlibDeprecationWarning)  # tostring_rgb

FONTS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "assets", "fonts")
TAB10 = [matplotlib.colormaps["tab10"](i) for i in range(10)]


def rgb_buffer(fig):
    """The notebooks' `fig.canvas.tostring_rgb()` (removed in matplotlib 3.10: fall back there)."""
    fig.canvas.draw()
    w, h = fig.canvas.get_width_height()
    if hasattr(fig.canvas, "tostring_rgb"):
        return Image.frombytes("RGB", (w, h), fig.canvas.tostring_rgb())
    return Image.fromarray(np.asarray(fig.canvas.buffer_rgba())[..., :3].copy())


def five_inch_axes(dpi):
    """REFERENCE 0.1 '5-inch, tight-bbox' canvas (Tasks 2 and 4)."""
    fig, ax = plt.subplots(figsize=(5, 5), dpi=dpi)
    ax.set_aspect("equal", adjustable="box")
    ax.set_xlim(0, 5)
    ax.set_ylim(0, 5)
    ax.axis("off")
    return fig, ax


def save_tight(fig, path, dpi):
    fig.savefig(path, bbox_inches="tight", pad_inches=0, dpi=dpi)
    plt.close(fig)


# ---------------------------------------------------------------- Task 1: line plot intersections
def task_line_plot_intersections(out):
    """2dline.ipynb: 300 pairs (100 per GT) x C in {384,768,1152} x lw in {2,4}; 2500 px, PIL resize."""
    T = [round(i / 12, 2) for i in range(12)]
    T[0] = 0 + 0.1 / 12
    T.append(1 - 0.1 / 12)
    lo, hi = T[0], T[12]

    def pair_ok(prev, cur):
        return not any((prev[k] == cur[k] == hi) or (prev[k] == cur[k] == lo) for k in (0, 1))

    counts, seen_b, seen_r, pairs = {0: 0, 1: 0, 2: 0}, set(), set(), []
    while len(pairs) < 300:
        pts = [random.sample(T, 2)]
        for _ in range(2):
            nxt = random.sample(T, 2)
            while not pair_ok(pts[-1], nxt):
                nxt = random.sample(T, 2)
            pts.append(nxt)
        blue, red = tuple(p[0] for p in pts), tuple(p[1] for p in pts)
        gt = sum((blue[k] - red[k]) * (blue[k + 1] - red[k + 1]) < 0 for k in (0, 1))
        if counts[gt] < 100 and (blue not in seen_b or red not in seen_r):
            counts[gt] += 1
            seen_b.add(blue)
            seen_r.add(red)
            pairs.append((gt, blue, red))

    xs = [round(5 * x, 2) for x in (lo, 0.5, hi)]

    def render(k, gt, blue, red, lw, size):
        fig = plt.figure(figsize=(5, 5), dpi=500)
        ax = fig.add_subplot(111)
        ax.plot(xs, [round(5 * y, 2) for y in blue], color="b", linewidth=lw, linestyle="solid")
        ax.plot(xs, [round(5 * y, 2) for y in red], color="r", linewidth=lw, linestyle="solid")
        ax.set_xlim(0, 5)
        ax.set_ylim(0, 5)
        ax.grid(True, which="both", linestyle="--", linewidth=0.5)
        ax.axis("off")
        plt.tight_layout(pad=0.0)
        img = rgb_buffer(fig).resize((size, size))
        img.save(os.path.join(out, f"gt_{gt}_image_{k}_thickness_{lw}_resolution_{size}.png"))
        plt.close(fig)

    return [(1, lambda k=k, p=p, s=s, lw=lw: render(k, *p, lw, s))
            for k, p in enumerate(pairs) for s in (384, 768, 1152) for lw in (2, 4)]


# ---------------------------------------------------------------- Task 2: touching circles
def task_touching_circles(out):
    """TwoTouchingCircles.ipynb + 14 distances: dpi x r x rotation x d = 3 x 4 x 4 x 14."""
    dists = [-0.15, -0.1, -0.05, 0.0, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5]
    c1_col, c2_col = matplotlib.colors.hsv_to_rgb((0.59, 1, 1)), matplotlib.colors.hsv_to_rgb((0.82, 1, 1))

    def render(dpi, r, rot, d):
        rad = 0.5 / r
        g = d * 2 * rad
        a = (g + 2 * rad) / math.sqrt(2)
        c1, c2 = {
            "horizontal": ((0.5 - g / 2 - rad, 0.5), (0.5 + g / 2 + rad, 0.5)),
            "vertical": ((0.5, 0.5 - g / 2 - rad), (0.5, 0.5 + g / 2 + rad)),
            "diagonal_1": ((0.5 - a / 2, 0.5 - a / 2), (0.5 + a / 2, 0.5 + a / 2)),
            "diagonal_2": ((0.5 - a / 2, 0.5 + a / 2), (0.5 + a / 2, 0.5 - a / 2)),
        }[rot]
        fig, ax = five_inch_axes(dpi)
        for c, col in ((c1, c1_col), (c2, c2_col)):
            ax.add_patch(plt.Circle((c[0] * 5, c[1] * 5), rad * 5, color=col, fill=True, linewidth=0))
        save_tight(fig, os.path.join(out, f"{uuid.uuid4()}_pixels_{dpi}_{rot}_{r}_{d:.2f}.png"), dpi)

    return [(1, lambda a=(dpi, r, rot, d): render(*a)) for dpi in (100, 200, 300) for r in (4, 5, 6, 7)
            for rot in ("diagonal_1", "diagonal_2", "horizontal", "vertical") for d in dists]


# ---------------------------------------------------------------- Task 3: circled letter
def task_circled_letter(out):
    """Version B (HF current, 312 x 1250 px) drawn with the version-A pipeline (CircledWord notebook)."""
    import freetype

    fonts = [os.path.join(FONTS, "LiberationSans-Regular.ttf"),  # stands in for Helvetica.ttf
             os.path.join(FONTS, "OpenSans-Regular.ttf")]
    final, padding, scale = 1250, 25, 1.4

    def render(word, font_path, ci, thickness):
        face = freetype.Face(font_path)
        face.set_char_size(36 * 64)
        face.set_pixel_sizes(0, 96)
        glyphs = []
        for ch in word:
            face.load_char(ch, freetype.FT_LOAD_RENDER | freetype.FT_LOAD_TARGET_NORMAL)
            g = face.glyph
            bm = g.bitmap
            arr = np.array(bm.buffer, dtype=np.uint8).reshape(bm.rows, bm.pitch)[:, :bm.width]
            glyphs.append((arr, g.bitmap_left, g.bitmap_top, g.advance.x // 64))
        total_w = sum(gl[3] for gl in glyphs)
        max_h = max(gl[0].shape[0] for gl in glyphs)
        fig = plt.figure(figsize=(10, 2), dpi=1200)
        ax = fig.add_subplot(111)
        ax.set_frame_on(False)
        ax.set_xticks([])
        ax.set_yticks([])
        pen_x, pen_y = padding, 100 + max_h // 2
        for i, (arr, left, top, adv) in enumerate(glyphs):
            rows, bw = arr.shape
            x, y = pen_x + left, 200 - (pen_y - top)
            ax.imshow(255 - arr, cmap="gray", interpolation="bilinear", extent=(x, x + bw, y - rows, y))
            if i == ci:
                ax.add_patch(patches.Ellipse((x + bw / 2, y - rows / 2), 2 * (adv / 2) * scale, rows * scale,
                                             fill=False, edgecolor="red", linewidth=thickness))
            pen_x += adv
        ax.set_xlim(0, total_w + 2 * padding)
        ax.set_ylim(0, 200)
        tmp = os.path.join(out, f"tmp_{uuid.uuid4()}.png")
        fig.savefig(tmp, dpi=1200, bbox_inches="tight", pad_inches=0)
        plt.close(fig)
        img = Image.open(tmp)
        w, h = img.size
        nw, nh = (final, int(h * final / w)) if w >= h else (int(w * final / h), final)
        canvas = Image.new("RGB", (final, final), "white")
        canvas.paste(img.resize((nw, nh)), ((final - nw) // 2, (final - nh) // 2))
        canvas.save(os.path.join(out, f"text_image_{uuid.uuid4()}.png"))
        os.remove(tmp)

    words = ["Acknowledgement", "Subdermatoglyphic", "tHyUiKaRbNqWeOpXcZvM"]
    return [(1, lambda a=(wd, f, ci, t): render(*a)) for wd in words for ci in range(len(wd))
            for f in fonts for t in (4, 5, 6)]


# ---------------------------------------------------------------- Task 4: olympic circles / pentagons
def olympic_centres(n, variant, x, y, yb, md, h, e):
    """Centre lists of REFERENCE 4 (top row at y, bottom row at yb).  h = half offset (circles
    rad + ratio/2, pentagons md/2); e = outer offset of N=6/N=9 (circles rad + ratio + md, pentagons 1.5 md).
    The list order (which fixes the tab10 colour of each shape) follows the circle lists."""
    five = [(x, y), (x - md, y), (x + md, y), (x - h, yb), (x + h, yb)]
    seven = [(x - h, y), (x + h, y), (x - h - md, y), (x + h + md, y), (x, yb), (x + md, yb), (x - md, yb)]
    if n == 5:
        return five if variant == 0 else [(x - h, y), (x + h, y), (x, yb), (x - md, yb), (x + md, yb)]
    if n == 6:
        return five + [(x - e, yb) if variant == 0 else (x + e, yb)]
    if n == 7:
        return seven if variant == 0 else [(x, y), (x - md, y), (x + md, y), (x - h, yb), (x + h, yb),
                                           (x - h - md, yb), (x + h + md, yb)]
    if n == 8:
        return seven + [(x + 2 * md, yb) if variant == 0 else (x - 2 * md, yb)]
    if variant == 0:
        return [(x, y), (x - md, y), (x + md, y), (x - 2 * md, y), (x + 2 * md, y), (x - h, yb), (x + h, yb),
                (x - e, yb), (x + e, yb)]
    return [(x - h, y), (x + h, y), (x - h - md, y), (x + h + md, y), (x, yb), (x + md, yb), (x - md, yb),
            (x - 2 * md, yb), (x + 2 * md, yb)]


def olympic_jobs(out, shape):
    """5-inch canvas; dpi x lw x r x N x colouring x layout = 3 x 2 x 2 x 5 x 2 x 2 = 240."""
    c18, s18, c36 = math.cos(math.radians(18)), math.sin(math.radians(18)), math.cos(math.radians(36))

    def render(dpi, lw, r, n, colored, variant):
        x, y = 0.5, 0.6
        fig, ax = five_inch_axes(dpi)
        if shape == "circles":
            rad = 0.5 / r
            ratio = 0.1 * rad
            md = 2 * rad + ratio
            cs = olympic_centres(n, variant, x, y, y - rad, md, rad + ratio / 2, rad + ratio + md)
        else:
            s = 0.5 / r
            R = s * 0.5 / math.sin(math.radians(36))
            md = 2 * R * c18 + 0.1 * s
            cs = olympic_centres(n, variant, x, y, y - R * (c36 + s18), md, md / 2, 1.5 * md)
            if n == 8:  # HEAD bug: both N=8 variants append (x - 2md, yb)
                cs[-1] = (x - 2 * md, y - R * (c36 + s18))
        for i, (cx, cy) in enumerate(cs):
            col = TAB10[i] if colored else "black"
            if shape == "circles":
                ax.add_patch(plt.Circle((cx * 5, cy * 5), rad * 5, color=col, fill=False, linewidth=lw))
            else:
                vx = np.array([0, R * c18, s / 2, -s / 2, -R * c18]) + cx
                vy = np.array([R, R * s18, -R * c36, -R * c36, R * s18]) + cy
                ax.fill(vx * 5, vy * 5, edgecolor=col, fill=False, linewidth=lw)
        tag = "colored" if colored else "black"
        save_tight(fig, os.path.join(out, f"{shape}_pixels_{dpi}_linewidth_{lw}_r_{r}_numCircles_{n}_{tag}_"
                                          f"{variant}_{uuid.uuid4()}.png"), dpi)

    return [(1, lambda a=(dpi, lw, r, n, c, v): render(*a)) for dpi in (100, 200, 300) for lw in (0.5, 1)
            for r in (7, 10) for n in range(5, 10) for c in (False, True) for v in (0, 1)]


def task_olympic_circles(out):
    return olympic_jobs(out, "circles")


def task_olympic_pentagons(out):
    return olympic_jobs(out, "pentagons")


# ---------------------------------------------------------------- Task 5: nested squares
def task_nested_squares(out):
    """GenerateSamples.ipynb: depth 2..5 x 10 random x lw {2,3,4}; 10x10 in at dpi 100; PNG + PDF."""
    jobs = []
    for depth in (2, 3, 4, 5):
        for i in range(10):
            c = (random.uniform(-5, 5), random.uniform(-5, 5))
            s = random.uniform(8, 18)
            squares = [(c, s)]
            for _ in range(depth - 1):
                s2 = 0.75 * s - 0.75
                m = (s - s2 - 0.75) / 2
                c = (c[0] + random.uniform(-m, m), c[1] + random.uniform(-m, m))
                s = s2
                squares.append((c, s))
            for lw in (2, 3, 4):
                jobs.append((1, lambda sq=squares, d=depth, i=i, lw=lw: render_squares(out, sq, d, i, lw)))
    return jobs


def render_squares(out, squares, depth, i, lw):
    fig = plt.figure(figsize=(10, 10))
    ax = fig.add_subplot(111)
    ax.set_aspect("equal")
    for (cx, cy), s in squares:
        ax.add_patch(patches.Rectangle((cx - s / 2, cy - s / 2), s, s, fill=False, linewidth=lw))
    ax.set_xlim(-15, 15)
    ax.set_ylim(-15, 15)
    ax.axis("off")
    base = os.path.join(out, f"nested_squares_depth_{depth}_image_{i}_thickness_{lw}")
    fig.savefig(base + ".png")
    fig.savefig(base + ".pdf")
    plt.close(fig)


# ---------------------------------------------------------------- Task 6: counting grids (PIL)
GRID_SHAPES = ([(n, n) for n in range(3, 11)] + [(n, n + 1) for n in range(3, 10)]
               + [(n + 1, n) for n in range(3, 10)])
WORDS = ("apple book car door earth fruit game house ice joke kite lamp moon night orange pen queen rain ship "
         "tree uncle voice water x-ray yarn zebra army baby cake dance echo flag green happy idea jelly king "
         "lion mouse north opera plant quiet robot stone tiger union vivid world youth zoo brave climb dream "
         "alert bread clean drama elbow flame grape heart index juice knees lemon march noble ocean peace "
         "quake reign shine track unity vapor weave young zone angle bloom crisp diver equip fable giant "
         "hover ideal jolly knock lunar march neigh orbit plush quote ridge skate truth urban").split()


def draw_grid(rows, cols, w, canvas=2000, words=False):
    img = Image.new("RGB", (canvas, canvas), "white")
    d = ImageDraw.Draw(img)
    for i in range(cols + 1):
        x = i * (canvas - w) / cols + w / 2
        d.line([(x, 0), (x, canvas)], fill="black", width=w)
    for i in range(rows + 1):
        y = i * (canvas - w) / rows + w / 2
        d.line([(0, y), (canvas, y)], fill="black", width=w)
    for a, b in (((0, w / 2), (canvas, w / 2)), ((w / 2, 0), (w / 2, canvas)),
                 ((0, canvas - w / 2), (canvas, canvas - w / 2)), ((canvas - w / 2, 0), (canvas - w / 2, canvas))):
        d.line([a, b], fill="black", width=w)
    if words:
        cw, ch = (canvas - w * (cols + 1)) / cols, (canvas - w * (rows + 1)) / rows
        font = ImageFont.truetype(os.path.join(FONTS, "LiberationSans-Regular.ttf"), int(min(cw, ch) * 0.2))
        for r in range(rows):
            for c in range(cols):
                word = WORDS[(r * cols + c) % len(WORDS)]
                l, t, rr, bb = d.textbbox((0, 0), word, font=font)
                tw, th = rr - l, bb - t
                d.text((0.04 * cw + c * (cw + w) + (cw - tw) / 2 + w / 2,
                        r * (ch + w) + (ch - th) / 2 + w / 2), word, fill="black", font=font)
    return img


def grid_jobs(out, words):
    """Grids.ipynb: 22 shapes x w {10,20}, 2000 px base resized to 2000/1250/500 (+ metadata rewrite)."""
    meta_path = os.path.join(out, "metadata.json")

    def save_all(img, rows, cols, w):
        for s in (2000, 1250, 500):
            img.resize((s, s)).save(os.path.join(out, f"grid_{rows}x{cols}_{s}_{w}.png"))
            meta = json.load(open(meta_path)) if os.path.exists(meta_path) else []
            meta.append({"rows": rows, "columns": cols, "cells": rows * cols, "image_size": f"{s}x{s}",
                         "linewidth": w})
            with open(meta_path, "w") as f:
                json.dump(meta, f)

    def render(rows, cols, w):
        if not words:
            save_all(draw_grid(rows, cols, w), rows, cols, w)
            return
        # The word-grid notebook renders at 500, 1250 and 2000 and saves each render under the same
        # three names: 3 renders x 3 saves per shape/width; the 2000-px render is the one that survives.
        for canvas in (500, 1250, 2000):
            save_all(draw_grid(rows, cols, w, canvas, words=True), rows, cols, w)

    return [(3, lambda a=(r, c, w): render(*a)) for r, c in GRID_SHAPES for w in (10, 20)]


def task_grid_blank(out):
    return grid_jobs(out, words=False)


def task_grid_words(out):
    return grid_jobs(out, words=True)


# ---------------------------------------------------------------- Task 7: subway connections
PORTS = {"A": [(8, 16), (9, 16), (10, 16)], "B": [(16, 8), (16, 9), (16, 10)],
         "C": [(8, 2), (9, 2), (10, 2)], "D": [(2, 8), (2, 9), (2, 10)]}
START = {"A": (0, -1), "B": (-1, 0), "C": (0, 1), "D": (1, 0)}
MOVES = {"A": [(0, -1), (-1, 0), (1, 0)], "B": [(0, -1), (0, 1), (-1, 0)],
         "C": [(0, 1), (-1, 0), (1, 0)], "D": [(0, -1), (0, 1), (1, 0)]}
PORT_OF = {p: s for s, ps in PORTS.items() for p in ps}


def subway_walk(st, port, dests, visited):
    """Random walk with backtracking from `port` until an admissible destination port is hit."""
    edge = lambda a, b: frozenset((a, b))  # noqa: E731
    first = (port[0] + START[st][0], port[1] + START[st][1])
    if edge(port, first) in visited:
        return None
    visited.add(edge(port, first))
    path, untried = [port, first], [list(MOVES[st])]
    while len(path) > 1:
        cur = path[-1]
        if not untried[-1]:
            path.pop()  # backtrack; the failed segment stays in `visited`
            untried.pop()
            if len(path) == 1:
                return None
            continue
        m = untried[-1].pop(random.randrange(len(untried[-1])))
        nxt = (cur[0] + m[0], cur[1] + m[1])
        if nxt in dests:
            visited.add(edge(cur, nxt))
            return path + [nxt]
        if edge(cur, nxt) not in visited and 2 < nxt[0] < 16 and 2 < nxt[1] < 16:
            visited.add(edge(cur, nxt))
            path.append(nxt)
            untried.append(list(MOVES[st]))
    return None


def subway_map(n, order):
    visited, cross, count, routes = set(), set(), dict.fromkeys("ABCD", 0), []
    for st in order:
        ports = list(PORTS[st])
        random.shuffle(ports)
        while ports and count[st] < n:
            port = ports.pop()
            if port in cross:
                continue
            dests = {p for s2 in "ABCD" if s2 != st and count[s2] < n for p in PORTS[s2]} - cross
            route = subway_walk(st, port, dests, visited)
            if route:
                routes.append(route)
                count[st] += 1
                count[PORT_OF[route[-1]]] += 1
                cross |= {port, route[-1]}
    return routes if all(v == n for v in count.values()) else None


def task_subway_connections(out):
    """SubwayMap.ipynb: 45 maps (15 per N) x size {512,1024} x lw {10,20} pt; 9000 px, PIL resize."""
    order = list("ABCD")
    random.shuffle(order)  # once per notebook run
    maps, need = [], {1: 15, 2: 15, 3: 15}
    while any(need.values()):
        for n in (1, 2, 3):
            if need[n]:
                routes = subway_map(n, order)
                if routes:
                    maps.append((n, routes))
                    need[n] -= 1

    def render(n, routes, size, lw):
        fig = plt.figure(figsize=(18, 18), dpi=500)
        ax = fig.add_subplot(111)
        for i, route in enumerate(routes):
            for a, b in zip(route, route[1:]):
                ax.plot([a[0], b[0]], [a[1], b[1]], color=TAB10[i], linewidth=lw)
        for label, (tx, ty) in (("A", (8.45, 16.5)), ("B", (16.5, 8.6)), ("C", (8.45, 0.6)), ("D", (0.4, 8.6))):
            ax.text(tx, ty, label, fontsize=100, color="black", fontweight="bold")
        ax.set_xlim(0, 18)
        ax.set_ylim(0, 18)
        ax.set_aspect("equal")
        ax.axis("off")
        plt.tight_layout(pad=0)
        img = rgb_buffer(fig).resize((size, size))
        plt.close(fig)
        name = os.path.join(out, f"pixels_{size}_linewidth_{lw}_path_{n}_{uuid.uuid4()}")
        img.save(name + ".png")
        img.save(name + ".pdf")

    return [(1, lambda a=(n, rt, s, lw): render(*a)) for n, rt in maps for s in (512, 1024) for lw in (10, 20)]


# ---------------------------------------------------------------- driver
TASKS = {
    "line_plot_intersections": (task_line_plot_intersections, 1800),
    "touching_circles": (task_touching_circles, 672),
    "circled_letter": (task_circled_letter, 312),
    "olympic_circles": (task_olympic_circles, 240),
    "olympic_pentagons": (task_olympic_pentagons, 240),
    "nested_squares": (task_nested_squares, 120),
    "grid_blank": (task_grid_blank, 132),
    "grid_words": (task_grid_words, 132),
    "subway_connections": (task_subway_connections, 180),
}


def pick(jobs, count):
    """A fixed-seed uniform sample of jobs covering `count` images (all jobs when count >= the total).
    Random rather than evenly spaced: a stride would alias with the nested loops (e.g. every 60th line
    image is always the 384-px, lw-2 one)."""
    total = sum(k for k, _ in jobs)
    if count >= total:
        return jobs
    n = max(1, math.ceil(count / jobs[0][0]))
    return [jobs[i] for i in sorted(random.Random(0).sample(range(len(jobs)), n))]


def run_task(name, count, out, keep):
    builder, full = TASKS[name]
    d = os.path.join(out, name)
    os.makedirs(d, exist_ok=True)
    c0, t0 = time.process_time(), time.perf_counter()
    jobs = builder(d)  # sampling / map generation (timed)
    t1 = time.perf_counter()
    chosen = pick(jobs, count)
    for _, fn in chosen:
        fn()
    c2, t2 = time.process_time(), time.perf_counter()
    if not keep:
        shutil.rmtree(d)
    n = sum(k for k, _ in chosen)
    secs = t2 - t0
    full_secs = secs if n >= full else (t1 - t0) + (t2 - t1) / n * full
    return {"task": name, "images": n, "seconds": secs, "cpu_seconds": c2 - c0, "prep_seconds": t1 - t0,
            "full_images": full,
            "full_seconds": full_secs, "extrapolated": n < full}


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--task", default="all", help="task name or 'all' (" + ", ".join(TASKS) + ")")
    ap.add_argument("--count", action="append", default=[],
                    help="images per task: N (all tasks) or TASK=N; default the benchmark count")
    ap.add_argument("--out", required=True, help="scratch dir for the PNGs (deleted per task unless --keep)")
    ap.add_argument("--keep", action="store_true", help="keep the images")
    ap.add_argument("--json", help="also write the results to this JSON file")
    a = ap.parse_args(argv)
    names = list(TASKS) if a.task == "all" else a.task.split(",")
    counts = {n: TASKS[n][1] for n in names}
    for c in a.count:
        if "=" in c:
            k, v = c.split("=")
            if k in counts:
                counts[k] = int(v)
        else:
            counts = {n: int(c) for n in names}
    import PIL
    print(f"python {sys.version.split()[0]}  matplotlib {matplotlib.__version__}  numpy {np.__version__}  "
          f"pillow {PIL.__version__}  backend {matplotlib.get_backend()}", flush=True)
    print(f"{'task':24} {'images':>6} {'seconds':>8} {'cpu s':>8} {'prep s':>7} {'img/s':>6} {'ms/img':>7}"
          f"   full-task seconds", flush=True)
    results = []
    for name in names:
        r = run_task(name, counts[name], a.out, a.keep)
        results.append(r)
        note = f"(extrapolated from {r['images']})" if r["extrapolated"] else "(measured)"
        print(f"{name:24} {r['images']:6d} {r['seconds']:8.2f} {r['cpu_seconds']:8.2f} {r['prep_seconds']:7.2f} "
              f"{r['images'] / r['seconds']:6.2f} {1000 * r['seconds'] / r['images']:7.1f}   "
              f"{r['full_seconds']:8.1f} for {r['full_images']} {note}", flush=True)
    tot_img = sum(r["full_images"] for r in results)
    tot = sum(r["full_seconds"] for r in results)
    print(f"{'TOTAL (full counts)':24} {tot_img:6d} {tot:8.1f} {'':8} {'':7} {tot_img / tot:6.2f} "
          f"{1000 * tot / tot_img:7.1f}   ({sum(r['extrapolated'] for r in results)} task(s) extrapolated)",
          flush=True)
    if a.json:
        with open(a.json, "w") as f:
            json.dump(results, f, indent=1)


if __name__ == "__main__":
    main()
