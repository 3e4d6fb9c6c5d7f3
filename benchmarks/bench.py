"""`make bench`: run the benchmarks of chapter 28 (harness.py and workloads.py, beside this file) and write benchmarks/RESULTS.md.

    python benchmarks/bench.py [--repeats 11] [--peer-python PATH]

It fixes the threads and the allocator before numpy is loaded, by starting itself again with
OMP_NUM_THREADS = OPENBLAS_NUM_THREADS = MKL_NUM_THREADS = 1 and glibc's MALLOC_MMAP_THRESHOLD_ and
MALLOC_TRIM_THRESHOLD_ set (chapter 28 says why). It writes RESULTS.md and results.json next to itself.

PyTorch and TensorFlow are not dependencies of deepscratch. Where they are importable, W2 runs with them too.
--peer-python names another Python in which they are installed: W2 then also runs there, in one process
with deepscratch and its own numpy floor, and that process's peer rows join the W2 table.
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
NOTES = '\n<!-- notes kept by hand below: make bench keeps them -->\n'
SETTINGS = {'OMP_NUM_THREADS': '1', 'OPENBLAS_NUM_THREADS': '1', 'MKL_NUM_THREADS': '1',
            'MALLOC_MMAP_THRESHOLD_': str(64 << 20), 'MALLOC_TRIM_THRESHOLD_': str(256 << 20)}


def parse():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--repeats', type=int, default=15, help='interleaved repeats per measurement (default 15)')
    parser.add_argument('--peer-python', help='another Python with tensorflow or torch installed, for W2')
    parser.add_argument('--w2-json', help=argparse.SUPPRESS)   # the peer process: run W2 only, write its results here
    return parser.parse_args()


def peer_rows(python, repeats):
    "W2 run by another Python: its results, or None (with a message) if that fails."
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / 'w2.json'
        env = {**os.environ, 'PYTHONPATH': str(ROOT), 'TF_CPP_MIN_LOG_LEVEL': '3'}
        done = subprocess.run([python, __file__, '--repeats', str(repeats), '--w2-json', str(out)], env=env)
        if done.returncode != 0 or not out.exists():
            print(f'bench: the peer Python {python} failed (exit {done.returncode}); its rows are skipped', file=sys.stderr)
            return None
        return json.loads(out.read_text())


def main():
    if any(os.environ.get(key) != value for key, value in SETTINGS.items()):
        os.execve(sys.executable, [sys.executable, *sys.argv], {**os.environ, **SETTINGS})
    args = parse()
    sys.path[:0] = [str(ROOT), str(HERE)]
    import harness as benchmark
    if args.w2_json:
        Path(args.w2_json).write_text(json.dumps(benchmark.run_w2(repeats=args.repeats)))
        return
    print(f'bench: W1, W2 and W3 with {args.repeats} repeats each (about a minute)', flush=True)
    results = benchmark.run_all(repeats=args.repeats)
    import cnn   # the digits CNN workload (issue 10), its own section of RESULTS.md
    results['CNN'] = cnn.run_all(repeats=args.repeats, peer_python=args.peer_python)
    if args.peer_python:
        print(f'bench: W2 in {args.peer_python}', flush=True)
        peer = peer_rows(args.peer_python, args.repeats)
        for mine, theirs in zip(results['W2'], peer or []):
            for name, row in theirs['rows'].items():
                if name not in mine['rows']: mine['rows'][name] = {**row, 'process': args.peer_python}
        results['peer_python'] = args.peer_python if peer else None
    (HERE / 'results.json').write_text(json.dumps(results, indent=1) + '\n')
    notes = (HERE / 'RESULTS.md').read_text().partition(NOTES)[2] if (HERE / 'RESULTS.md').exists() else ''
    (HERE / 'RESULTS.md').write_text(benchmark.results_markdown(results) + cnn.markdown(results['CNN']) + (NOTES + notes if notes else ''))   # the notes by hand stay
    print((HERE / 'RESULTS.md').read_text())
    print(f"bench: wrote {HERE / 'RESULTS.md'} and results.json in {results['seconds']:.0f} s")


if __name__ == '__main__':
    main()
