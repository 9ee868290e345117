"""The result of one numeric check: truthy iff it passed, carrying its figures."""
from dataclasses import dataclass, field

import numpy as np


def rel_error(a, b):
    """Largest entrywise relative error |a - b| / max(1e-8, |a| + |b|) (as in cs231n); a, b: same shape."""
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    if a.shape != b.shape:
        raise ValueError(f"rel_error needs arrays of one shape, got {a.shape} and {b.shape}")
    return float(np.max(np.abs(a - b) / np.maximum(1e-8, np.abs(a) + np.abs(b)), initial=0.0))


@dataclass
class CheckResult:
    """Outcome of comparing an analytic value with a numeric reference; bool(result) is result.passed."""
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

    def __bool__(self):
        return bool(self.passed)

    @property
    def status(self):
        return "PASS" if self.passed else "FAIL"

    def __repr__(self):
        text = (f"{self.status} {self.name}: max abs err {self.max_abs_err:.1e}, max rel err {self.max_rel_err:.1e}"
                f" (atol {self.atol:.0e}, rtol {self.rtol:.0e})")
        if not self.passed:
            text += f"; worst at {self.worst_index}: expected {self.expected:.4g}, got {self.got:.4g}"
        return text + (f"; {self.detail}" if self.detail else "")

    def _repr_html_(self):
        return table_html([self])


def compare(name, numeric, analytic, atol, rtol, detail=""):
    """Pass iff |analytic - numeric| <= atol + rtol |numeric| everywhere (numpy's allclose rule)."""
    numeric = np.asarray(numeric, dtype=np.float64)
    analytic = np.asarray(analytic, dtype=np.float64)
    if numeric.shape != analytic.shape:
        raise ValueError(f"{name}: analytic value has shape {analytic.shape}, the numeric reference {numeric.shape}")
    err = np.abs(analytic - numeric)
    over = err - (atol + rtol * np.abs(numeric))
    worst = np.unravel_index(np.argmax(over), over.shape) if over.size else ()
    worst = tuple(int(i) for i in worst)
    return CheckResult(
        name=name, passed=bool(np.all(over <= 0)), max_abs_err=float(err.max(initial=0.0)),
        max_rel_err=rel_error(numeric, analytic), atol=atol, rtol=rtol, worst_index=worst,
        expected=float(numeric[worst]) if numeric.size else 0.0,
        got=float(analytic[worst]) if analytic.size else 0.0, detail=detail)


def table_html(results):
    """A compact HTML table, one row per CheckResult."""
    rows = "".join(
        f"<tr><td style='color:{'#1a7f37' if r else '#cf222e'};font-weight:bold'>{r.status}</td>"
        f"<td style='text-align:left'>{r.name}</td><td>{r.max_abs_err:.1e}</td><td>{r.max_rel_err:.1e}</td>"
        f"<td>{r.atol:.0e} + {r.rtol:.0e}&middot;|ref|</td>"
        f"<td style='text-align:left'>{'' if r else f'worst at {r.worst_index}: expected {r.expected:.4g}, got {r.got:.4g}'}"
        f"{(' ' + r.detail) if r.detail else ''}</td></tr>"
        for r in results)
    return ("<table><thead><tr><th></th><th style='text-align:left'>check</th><th>max abs err</th>"
            f"<th>max rel err</th><th>tolerance</th><th style='text-align:left'>note</th></tr></thead>"
            f"<tbody>{rows}</tbody></table>")


class CheckTable(list):
    """A list of CheckResults; truthy iff every one passed, shown as one table."""

    def __bool__(self):
        return all(self)

    def __repr__(self):
        return "\n".join(repr(r) for r in self)

    def _repr_html_(self):
        return table_html(self)
