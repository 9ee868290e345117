"""The result of one numeric check: a verdict, the figures behind it, and the tolerance rule it applied.

Verdicts (CheckResult.verdict):
  PASS          every entry within tolerance of a reference that is not zero: the check tested something.
  TRIVIAL       "holds trivially": the reference and the candidate are both zero (within the reference's
                resolution), so any answer that is zero here would pass; `reason` says why when it is known
                (softmax cross-entropy over H = 1 class is constant, so G = 0).  bool() is True (the claim
                holds) but `meaningful` is False: assert `result.meaningful` where a check must test something.
  FAIL          some entry is off by more than the tolerance.
  INCONCLUSIVE  round-off in the numeric reference is larger than the gradient's own scale allows, and the
                candidate is within that noise: neither right nor wrong can be shown (bool() is False).

Tolerance rule: an entry passes if |candidate - ref| <= atol + rtol·|ref|, where the absolute part atol is
the caller's atol plus the reference's estimated round-off r, but never more than SCALE_CAP·max|ref|.  So a
PASS never used a tolerance above (SCALE_CAP + rtol)·max|ref|: a tolerance cannot grow past the gradient it
checks.  When max|ref| is itself within round-off of zero (<= max(r, ZERO)), the reference is zero as far as
it can tell: a candidate within atol + r of zero gets TRIVIAL (INCONCLUSIVE when r > NOISE_LIMIT·atol, or
when the candidate is beyond atol + r but within the round-off 2r + atol), never PASS.
The figure shown next to the largest error is max|candidate - ref| / max|ref|: the error relative to the
gradient's scale (an entrywise relative error is large wherever an entry happens to be near zero).
Tables (CheckTable) define none of this: they link to "How to read a check" in notebooks/00-contents.ipynb
(legend_link), and a long note that several rows share is said once, under the table, as [k].
"""
import html
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from .validate import check_finite, real_array

SCALE_CAP = 1e-3  # the absolute part of a tolerance never exceeds this fraction of max|ref|
ZERO = 1e-12  # a reference with max|ref| <= max(ZERO, its round-off) is zero to within what it resolves
NOISE_LIMIT = 100  # round-off estimate (itself 100x the typical round-off) above NOISE_LIMIT·atol: INCONCLUSIVE
# Verdict colours: JupyterLab's theme colour mixed with its text colour (darker in light themes, lighter in
# dark ones, >= 4.5:1 on either background); outside JupyterLab the fallback colour mixed with black.
_MIX = "color-mix(in srgb, var({}, {}) 65%, var(--jp-content-font-color1, #000))"
_AMBER = _MIX.format("--jp-warn-color0", "#9a6700")
VERDICT_COLORS = {"PASS": _MIX.format("--jp-success-color0", "#1a7f37"),
                  "FAIL": _MIX.format("--jp-error-color1", "#cf222e"),
                  "TRIVIAL": _AMBER, "INCONCLUSIVE": _AMBER}
TRIVIAL_TEXT = "holds trivially: the gradient is zero"


def rel_error(a, b):
    """Largest entrywise relative error |a - b| / max(1e-8, |a| + |b|) (as in cs231n); a, b: same shape."""
    a, b = real_array(a, "a", allow_empty=True), real_array(b, "b", allow_empty=True)
    if a.shape != b.shape:
        raise ValueError(f"rel_error needs arrays of one shape, got {a.shape} and {b.shape}")
    return float(np.max(np.abs(a - b) / np.maximum(1e-8, np.abs(a) + np.abs(b)), initial=0.0))


@dataclass
class CheckResult:
    """Outcome of comparing a candidate (analytic) value with a numeric reference.

    bool(result) is result.passed: True for PASS and TRIVIAL.  result.meaningful is True only for PASS.
    Figures: max_abs_err = max|candidate - ref|; scale = max|ref|; rel_to_scale = max_abs_err / scale;
    atol, rtol: the rule actually applied, |candidate - ref| <= atol + rtol·|ref| per entry.
    max_rel_err: the entrywise cs231n figure (kept for reference, not shown: it is large near zero entries).
    """
    name: str
    passed: bool
    max_abs_err: float
    max_rel_err: float
    atol: float
    rtol: float
    worst_index: tuple = ()
    expected: float = 0.0  # numeric reference at the worst index
    got: float = 0.0  # analytic value at the worst index
    detail: str = ""
    extra: dict = field(default_factory=dict)
    scale: float = float("nan")  # max|ref|
    verdict: str = ""  # PASS, FAIL, TRIVIAL or INCONCLUSIVE; "" means PASS/FAIL from `passed`
    reason: str = ""  # why a TRIVIAL or INCONCLUSIVE verdict, when known
    got_scale: float = float("nan")  # max|candidate|

    def __bool__(self):
        return bool(self.passed)

    @property
    def status(self):
        verdict = self.verdict or ("PASS" if self.passed else "FAIL")
        if bool(self.passed) != (verdict in ("PASS", "TRIVIAL")):  # `passed` was changed after the fact
            return "PASS" if self.passed else "FAIL"
        return verdict

    @property
    def trivial(self):
        """True when the check held only because both sides are zero."""
        return self.status == "TRIVIAL"

    @property
    def meaningful(self):
        """True for a PASS that tested something (not TRIVIAL, not INCONCLUSIVE)."""
        return self.status == "PASS"

    passed_nontrivially = meaningful

    @property
    def rel_to_scale(self):
        """max|candidate - ref| / max|ref|: the largest error as a fraction of the gradient's scale."""
        if not self.scale > 0:
            return 0.0 if self.max_abs_err == 0 else float("inf")
        return self.max_abs_err / self.scale

    @property
    def tolerance(self):
        return f"{self.atol:.0e} + {self.rtol:.0e}·|ref|"

    def figures(self):
        """The figures as one phrase, e.g. 'max abs err 2.8e-10 = 2.4e-09 of max|ref| 1.2e-01'."""
        if self.trivial:
            return f"max|ref| {self.scale:.1e}, max|yours| {self.got_scale:.1e}"
        if np.isnan(self.scale):  # built by hand, without a scale
            return f"max abs err {self.max_abs_err:.1e}"
        if not self.scale > 0:  # a check whose claim is "this is zero" (the sparsity step)
            return f"max abs err {self.max_abs_err:.1e} (ref = 0)"
        return f"max abs err {self.max_abs_err:.1e} = {self.rel_to_scale:.1e} of max|ref| {self.scale:.1e}"

    def note(self):
        """What the row's note column says: the worst entry of a failure, the reason of a trivial pass, details."""
        parts = []
        if self.status in ("FAIL", "INCONCLUSIVE"):
            parts.append(f"worst at {self.worst_index}: expected {self.expected:.4g}, got {self.got:.4g}")
        if self.trivial:  # a reference that is not exactly 0 is zero only as far as its round-off resolves it
            parts.append(TRIVIAL_TEXT if not self.scale > 0 else TRIVIAL_TEXT + " to within its round-off")
        if self.reason:
            parts.append(self.reason)
        if self.detail:
            parts.append(self.detail)
        return "; ".join(parts)

    def __repr__(self):
        return self._line(self.note())

    def __str__(self):  # print(): wrapped at word boundaries (JupyterLab breaks long output lines mid-word)
        return _wrapped(repr(self))

    def _line(self, note):
        text = f"{self.status} {self.name}: {self.figures()} (tolerance {self.tolerance})"
        return text + (f"; {note}" if note else "")

    def _repr_html_(self):
        return table_html([self])


def compare(name, numeric, analytic, atol, rtol, detail="", *, noise=0.0, zero_is_trivial=True, reason="",
            trivial_noise=None):
    """Compare analytic with the numeric reference; returns a CheckResult with one of the four verdicts.

    numeric, analytic: arrays of one shape.  atol, rtol: the tolerance rule |analytic - numeric| <= atol' +
    rtol·|numeric| with atol' = min(atol + noise, SCALE_CAP·max|numeric|).  noise: the estimated round-off of
    each numeric entry (e.g. 100·eps·|f|/h for central differences).  zero_is_trivial=False for checks whose
    claim is that something is zero (the sparsity step).  reason: why the values are zero, if they are.
    trivial_noise: the round-off below which a zero reference counts as zero (TRIVIAL); default noise.  A
    reference that is "zero" only within a larger, measured noise is unresolved: INCONCLUSIVE, not TRIVIAL.
    """
    numeric = real_array(numeric, f"{name}: the numeric reference", allow_empty=True)
    analytic = real_array(analytic, f"{name}: the value checked", allow_empty=True)
    if numeric.shape != analytic.shape:
        raise ValueError(f"{name}: analytic value has shape {analytic.shape}, the numeric reference {numeric.shape}")
    check_finite(analytic, f"{name}: the value checked")
    err = np.abs(analytic - numeric)
    scale = float(np.abs(numeric).max(initial=0.0))
    got_scale = float(np.abs(analytic).max(initial=0.0))
    floor = atol + noise
    zero = scale <= max(noise, ZERO)  # the reference is zero to within what it resolves
    resolved_zero = scale <= max(noise if trivial_noise is None else min(trivial_noise, noise), ZERO)
    applied = floor if zero else min(floor, SCALE_CAP * scale)
    limit = applied + rtol * np.abs(numeric)
    over = err - limit
    passed = bool(np.all(over <= 0))
    verdict = "PASS" if passed else "FAIL"
    tiny = zero and noise < scale  # resolved by its own round-off, and zero only by the ZERO floor
    if tiny and zero_is_trivial:  # not "the gradient is zero": judged against its own scale, or not at all
        applied = SCALE_CAP * scale
        if np.all(err <= applied + rtol * np.abs(numeric)):
            verdict = "PASS"
        else:
            verdict, reason = "INCONCLUSIVE", (f"the gradient is tiny: max|ref| = {scale:.1e} is below {ZERO:.0e},"
                                               " where a numeric reference may be round-off alone; multiply f by a"
                                               " constant (the gradient scales with it) and check again")
        limit = applied + rtol * np.abs(numeric)
        over = err - limit
    elif zero and zero_is_trivial:
        if passed and noise <= NOISE_LIMIT * atol and resolved_zero:
            verdict = "TRIVIAL"
            reason = reason or (f"both sides are zero to within {max(noise, ZERO) + atol:.0e}, so any answer that is"
                                f" zero here passes; try another point or shape")
        elif passed or got_scale <= 2 * noise + atol:  # the truth could be anything up to the round-off
            verdict, reason = "INCONCLUSIVE", _noise_reason(noise, scale)
    elif not passed and noise > SCALE_CAP * scale and np.all(err <= noise + limit):
        verdict, reason = "INCONCLUSIVE", _noise_reason(noise, scale)  # round-off alone can explain err
    elif noise > SCALE_CAP * scale and not zero:
        detail = "; ".join(filter(None, [detail, f"round-off (~{noise:.0e}) exceeds {SCALE_CAP:.0e} of the gradient's"
                                         f" scale: the tolerance was capped at {applied:.0e}"]))
    passed = verdict in ("PASS", "TRIVIAL")
    if verdict not in ("TRIVIAL", "INCONCLUSIVE"):
        reason = ""
    worst = np.unravel_index(np.argmax(over), over.shape) if over.size else ()
    worst = tuple(int(i) for i in worst)
    return CheckResult(
        name=name, passed=passed, max_abs_err=float(err.max(initial=0.0)),
        max_rel_err=rel_error(numeric, analytic), atol=float(applied), rtol=rtol, worst_index=worst,
        expected=float(numeric[worst]) if numeric.size else 0.0,
        got=float(analytic[worst]) if analytic.size else 0.0, detail=detail, scale=scale, verdict=verdict,
        reason=reason, got_scale=got_scale)


def _noise_reason(noise, scale):
    return (f"round-off dominates: the numeric reference carries up to ~{noise:.0e} of round-off per entry, more than"
            f" the gradient's scale max|ref| = {scale:.1e} allows to resolve (f, or the numbers it is computed from,"
            f" is large next to its changes: a constant part, or a confident softmax whose loss is a difference of"
            f" two nearly equal numbers); subtract a constant part (it does not change the gradient) or rescale"
            f" the problem")


HEADER = ("<thead><tr><th></th><th style='text-align:left'>check</th><th>max abs err</th><th>&divide; max|ref|</th>"
          "<th>max|ref|</th><th>tolerance: |err| &le; atol + rtol&middot;|ref|</th>"
          "<th style='text-align:left'>note</th></tr></thead>")
LEGEND_ANCHOR = "00-contents.ipynb#How-to-read-a-check"
LEGEND_LINK = None  # where tables link for atol, rtol, ÷ max|ref| and the verdicts; None: found from the folder
LEGEND_TEXT = ("an entry passes if |yours &minus; ref| &le; atol + rtol&middot;|ref|; &divide; max|ref| is the largest"
               " error as a fraction of the gradient&#39;s scale")
FOOTNOTE_FROM = 40  # a note part said by several rows, at least this long, is said once, under the table


def legend_link():
    """The relative link to "How to read a check" (notebooks/00-contents.ipynb) from the folder the kernel runs
    in (a notebook's own folder, or solutions/ below it); "" when it is not there (Colab, a script).  Set
    helpers.checks.LEGEND_LINK to a link (or "" for the short legend text) to override."""
    if LEGEND_LINK is not None:
        return LEGEND_LINK
    try:
        here = Path.cwd()
    except OSError:  # the working directory was removed
        return ""
    for prefix, folder in (("", here), ("../", here.parent)):
        if (folder / "00-contents.ipynb").is_file():
            return prefix + LEGEND_ANCHOR
    return ""


def _footnoted(results):
    """(notes, footnotes): each row's note, a run of parts that several rows share (and that is long) replaced by
    a mark "[k]"; footnotes {text: k}.  A hand-made row (a bool) has no note."""
    parts = [r.note().split("; ") if isinstance(r, CheckResult) and r.note() else [] for r in results]
    shared = Counter(p for ps in parts for p in set(ps))
    notes, footnotes = [], {}
    for ps in parts:
        out, run = [], []
        for part in ps + [None]:
            if part is not None and shared[part] > 1:
                run.append(part)
                continue
            text = "; ".join(run)
            if len(text) >= FOOTNOTE_FROM:
                out.append(f"[{footnotes.setdefault(text, len(footnotes) + 1)}]")
            elif run:
                out.extend(run)
            run = []
            if part is not None:
                out.append(part)
        notes.append("; ".join(out))
    return notes, footnotes


def _row(r, note):
    if not isinstance(r, CheckResult):  # a bool or anything else a hand-made table holds
        status = "PASS" if r else "FAIL"
        return (f"<tr><td style='color:{VERDICT_COLORS[status]};font-weight:bold'>{status}</td>"
                f"<td style='text-align:left'>{html.escape(repr(r))}</td><td></td><td></td><td></td><td></td>"
                f"<td></td></tr>")
    status = r.status
    if r.trivial or not r.scale > 0:
        scale = "&ndash;" if np.isnan(r.scale) else f"{r.scale:.1e}"
        cells = f"<td>{r.max_abs_err:.1e}</td><td>&ndash;</td><td>{scale}</td>"
    else:
        cells = f"<td>{r.max_abs_err:.1e}</td><td>{r.rel_to_scale:.1e}</td><td>{r.scale:.1e}</td>"
    return (f"<tr><td style='color:{VERDICT_COLORS.get(status, '#9a6700')};font-weight:bold'>{status}</td>"
            f"<td style='text-align:left'>{html.escape(r.name)}</td>{cells}"
            f"<td>{r.atol:.0e} + {r.rtol:.0e}&middot;|ref|</td>"
            f"<td style='text-align:left'>{html.escape(note)}</td></tr>")


def table_html(results, link=None, legend=True):
    """A compact HTML table, one row per CheckResult; a note that several rows share is said once, under it.

    The header states the tolerance rule; the line under the table links to "How to read a check" in
    00-contents (link: a relative link to it; default legend_link()), or, when that page is not at hand,
    says the rule in one sentence instead.  legend=False leaves that line out (a second table just below)."""
    notes, footnotes = _footnoted(results)
    rows = "".join(_row(r, note) for r, note in zip(results, notes))
    link = legend_link() if link is None else link
    lines = [f"[{k}] {html.escape(text)}" for text, k in footnotes.items()]
    if legend:
        lines.append(f"How to read this table (atol, rtol, &divide; max|ref|, the verdicts):"
                     f' <a href="{html.escape(link, quote=True)}">How to read a check</a>' if link else
                     f"Tolerance: {LEGEND_TEXT}.")
    foot = (f"<tfoot><tr><td colspan='7' style='text-align:left;font-weight:normal'>{'<br>'.join(lines)}</td></tr>"
            f"</tfoot>" if lines else "")
    return f"<table>{HEADER}<tbody>{rows}</tbody>{foot}</table>"


class CheckTable(list):
    """A list of CheckResults; truthy iff every one passed (TRIVIAL counts as passed), shown as one table.

    table.meaningful is True iff every row is a PASS that tested something; table.summary() says which.
    """

    def __bool__(self):
        return all(self)

    @property
    def meaningful(self):
        return all(getattr(r, "meaningful", bool(r)) for r in self)

    @property
    def trivial(self):
        """The rows that held only trivially."""
        return [r for r in self if getattr(r, "trivial", False)]

    def summary(self, noun="check"):
        """One line for a table's caption: 'every check holds', '... 4 of 6 only trivially (...)', or a failure."""
        failed = [r for r in self if not r]
        if failed:
            word = "INCONCLUSIVE" if all(getattr(r, "status", "") == "INCONCLUSIVE" for r in failed) else "FAILED"
            return f"{len(failed)} of {len(self)} {noun}s {word}" if len(failed) > 1 else f"a {noun} {word}"
        trivial = self.trivial
        if not trivial:
            return f"every {noun} holds"
        why = next((r.reason for r in trivial if r.reason), "")
        return (f"every {noun} holds, but {len(trivial)} of {len(self)} only trivially: the gradient is zero"
                + (f" ({why})" if why else ""))

    def __repr__(self):
        """One line per row; a note that several rows share is said once, as a footnote [k] under them."""
        notes, footnotes = _footnoted(self)
        lines = [r._line(note) if isinstance(r, CheckResult) else repr(r) for r, note in zip(self, notes)]
        return "\n".join(lines + [f"[{k}] {text}" for text, k in footnotes.items()])

    def __str__(self):
        return _wrapped(repr(self))

    def _repr_html_(self):
        return table_html(self)

    def html(self, link=None, legend=True):
        """The table as HTML (see table_html): link to "How to read a check", or legend=False for none."""
        return table_html(self, link, legend)


def _wrapped(text, width=88):
    """text with each line wrapped at word boundaries to `width` columns, continuation lines indented."""
    import textwrap
    return "\n".join(textwrap.fill(line, width, subsequent_indent="    ", break_long_words=False,
                                    break_on_hyphens=False) for line in text.splitlines())
