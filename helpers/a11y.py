"""Accessibility: WCAG contrast, TeX as words for alternative text, and names for slider handles.

Plain functions and strings (no display needed); plots, views, the explorer and .ci/site.py use them.
"""
import re

# TeX commands -> the characters a screen reader says ("ε tr((G Xᵀ)ᵀ dW)", "X ⊗ I_H", "≈")
SYMBOLS = {"varepsilon": "ε", "epsilon": "ε", "partial": "∂", "otimes": "⊗", "odot": "⊙", "approx": "≈",
           "times": "×", "cdot": "·", "le": "≤", "leq": "≤", "ge": "≥", "geq": "≥", "pm": "±", "sum": "Σ",
           "to": "→", "infty": "∞", "top": "ᵀ", "lVert": "‖", "rVert": "‖", "nabla": "∇", "in": "∈",
           "sin": "sin", "cos": "cos", "exp": "exp", "log": "log", "tanh": "tanh", "max": "max", "quad": " ",
           "ldots": "…", "dots": "…", "neq": "≠", "ne": "≠", "sqrt": "√", "lambda": "λ", "sigma": "σ"}
SUPERSCRIPT = str.maketrans("0123456789-+()T", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻⁺⁽⁾ᵀ")


def words(tex):
    """Text with $...$ TeX turned into what a screen reader can say: Unicode symbols, no commands, no $."""
    text = re.sub(r"\\(?:operatorname|mathrm|text|mathbf|mathit|boldsymbol)\s*\{([^{}]*)\}", r"\1", tex)
    text = re.sub(r"\\(?:left|right|big|Big|bigg)\b\s*", "", text)
    text = re.sub(r"\\frac\s*\{([^{}]*)\}\s*\{([^{}]*)\}", r"(\1)/(\2)", text)
    text = re.sub(r"\\[,;:! ]", " ", text)
    text = re.sub(r"\\([A-Za-z]+)", lambda m: SYMBOLS.get(m.group(1), m.group(1)), text)

    def sup(m):
        body = m.group(1) or m.group(2)
        return body.translate(SUPERSCRIPT) if all(ch in "0123456789-+()Tᵀ" for ch in body) else f"^({body})"
    text = re.sub(r"\^(?:\{([^{}]*)\}|([0-9A-Za-zᵀ]))", sup, text)
    text = text.replace("ᵀᵀ", "ᵀ")
    text = re.sub(r"_\{([^{}]*)\}", r"_\1", text)
    return re.sub(r"[ \t]{2,}", " ", text.replace("$", "").replace("{", "").replace("}", "").replace("\\", ""))


def _channel(c):
    c /= 255
    return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4


def luminance(rgb):
    """WCAG relative luminance of an (r, g, b) in 0..255 or a '#rrggbb' / '#rgb' string."""
    if isinstance(rgb, str):
        h = rgb.lstrip("#")
        h = "".join(ch * 2 for ch in h) if len(h) == 3 else h[:6]
        rgb = tuple(int(h[k:k + 2], 16) for k in (0, 2, 4))
    r, g, b = (_channel(float(x)) for x in rgb[:3])
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a, b):
    """WCAG 2 contrast ratio (1..21) of two colours; 4.5 is AA for normal text."""
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def text_on(background):
    """'#000' or '#fff', whichever reads better on the background (at least 4.58:1 for any colour)."""
    return "#000" if contrast(background, "#000") >= contrast(background, "#fff") else "#fff"


def darken(colour, background, target=4.6):
    """colour ('#rrggbb') scaled towards black until it has `target` contrast on background; same hue."""
    h = colour.lstrip("#")
    h = "".join(ch * 2 for ch in h) if len(h) == 3 else h
    rgb = [int(h[k:k + 2], 16) for k in (0, 2, 4)]
    scale = 1.0
    while contrast([x * scale for x in rgb], background) < target and scale > 0:
        scale -= 0.02
    return "#" + "".join(f"{round(x * max(scale, 0)):02x}" for x in rgb)


# ipywidgets 8 draws a slider as a noUiSlider handle (role="slider") that has no accessible name: its
# description is a <label> with nothing to point at.  This snippet (an HTML widget's value: innerHTML
# runs an <img>'s onerror, in JupyterLab and in the static page's widget snapshot alike) names every
# handle after its slider's label, now and whenever a slider is redrawn; and gives the explorer's Jacobian
# picture (an Image widget, whose <img> has no alt) the text of the caption above it.
_NAME_JS = ("(function(){var w=window;if(!w.mgNameSliders){w.mgNameSliders=function(){"
            "document.querySelectorAll('.widget-slider').forEach(function(s){"
            "var l=s.querySelector('.widget-label'),t=l&&l.textContent.trim();"
            "s.querySelectorAll('.noUi-handle').forEach(function(h){"
            "if(t&&h.getAttribute('aria-label')!==t)h.setAttribute('aria-label',t);});});"
            "document.querySelectorAll('img.mg-jacobian').forEach(function(i){"
            "var c=i.previousElementSibling,t=c&&c.textContent.trim();"
            "if(t&&i.getAttribute('alt')!==t)i.setAttribute('alt',t);});};"
            "var q=0;new MutationObserver(function(){if(!q){q=1;requestAnimationFrame(function(){q=0;"
            "w.mgNameSliders();});}}).observe(document.body,{childList:true,subtree:true});}"
            "w.mgNameSliders();})()")
NAME_SLIDERS = f'<img src="data:," alt="" hidden onerror="{_NAME_JS}">'
NAME_SLIDERS_SCRIPT = f"<script>document.addEventListener('DOMContentLoaded',function(){{{_NAME_JS};}});</script>"


def plain(markup):
    """HTML as the plain text a screen reader says (tags dropped, entities decoded, spaces collapsed)."""
    import html
    markup = re.sub(r"<sub>(.*?)</sub>", r"_\1", markup)
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", "", markup))).strip()
