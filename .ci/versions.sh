#!/usr/bin/env bash
# make test-versions: helpers' unit tests and every notebook, top to bottom, at both ends of what pyproject allows.
#   lowest  Python 3.11 with the lowest versions the bounds allow (tests/constraints-lowest.txt)
#   newest  the newest Python found here with the newest release of everything, unpinned
#   colab   Colab's preinstalled set (tests/constraints-colab.txt) on Python 3.13: `pip install` of helpers must keep
#           numpy and ipywidgets as Colab has them
# Usage: .ci/versions.sh [lowest] [newest] [colab]   (default: all three). Venvs live in build/versions/<name>.
# Notebooks run with --nbval-lax: every cell must run and every assert hold; stored outputs may differ in digits.
set -euo pipefail
cd "$(dirname "$0")/.."
ENVS=("${@:-lowest newest colab}")
ENVS=(${ENVS[*]})
PYTHON311=${PYTHON311:-$(command -v python3.11 || true)}
OUT=build/versions
# the test tools, unpinned: make's pinned ones plus tests/requirements.txt's (repo2docker's test is make test's)
TOOLS=(pytest nbval hypothesis nbformat nbclient nbconvert ipykernel
       $(sed -E -e 's/[=<>;].*//' -e '/^#/d' -e '/repo2docker/d' tests/requirements.txt))
mkdir -p "$OUT"
failed=()

# uv (from PyPI, into a venv of its own) resolves and installs in seconds; pip checks what Colab's pip would do.
if [ ! -x "$OUT/uv/bin/uv" ]; then
    "${PYTHON311:-python3}" -m venv "$OUT/uv" && "$OUT/uv/bin/python" -m pip install --quiet uv
fi
UV="$OUT/uv/bin/uv"

newest_python() {  # the highest CPython version among the interpreters on PATH and under pyenv
    local best="" best_v="0"
    for p in $(compgen -c python3. | sort -u) /root/.pyenv/versions/*/bin/python3 /usr/bin/python3; do
        v=$("$p" -c 'import sys; print("%d%03d" % sys.version_info[:2])' 2>/dev/null) || continue
        if [ "$v" -gt "$best_v" ]; then best_v=$v; best=$(command -v "$p"); fi
    done
    echo "$best"
}

python313() {  # Colab's minor version
    for p in python3.13 /root/.pyenv/versions/3.13*/bin/python3.13; do
        "$p" -c 'import sys; assert sys.version_info[:2] == (3, 13)' 2>/dev/null && { command -v "$p"; return; }
    done
    echo "no Python 3.13 found for the Colab set" >&2; return 1
}

run_tests() {  # $1 = venv: the unit tests, then every notebook (lax), each with a timeout that fails loudly
    local py="$1/bin/python" rc=0
    "$py" -c 'import sys, numpy, matplotlib, PIL, ipywidgets, IPython, ipykernel
print(f"   Python {sys.version.split()[0]}, numpy {numpy.__version__}, matplotlib {matplotlib.__version__}, "
      f"pillow {PIL.__version__}, ipywidgets {ipywidgets.__version__}, ipython {IPython.__version__}, ipykernel {ipykernel.__version__}")'
    local deselect=(--deselect tests/test_everywhere.py::test_binder_builds_python_311_with_the_requirements)
    if "$py" -c 'import ipywidgets, sys; sys.exit(int(ipywidgets.__version__.split(".")[0]) >= 8)'; then
        # ipywidgets 7 displays through _ipython_display_ and has no _repr_mimebundle_, which this test calls
        deselect+=(--deselect tests/test_explorer.py::test_the_stored_output_before_the_cell_runs_is_a_sentence_not_a_widget_repr)
    fi
    "$py" -m pytest tests -q -p no:cacheprovider -o addopts='' -p no:nbval -m 'not browser' -n 2 --dist loadfile \
        --ignore=tests/browser --ignore=tests/bench --ignore=tests/instructor "${deselect[@]}" || rc=1
    "$py" -m pytest notebooks -q -p no:cacheprovider -o addopts='' --nbval-lax --nbval-current-env \
        --nbval-cell-timeout=300 --nbval-kernel-startup-timeout=60 -n 2 --dist loadfile || rc=1
    return $rc
}

for env in "${ENVS[@]}"; do
    venv="$OUT/$env"
    start=$(date +%s)
    rm -rf "$venv"
    case "$env" in
    lowest)
        echo "== lowest: $PYTHON311, tests/constraints-lowest.txt"
        "$PYTHON311" -c 'import sys; assert sys.version_info[:2] == (3, 11), sys.version' \
            || { echo "the lowest set runs on Python 3.11: set PYTHON311=/path/to/python3.11" >&2; exit 2; }
        "$UV" venv --quiet --python "$PYTHON311" "$venv"
        VIRTUAL_ENV="$venv" "$UV" pip install --quiet -c tests/constraints-lowest.txt -e . "${TOOLS[@]}"
        # the bounds really are the floor: what got installed is what the constraints pin
        "$venv/bin/python" - <<'EOF'
import importlib.metadata as md, re
pins = dict(re.findall(r"^([\w-]+)==(\S+)", open("tests/constraints-lowest.txt").read(), re.M))
got = {name: md.version(name) for name in pins}
assert got == pins, f"lowest set not installed: {got} != {pins}"
EOF
        ;;
    newest)
        py=$(newest_python)
        echo "== newest: $py, everything unpinned"
        "$UV" venv --quiet --python "$py" "$venv"
        VIRTUAL_ENV="$venv" "$UV" pip install --quiet --upgrade --no-cache -e . "${TOOLS[@]}"
        ;;
    colab)
        py=$(python313)
        echo "== colab: $py, tests/constraints-colab.txt"
        "$UV" venv --quiet --seed --python "$py" "$venv"
        VIRTUAL_ENV="$venv" "$UV" pip install --quiet -r tests/constraints-colab.txt
        # what a learner's `pip install` of helpers would do to Colab's set: nothing but add helpers
        "$venv/bin/python" -m pip install --quiet --disable-pip-version-check --dry-run --report "$venv/report.json" .
        "$venv/bin/python" - "$venv/report.json" <<'EOF'
import json, re, sys
colab = {k.lower().replace("_", "-"): v for k, v in
         re.findall(r"^([\w.-]+)==(\S+)", open("tests/constraints-colab.txt").read(), re.M)}
install = {i["metadata"]["name"].lower().replace("_", "-"): i["metadata"]["version"]
           for i in json.load(open(sys.argv[1]))["install"]}
replaced = {k: f"{colab[k]} -> {v}" for k, v in install.items() if k in colab}
assert not replaced, f"pip install of helpers would replace Colab's {replaced}"
print("   pip install of helpers keeps Colab's numpy, matplotlib, pillow, ipywidgets; adds", sorted(install))
EOF
        "$venv/bin/python" -m pip install --quiet --disable-pip-version-check .
        VIRTUAL_ENV="$venv" "$UV" pip install --quiet -c tests/constraints-colab.txt "${TOOLS[@]}"
        ;;
    *) echo "unknown set: $env (lowest, newest, colab)" >&2; exit 2 ;;
    esac
    if run_tests "$venv"; then
        echo "== $env passed in $(( $(date +%s) - start )) s"
    else
        echo "== $env FAILED (after $(( $(date +%s) - start )) s)"; failed+=("$env")
    fi
done
[ ${#failed[@]} -eq 0 ] || { echo "test-versions: failed: ${failed[*]}"; exit 1; }
