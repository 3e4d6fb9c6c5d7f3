#!/usr/bin/env bash
# `make test`: every check the project has, run from the repository root inside .venv.
#   (a) export  deepscratch/ is what nbdev_export makes from the notebooks
#   (b) clean   the notebooks are as nbdev_clean leaves them
#   (c) readme  README.md is what nbs/index.ipynb makes
#   (d) pytest  runs everything (pyproject.toml's testpaths): every notebook once, each in a fresh
#               process (conftest.py), whose runs are also the docs build's; the tests of tests/, among
#               them the packaging test and tests/test_docs_site.py, which renders _docs/ from those
#               runs and opens every page in headless Chromium (which the Makefile installs when missing)
# (a)-(c) compare the files before and after regenerating them, so a fresh clone
# passes and a tree with unexported or unclean edits fails; the regenerated files
# are left in place, ready to review and commit. Every step runs even when an
# earlier one fails; the last two lines sum up.
set -uo pipefail

start=$SECONDS
export PATH="$PWD/.venv/bin:$PATH"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failed=()        # names of the failed steps
passed=0         # checks, notebooks and pytest tests that passed
failures=0       # ... and that failed
pytests=0

step() { printf '\n== make test (%s) %s\n' "$1" "$2"; }
ok() { passed=$((passed + 1)); echo "ok: $1"; }
bad() { failures=$((failures + 1)); failed+=("$1"); echo "FAILED: $2" >&2; }

# Copy the files of a folder that a generator may rewrite, to compare afterwards.
snapshot() { mkdir -p "$2"; if [ -d "$1" ]; then cp -a "$1"/. "$2"/; fi; }
changes() { diff -ruN -x __pycache__ -x .ipynb_checkpoints -x '*.pyc' "$1" "$2"; }

step a "deepscratch/ is what nbdev_export makes from nbs/"
snapshot deepscratch "$tmp/lib"
if ! nbdev_export; then
    bad export "nbdev_export raised an error"
elif changes "$tmp/lib" deepscratch >"$tmp/export.diff"; then
    ok "deepscratch/ is in step with the notebooks"
else
    head -n 60 "$tmp/export.diff"
    bad export "deepscratch/ was out of step with the notebooks (diff above). nbdev_export has now rewritten it: review and commit it with the notebooks."
fi

step b "the notebooks are clean (nbdev_clean changes nothing)"
snapshot nbs "$tmp/nbs"
if ! nbdev_clean; then
    bad clean "nbdev_clean raised an error"
elif changes "$tmp/nbs" nbs >"$tmp/clean.diff"; then
    ok "the notebooks are clean"
else
    grep '^diff ' "$tmp/clean.diff" | sed 's/^diff -ruN.* nbs\//  cleaned: nbs\//'
    bad clean "some notebooks were not clean (listed above). nbdev_clean has now cleaned them: commit them."
fi

step c "README.md is what nbs/index.ipynb makes"
if python tools/docs.py readme --check; then
    ok "README.md is up to date"
else
    bad readme "README.md was out of date (diff above), and is now rewritten: commit it."
fi

step d "pytest: every notebook (each once, in its own process), tests/, the docs site built from those runs"
# conftest.py makes every notebook of nbs/ a test item (run as the docs build processes it, two at a time, a fresh
# process each); tests/test_docs_site.py then renders _docs/ from those runs and opens every page in Chromium.
notebooks=$(find nbs -name '*.ipynb' -not -path '*/.*' -not -path '*/_*' | wc -l)
python -m pytest --durations=12 2>&1 | tee "$tmp/pytest.log"
status=${PIPESTATUS[0]}
line=$(grep -E '^=*.* in [0-9.]+s' "$tmp/pytest.log" | tail -n 1)
p=0; f=0
for n in $(grep -oE '[0-9]+ passed' <<<"$line" | grep -oE '[0-9]+'); do p=$((p + n)); done
for n in $(grep -oE '[0-9]+ (failed|errors?)' <<<"$line" | grep -oE '[0-9]+'); do f=$((f + n)); done
pytests=$((p + f))
passed=$((passed + p))
if [ "$status" -eq 0 ]; then
    echo "ok: $p pytest items passed ($notebooks of them notebooks)"
else
    [ "$f" -gt 0 ] || f=1
    failures=$((failures + f))
    failed+=("pytest ($f failed)")
    echo "FAILED: pytest (summary above)" >&2
fi

secs=$((SECONDS - start))
took="$secs s"
if [ -n "${MAKE_TEST_START:-}" ]; then   # set by `make test`: count the making of .venv too
    total=$(( $(date +%s) - MAKE_TEST_START ))
    [ "$total" -gt $((secs + 2)) ] && took="$total s ($((total - secs)) s of it installing .venv or Chromium)"
fi
echo
if [ ${#failed[@]} -eq 0 ]; then
    echo "make test: OK in $took: package, notebooks and README in step; pytest ran $pytests items ($notebooks notebooks), 0 failures"
else
    echo "make test: FAILED in $took at: $(IFS=';'; echo "${failed[*]}" | sed 's/;/, /g')"
fi
echo "result: $passed passed, $failures failed"
[ ${#failed[@]} -eq 0 ]
