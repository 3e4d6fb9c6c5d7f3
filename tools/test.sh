#!/usr/bin/env bash
# `make test`: every check the project has, run from the repository root inside .venv.
#   (a) export  deepscratch/ is what nbdev_export makes from the notebooks
#   (b) clean   the notebooks are as nbdev_clean leaves them
#   (c) readme  README.md is what nbs/index.ipynb makes
#   (d) nbdev_test runs every notebook
#   (e) docs    the docs site is built into _docs/ from the notebooks (tools/docs.py build)
#   (f) pytest runs tests/, when it holds tests; tests/test_docs_site.py opens every page of
#               that site in headless Chromium (which the Makefile installs when missing)
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
notebooks=0
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

step d "nbdev_test runs every notebook, each in a fresh Python process"
# nbdev_test's own --n_workers reuses worker processes, and a notebook that attaches methods to library classes
# (chapter 05 defines Node.run inline, say) would leak them into the next notebook of that worker.
# One process per notebook, two at a time, keeps every notebook as isolated as it is in its own Jupyter kernel.
mkdir -p "$tmp/nb"
ls nbs/*.ipynb | xargs -P 2 -I{} sh -c \
    'start=$(date +%s); if nbdev_test --path "$1" >"$2/nb/$(basename "$1").log" 2>&1; then r=ok; else r=FAILED; echo "$1" >>"$2/nb/failed"; fi; echo "$r: $1 ($(( $(date +%s) - start )) s)"' _ {} "$tmp"
notebooks=$(ls nbs/*.ipynb | wc -l)
nb_failed=0
if [ -f "$tmp/nb/failed" ]; then
    nb_failed=$(wc -l <"$tmp/nb/failed")
    while read -r nb; do echo; echo "---- $nb"; cat "$tmp/nb/$(basename "$nb").log"; done <"$tmp/nb/failed"
fi
status=$nb_failed
if [ "$status" -eq 0 ]; then
    passed=$((passed + notebooks))
    echo "ok: $notebooks notebooks ran without error"
else
    [ "$nb_failed" -gt 0 ] || nb_failed=1
    passed=$((passed + notebooks - nb_failed))
    failures=$((failures + nb_failed))
    failed+=("nbdev_test ($nb_failed of $notebooks notebooks)")
    echo "FAILED: $nb_failed notebook(s) raised an error (tracebacks above)" >&2
fi

step e "the docs site is built from the notebooks (tools/docs.py build)"
# so that the browser test (f) checks the site of the notebooks as they are now; it runs every notebook again
docs_start=$SECONDS
if python tools/docs.py build >"$tmp/docs.log" 2>&1; then
    ok "the docs site is built into _docs/ ($(grep -oE 'built [0-9]+ pages' "$tmp/docs.log" | tail -n 1 | cut -d' ' -f2) pages, in $((SECONDS - docs_start)) s)"
else
    cat "$tmp/docs.log"
    bad docs "the docs site could not be built (output above); the browser test will find _docs/ stale or missing"
fi

step f "pytest over tests/"
if compgen -G 'tests/test_*.py' >/dev/null || compgen -G 'tests/**/test_*.py' >/dev/null || compgen -G 'tests/*_test.py' >/dev/null; then
    # the site was just built (or failed to build): the browser test must not build it again
    DOCS_SITE_NO_BUILD=1 python -m pytest tests -q -p no:cacheprovider 2>&1 | tee "$tmp/pytest.log"
    status=${PIPESTATUS[0]}
    line=$(grep -E '^=*.* in [0-9.]+s' "$tmp/pytest.log" | tail -n 1)
    p=0; f=0
    for n in $(grep -oE '[0-9]+ passed' <<<"$line" | grep -oE '[0-9]+'); do p=$((p + n)); done
    for n in $(grep -oE '[0-9]+ (failed|errors?)' <<<"$line" | grep -oE '[0-9]+'); do f=$((f + n)); done
    pytests=$((p + f))
    passed=$((passed + p))
    if [ "$status" -eq 0 ] || [ "$status" -eq 5 ]; then
        echo "ok: $p pytest tests passed"
    else
        [ "$f" -gt 0 ] || f=1
        failures=$((failures + f))
        failed+=("pytest ($f failed)")
        echo "FAILED: pytest" >&2
    fi
else
    echo "no tests in tests/ yet: skipped"
fi

secs=$((SECONDS - start))
took="$secs s"
if [ -n "${MAKE_TEST_START:-}" ]; then   # set by `make test`: count the making of .venv too
    total=$(( $(date +%s) - MAKE_TEST_START ))
    [ "$total" -gt $((secs + 2)) ] && took="$total s ($((total - secs)) s of it installing .venv or Chromium)"
fi
echo
if [ ${#failed[@]} -eq 0 ]; then
    echo "make test: OK in $took: package, notebooks and README in step, docs site built; $notebooks notebooks and $pytests pytest tests ran, 0 failures"
else
    echo "make test: FAILED in $took at: $(IFS=';'; echo "${failed[*]}" | sed 's/;/, /g')"
fi
echo "result: $passed passed, $failures failed"
[ ${#failed[@]} -eq 0 ]
