"""The benchmark harness of `make bench` and chapter 28: timing in interleaved rounds, summaries as ratios to the
hand-written numpy floor, the machine, and the Markdown of RESULTS.md. Not part of the package."""
from __future__ import annotations

import os
import platform
import statistics
import time

import numpy as np

import deepscratch as tf
from workloads import (w1_deepscratch, w1_numpy, w2_deepscratch, w2_jax, w2_numpy, w2_tensorflow, w2_torch, w3_chain,
                       w3_numpy)


def measure(steps, repeats=7, block_seconds=0.02, warmup=3, clock=time.process_time):
    "CPU seconds per call of each function in the dict `steps`, timed in interleaved blocks: {name: [one time per repeat]}."
    counts = {}
    for name, step in steps.items():                  # warm up, and size each block to about `block_seconds`
        for _ in range(warmup): step()
        start, n = time.perf_counter(), 0
        while time.perf_counter() - start < block_seconds / 4: step(); n += 1
        counts[name] = max(1, round(n * block_seconds / (time.perf_counter() - start)))
    times = {name: [] for name in steps}
    for r in range(repeats):
        names = list(steps)
        for name in names[r % len(names):] + names[:r % len(names)]:   # the order rotated each round
            step, n = steps[name], counts[name]
            start = clock()   # CPU time of this process: other helpers' load on the machine does not count
            for _ in range(n): step()
            times[name].append((clock() - start) / n)
    return times

def summarize(times, floor='numpy'):
    "For each implementation: median seconds per call, and its ratio to `floor`, repeat by repeat: median, min, max."
    rows = {}
    for name, ts in times.items():
        ratios = [t / f for t, f in zip(ts, times[floor])] if floor in times else [float('nan')]
        rows[name] = dict(seconds=statistics.median(ts), ratio=statistics.median(ratios),
                          ratio_min=min(ratios), ratio_max=max(ratios))
    return rows

def machine():
    "What the numbers were measured on: processor, Python, numpy and its BLAS, and the thread settings."
    cpu = platform.processor() or platform.machine()
    try:
        for line in open('/proc/cpuinfo'):
            if line.startswith('model name'): cpu = line.split(':', 1)[1].strip(); break
    except OSError: pass
    try: blas = np.show_config(mode='dicts')['Build Dependencies']['blas']
    except Exception: blas = {}
    return {'cpu': cpu, 'cores': os.cpu_count(), 'os': platform.platform(), 'python': platform.python_version(),
            'numpy': np.__version__, 'blas': f"{blas.get('name', '?')} {blas.get('version', '')}".strip(),
            'deepscratch': tf.__version__,
            **{k: os.environ.get(k, '(unset)') for k in ('OMP_NUM_THREADS', 'OPENBLAS_NUM_THREADS', 'MKL_NUM_THREADS',
                                                        'MALLOC_MMAP_THRESHOLD_', 'MALLOC_TRIM_THRESHOLD_')}}

W2_TARGETS = {1: 1.3, 32: 1.10, 2048: 1.00}   # issue 13's targets for the ratio to numpy, by batch size
W1_TARGET, W3_FLATNESS = 1.3, 2.0
COMPILE_FLATNESS, MEMORY_TARGET = 1.3, 1.1   # compile time per node, 1,000 to 30,000 nodes; W2's peak memory at batch 8192

def peers(batch, dtype):
    "The optional implementations of W2 that are installed here, by name."
    steps = {'torch': w2_torch(batch, dtype), 'tensorflow': w2_tensorflow(batch, dtype), 'jax.jit': w2_jax(batch, dtype)}
    return {name: step for name, step in steps.items() if step is not None}

def run_w1(repeats=11, block_seconds=0.05):
    "W1's times: {implementation: summary}."
    return summarize(measure({'deepscratch': w1_deepscratch(), 'numpy': w1_numpy()}, repeats, block_seconds))

def run_w2(batches=(1, 32, 256, 2048), dtypes=(np.float32, np.float64), repeats=11, with_peers=True, block_seconds=0.05):
    "W2's times, one entry per batch size and dtype."
    results = []
    for dtype in dtypes:
        for batch in batches:
            steps = {'deepscratch': w2_deepscratch(batch, dtype), 'numpy': w2_numpy(batch, dtype)}
            if with_peers: steps.update(peers(batch, dtype))
            rows = summarize(measure(steps, repeats, block_seconds))
            results.append({'batch': batch, 'dtype': np.dtype(dtype).name, 'rows': rows})
    return results

def run_w3(sizes=(10, 100, 1000, 5000), repeats=11, block_seconds=0.05):
    "W3's times per operation, one entry per chain length."
    results = []
    for n in sizes:
        builds = []
        for _ in range(3):
            built, forward, gradient = w3_chain(n)
            builds.append(built)
        numpy_forward, numpy_gradient = w3_numpy(n)
        per_op = lambda rows: {name: {**row, 'seconds': row['seconds'] / n} for name, row in rows.items()}
        results.append({'n': n, 'build': statistics.median(builds) / n,
                        'forward': per_op(summarize(measure({'deepscratch': forward, 'numpy': numpy_forward}, repeats, block_seconds))),
                        'gradient': per_op(summarize(measure({'deepscratch': gradient, 'numpy': numpy_gradient}, repeats, block_seconds)))})
    return results

def run_compile(chains=(500, 1500, 5000, 15000), repeats=5):
    """Compiling a plan, per node: a chain of n tanh operations and its gradient (2n + 2 nodes, so 1,002 to 30,002),
    CPU seconds of making the compiled plan for [y, dy/dx], the fastest of `repeats` after one warm-up."""
    from deepscratch.compiled import CompiledPlan
    results = []
    for n in chains:
        with tf.Graph().as_default() as g:
            x = tf.placeholder(tf.float32, [128]); y = x
            for _ in range(n): y = tf.tanh(y)
            (dx,) = tf.gradients(y, [x])
        session, nodes = tf.Session(graph=g), len(g.get_operations())
        CompiledPlan(session, [y, dx], [x])
        times = []
        for _ in range(repeats):
            start = time.process_time(); CompiledPlan(session, [y, dx], [x]); times.append(time.process_time() - start)
        results.append({'nodes': nodes, 'seconds_per_node': min(times) / nodes})
    return results

def peak_bytes(run):
    "The peak of the traced allocations (numpy reports its buffers to tracemalloc) while `run()` runs, above those before."
    import tracemalloc
    tracemalloc.start()
    base = tracemalloc.get_traced_memory()[0]
    run()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak - base

def run_memory(batch=8192, dtype=np.float32):
    "The peak memory of one W2 training step at `batch`, after a warm-up step: {'deepscratch', 'numpy'} in bytes."
    steps = {'deepscratch': w2_deepscratch(batch, dtype), 'numpy': w2_numpy(batch, dtype)}
    for step in steps.values(): step()
    return {'batch': batch, **{name: peak_bytes(step) for name, step in steps.items()}}

def run_all(repeats=11, with_peers=True):
    "Every workload, with the machine it ran on."
    start = time.perf_counter()
    results = {'machine': machine(), 'repeats': repeats, 'date': time.strftime('%Y-%m-%d %H:%M %Z'),
               'W1': run_w1(repeats), 'W2': run_w2(repeats=repeats, with_peers=with_peers), 'W3': run_w3(repeats=repeats),
               'compile': run_compile(), 'memory': run_memory()}
    results['seconds'] = time.perf_counter() - start
    return results

def _time(seconds):
    return f'{seconds * 1e6:.3g} µs' if seconds < 1e-3 else f'{seconds * 1e3:.3g} ms'

def _ratio(row): return f"{row['ratio']:.2f} ({row['ratio_min']:.2f}–{row['ratio_max']:.2f})"

def _verdict(ratio, target): return '–' if target is None else ('yes' if ratio <= target else f'no (target ≤ {target})')

def flatness(w3, kind):
    "How much deepscratch's time per operation varies over the chain lengths of W3: largest over smallest."
    per_op = [entry[kind]['deepscratch']['seconds'] for entry in w3]
    return max(per_op) / min(per_op)

def results_markdown(results):
    "RESULTS.md: the machine, and a table per workload with each ratio to numpy and whether it meets its target."
    m = results['machine']
    lines = ['# Benchmark results', '',
             f"Written by `make bench` on {results['date']} in {results['seconds']:.0f} s. Each time is the median of "
             f"{results['repeats']} repeats, in CPU seconds of the process (`time.process_time`, so that other load on "
             "the machine does not count); the implementations of a workload run in one process, interleaved, the "
             "order rotated from repeat to repeat. A ratio is deepscratch's time over hand-written numpy's in the "
             "same repeat: the median, and in brackets the smallest and largest.", '',
             f"Machine: {m['cpu']}, {m['cores']} cores, {m['os']}; Python {m['python']}, numpy {m['numpy']} "
             f"({m['blas']}), deepscratch {m['deepscratch']}.", '',
             f"Settings: OMP_NUM_THREADS={m['OMP_NUM_THREADS']}, OPENBLAS_NUM_THREADS={m['OPENBLAS_NUM_THREADS']}, "
             f"MKL_NUM_THREADS={m['MKL_NUM_THREADS']}; glibc MALLOC_MMAP_THRESHOLD_={m['MALLOC_MMAP_THRESHOLD_']}, "
             f"MALLOC_TRIM_THRESHOLD_={m['MALLOC_TRIM_THRESHOLD_']} (so that arrays of 128 KiB and more are not "
             "fetched from the system afresh, page by page, at every allocation: see chapter 28).", '']
    w1 = results['W1']
    lines += ['## W1: the tutorial network (chapter 10), full-batch gradient descent', '',
              '| implementation | time per step | ratio to numpy | target met? |', '|:--|--:|--:|:--|',
              f"| numpy | {_time(w1['numpy']['seconds'])} | 1 | |",
              f"| deepscratch | {_time(w1['deepscratch']['seconds'])} | {_ratio(w1['deepscratch'])} | "
              f"{_verdict(w1['deepscratch']['ratio'], W1_TARGET)} |", '']
    names = sorted({name for entry in results['W2'] for name in entry['rows']} - {'deepscratch', 'numpy'})
    lines += ['## W2: 64-128-10 ReLU network, softmax cross-entropy, SGD; time per step (forward, backward, update)', '',
              '| batch | dtype | numpy | deepscratch | ratio to numpy | target met? |'
              + ''.join(f' {n} | {n} ratio |' for n in names),
              '|--:|:--|--:|--:|--:|:--|' + '--:|--:|' * len(names)]
    for entry in results['W2']:
        rows, ds = entry['rows'], entry['rows']['deepscratch']
        peer_cells = ''.join(f" {_time(rows[n]['seconds'])} | {rows[n]['ratio']:.2f} |" if n in rows else ' skipped | |'
                             for n in names)
        lines.append(f"| {entry['batch']} | {entry['dtype']} | {_time(rows['numpy']['seconds'])} | {_time(ds['seconds'])} "
                     f"| {_ratio(ds)} | {_verdict(ds['ratio'], W2_TARGETS.get(entry['batch']))} |{peer_cells}")
    if not names: lines += ['', 'Peers (PyTorch, TensorFlow): not installed here, skipped.']
    elsewhere = sorted({row['process'] for e in results['W2'] for row in e['rows'].values() if 'process' in row})
    for python in elsewhere:
        lines += ['', f"Peer columns measured by `{python}`, in a process of their own with numpy: their ratios are to "
                  "the numpy floor measured in that process."]
    lines += ['', '## W3: a chain of N tanh operations on 128 floats, time per operation', '',
              '| N | build | forward: numpy | forward: deepscratch | ratio | forward+gradient: numpy | forward+gradient: deepscratch | ratio |',
              '|--:|--:|--:|--:|--:|--:|--:|--:|']
    for e in results['W3']:
        f, g = e['forward'], e['gradient']
        lines.append(f"| {e['n']} | {_time(e['build'])} | {_time(f['numpy']['seconds'])} | {_time(f['deepscratch']['seconds'])} "
                     f"| {_ratio(f['deepscratch'])} | {_time(g['numpy']['seconds'])} | {_time(g['deepscratch']['seconds'])} "
                     f"| {_ratio(g['deepscratch'])} |")
    for kind in ('forward', 'gradient'):
        spread = flatness(results['W3'], kind)
        lines.append(f"\n{kind.capitalize()} time per operation varies by a factor {spread:.2f} from N = "
                     f"{results['W3'][0]['n']} to {results['W3'][-1]['n']}: "
                     f"{'within' if spread <= W3_FLATNESS else 'not within'} the target of {W3_FLATNESS:g}.")
    if 'compile' in results:
        c = results['compile']
        spread = max(e['seconds_per_node'] for e in c) / min(e['seconds_per_node'] for e in c)
        lines += ['', '## Compiling a plan: a chain of tanh operations and its gradient, CPU time per node', '',
                  '| nodes | per node |', '|--:|--:|'] + [f"| {e['nodes']:,} | {_time(e['seconds_per_node'])} |" for e in c]
        lines.append(f"\nCompile time per node varies by a factor {spread:.2f} from {c[0]['nodes']:,} to {c[-1]['nodes']:,} nodes: "
                     f"{'within' if spread <= COMPILE_FLATNESS else 'not within'} the target of {COMPILE_FLATNESS:g}.")
    if 'memory' in results:
        m = results['memory']
        ratio = m['deepscratch'] / m['numpy']
        lines += ['', f"## Peak memory of a W2 step at batch {m['batch']:,} (float32, tracemalloc)", '',
                  f"deepscratch {m['deepscratch'] / 1e6:.1f} MB, numpy floor {m['numpy'] / 1e6:.1f} MB: ratio {ratio:.2f}, "
                  f"{'within' if ratio <= MEMORY_TARGET else 'not within'} the target of {MEMORY_TARGET:g}."]
    return '\n'.join(lines) + '\n'
