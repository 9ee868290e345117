"""Colours that carry meaning stay apart in every common colour vision, and text on them stays readable.

Colour-vision deficiencies are simulated with colorspacious (full-severity deuteranomaly, protanomaly and
tritanomaly, Machado et al. 2009, as matplotlib's colour-map tools use) and distances measured as ΔE in
CAM02-UCS (about 1 is a just noticeable difference; categories need far more).
"""
import numpy as np
import pytest
from colorspacious import cspace_convert, deltaE
from matplotlib import colormaps
from matplotlib.colors import to_rgb

from helpers import a11y, plots, plots_beyond, views

VISIONS = [None, "deuteranomaly", "protanomaly", "tritanomaly"]
CMAP = colormaps[plots.SIGNED]


def seen(rgb, vision):
    rgb = np.asarray(rgb, float)[..., :3]
    if vision is None:
        return rgb
    space = {"name": "sRGB1+CVD", "cvd_type": vision, "severity": 100}
    return np.clip(cspace_convert(rgb, space, "sRGB1"), 0, 1)


def distance(a, b, vision):
    return float(deltaE(seen(a, vision), seen(b, vision), input_space="sRGB1"))


def signed(v):
    """The colour of value v in [-1, 1] on the diverging scale the figures and the explorer use."""
    return CMAP(0.5 + 0.5 * v)[:3]


@pytest.mark.parametrize("vision", VISIONS)
def test_negative_and_positive_differ(vision):
    # a value and its negative, from a quarter of the scale up: sign must read at a glance
    for v in (0.25, 0.5, 1.0):
        assert distance(signed(-v), signed(v), vision) >= 15, (vision, v)
    # and either sign stands apart from zero (white)
    for v in (-0.25, 0.25):
        assert distance(signed(v), signed(0), vision) >= 10, (vision, v)


@pytest.mark.parametrize("vision", VISIONS)
def test_category_colours_differ(vision):
    for palette in (plots_beyond.COST_COLOURS,):
        rgb = [to_rgb(c) for c in palette]
        worst = min(distance(a, b, vision) for k, a in enumerate(rgb) for b in rgb[k + 1:])
        assert worst >= 10, (vision, palette, worst)


def test_the_distance_is_not_blind():
    """The measure itself: red and green, far apart in normal vision, collapse under deuteranomaly."""
    red, green = to_rgb("#d62728"), to_rgb("#2ca02c")
    assert distance(red, green, None) > 30 and distance(red, green, "deuteranomaly") < 10


def test_text_on_every_cell_colour_meets_wcag_aa():
    for x in np.linspace(0, 1, 257):
        rgb = CMAP(x, bytes=True)[:3]
        assert a11y.contrast(rgb, a11y.text_on(rgb)) >= 4.5, x
        assert views._hex(CMAP(x, bytes=True))[1] == a11y.text_on(rgb)


def test_highlight_ring_reads_on_every_cell():
    """The explorer's outline is a black ring with a white one inside: one has >= 3:1 on any cell colour."""
    assert "outline:2px solid #000" in views.STYLE and "inset 0 0 0 2px #fff" in views.STYLE
    for x in np.linspace(0, 1, 257):
        rgb = CMAP(x, bytes=True)[:3]
        assert max(a11y.contrast(rgb, "#000"), a11y.contrast(rgb, "#fff")) >= 3


def test_sign_is_marked_not_only_coloured():
    """Negative cells of the Jacobian pictures carry a minus bar (black or white by contrast)."""
    J = np.zeros((2, 2, 2, 2))
    J[0, 0, 0, 0], J[1, 1, 1, 1] = -1.0, 1.0
    png = views.jacobian_png(J)
    from io import BytesIO

    from PIL import Image
    img = np.asarray(Image.open(BytesIO(png)).convert("RGB")).astype(int)
    cell = img.shape[0] // 4
    neg, pos = img[:cell, :cell], img[3 * cell:, 3 * cell:]
    assert len({tuple(p) for p in neg.reshape(-1, 3)}) > len({tuple(p) for p in pos.reshape(-1, 3)})
    fig = plots.show_jacobian(J)
    assert any(len(c.get_offsets()) == 1 for ax in fig.axes for c in ax.collections), "no minus mark drawn"


@pytest.mark.parametrize("tex, said", [
    (r"$\varepsilon \operatorname{tr}((G X^\top)^\top dW)$", "ε tr((G Xᵀ)ᵀ dW)"),
    (r"$X \otimes I_H$", "X ⊗ I_H"),
    (r"$h \approx 10^{-3}$", "h ≈ 10⁻³"),
    (r"$\partial L / \partial W_{1,2}$", "∂ L / ∂ W_1,2"),
])
def test_alt_text_reads_as_words(tex, said):
    assert a11y.words(tex) == said


def test_every_figure_has_alt_text_without_tex():
    rng = np.random.default_rng(0)
    W, X = rng.normal(size=(3, 4)), rng.normal(size=(4, 5))
    J = np.einsum("id,cj->ijdc", np.eye(3), X)
    figs = [plots.show_product(W, X, W @ X), plots.show_jacobian(J), plots.show_index_sum(W @ X, X, 1, 2),
            plots_beyond.first_order_error([1e-1, 1e-2], [1e-2, 1e-4]),
            plots_beyond.jacobian_structure(J.reshape(15, 12), J.reshape(15, 12), 3, 4, 5),
            plots_beyond.cost_bars(["a", "b"], [1e3, 1e6], "multiply-adds", ["x", "y"]),
            plots_beyond.check_errors(["c"], [1e-15], [0.3], 1e-5)]
    for fig in figs:
        text = fig.describe()
        assert len(text) > 40 and not any(ch in text for ch in "$\\{}"), text
        bundle = fig._repr_mimebundle_()
        assert f'alt="' in bundle["text/html"] and "image/png" in bundle


# Palettes the notebooks define themselves (read from their source): each cell's quoted '#rrggbb' colours.
NOTEBOOK_PALETTES = ["10-training", "12-how-checks-work", "16-build-an-autograd"]


def notebook_palettes(stem):
    """[(cell index, [colours], alpha or None)] for each code cell of notebooks/<stem>.ipynb naming two or
    more distinct '#rrggbb' colours; alpha is the cell's `alpha=` when it tints a region (imshow)."""
    import json
    import re
    from pathlib import Path
    nb = json.loads((Path(__file__).resolve().parents[1] / "notebooks" / f"{stem}.ipynb").read_text())
    found = []
    for k, cell in enumerate(nb["cells"]):
        src = "".join(cell["source"]) if cell["cell_type"] == "code" else ""
        colours = list(dict.fromkeys(c.lower() for c in re.findall(r"[\"'](#[0-9a-fA-F]{6})[\"']", src)))
        if len(colours) >= 2:
            tint = re.search(r"alpha\s*=\s*([0-9.]+)", src[src.find("imshow("):]) if "imshow(" in src else None
            found.append((k, colours, float(tint.group(1)) if tint else None))
    return found


def worst_distance(colours, vision, alpha=1.0):
    rgb = [alpha * np.asarray(to_rgb(c)) + (1 - alpha) for c in colours]  # over white at `alpha`
    return min(distance(a, b, vision) for k, a in enumerate(rgb) for b in rgb[k + 1:])


@pytest.mark.parametrize("stem", NOTEBOOK_PALETTES)
def test_notebook_palettes_differ_in_every_vision(stem):
    palettes = notebook_palettes(stem)
    assert palettes, f"{stem}: no palette found in its source (has it moved? update NOTEBOOK_PALETTES)"
    for k, colours, _ in palettes:
        for vision in VISIONS:
            assert worst_distance(colours, vision) >= 10, (stem, k, colours, vision)


def test_tinted_regions_differ_or_have_boundaries():
    """A tinted region passes by its tint (>= 10 ΔE in every vision) or by its drawn borders (contour)."""
    for stem in NOTEBOOK_PALETTES:
        for k, colours, alpha in notebook_palettes(stem):
            if alpha is None:
                continue
            import json
            from pathlib import Path
            src = "".join(json.loads((Path(__file__).resolve().parents[1] / "notebooks" / f"{stem}.ipynb")
                                     .read_text())["cells"][k]["source"])
            if "contour(" in src:
                continue  # boundaries drawn: the regions do not rest on their tint
            for vision in VISIONS:
                assert worst_distance(colours, vision, alpha) >= 10, (stem, k, vision, alpha)


def test_the_palette_reader_finds_a_tint():
    assert any(alpha == 0.25 for _, _, alpha in notebook_palettes("10-training"))


def test_vary_shapes_sliders_say_what_they_size():
    from helpers.shape_explorer import ShapeCheck
    from helpers.checks import CheckTable
    s = ShapeCheck(lambda H, m, n, seed: CheckTable([]))
    assert [s.controls[k].description for k in ("H", "m", "n", "seed")] == [
        "H (outputs)", "m (features)", "n (samples)", "seed"]


def test_jacobian_caption_mentions_the_minus_bars_only_where_drawn():
    from helpers import shape_explorer as ex
    for size, drawn in (((2, 2, 2), True), ((12, 12, 12), False)):
        _, p = ex.compute(ex.Settings(*size))
        assert ("minus bar" in ex.jacobian_caption(p)) is drawn is views.minus_bars(p.jacobian), size
