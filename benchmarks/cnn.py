"""The CNN workload of `make bench`: one training step (forward, backward, update) of chapter 18's digits network,
deepscratch against a hand-written numpy im2col implementation of the same network (the floor), and torch / jax.jit
where they are importable (in this Python or in --peer-python). Also the peak memory of one conv layer's forward and
backward, deepscratch against the floor (tracemalloc: numpy reports its buffers to it).

The network is chapter 18's without dropout (a random mask would make the floor and the peers compute different
things): 8x8x1 -> conv 3x3x16 SAME, relu -> max pool 2x2 -> conv 3x3x32 SAME, relu -> dense 128, relu -> dense 10,
softmax cross-entropy, updated by plain gradient descent (learning rate 0.01), float32.

    python benchmarks/cnn.py [--repeats 15] [--peer-python PATH]     (bench.py runs it too, for RESULTS.md)
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
BATCHES = (32, 256)
TARGETS = {32: 1.5, 256: 1.3}     # issue 10: deepscratch / numpy floor, CPU time paired per round
MEMORY_TARGET = 2.0
LR = np.float32(0.01)
SHAPES = {'W1': (3, 3, 1, 16), 'b1': (16,), 'W2': (3, 3, 16, 32), 'b2': (32,),
          'W3': (512, 128), 'b3': (128,), 'W4': (128, 10), 'b4': (10,)}


def data(batch, seed=0):
    "Fixed random images and labels of the digits' shapes: (batch, 8, 8, 1) float32 in [0, 1), (batch,) int64."
    rng = np.random.default_rng(seed)
    return rng.random((batch, 8, 8, 1), dtype=np.float32), rng.integers(0, 10, batch)


def initial(seed=1):
    "The starting parameters, the same for every implementation."
    rng = np.random.default_rng(seed)
    return {name: (rng.normal(size=shape) * np.sqrt(2 / np.prod(shape[:-1])) if name[0] == 'W' else np.zeros(shape))
            .astype(np.float32) for name, shape in SHAPES.items()}


# ---------------------------------------------------------------- the floor: numpy, written plainly
def im2col_same3(x):
    "The 3x3 windows of x (N, H, W, C) with one zero of padding all round: (N*H*W, 9*C), one copy."
    n, h, w, c = x.shape
    xp = np.zeros((n, h + 2, w + 2, c), x.dtype)
    xp[:, 1:-1, 1:-1] = x
    cols = np.empty((n, h, w, 3, 3, c), x.dtype)
    for i in range(3):
        for j in range(3):
            cols[:, :, :, i, j, :] = xp[:, i:i + h, j:j + w, :]
    return cols.reshape(n * h * w, 9 * c)


def col2im_same3(cols, shape):
    "The adjoint of im2col_same3: each window's values added back onto the pixels they came from."
    n, h, w, c = shape
    cols = cols.reshape(n, h, w, 3, 3, c)
    xp = np.zeros((n, h + 2, w + 2, c), cols.dtype)
    for i in range(3):
        for j in range(3):
            xp[:, i:i + h, j:j + w, :] += cols[:, :, :, i, j, :]
    return xp[:, 1:-1, 1:-1]


def numpy_step(batch):
    "One training step of the network in numpy, on fixed data; its parameters live in the closure."
    x, labels = data(batch)
    p = initial()
    onehot = np.eye(10, dtype=np.float32)[labels]

    def step():
        n = x.shape[0]
        # forward
        c1 = im2col_same3(x)                                            # (N*64, 9)
        z1 = (c1 @ p['W1'].reshape(9, 16) + p['b1']).reshape(n, 8, 8, 16)
        h1 = np.maximum(z1, 0)
        blocks = h1.reshape(n, 4, 2, 4, 2, 16)
        p1 = blocks.max(axis=(2, 4))                                    # (N, 4, 4, 16)
        c2 = im2col_same3(p1)                                           # (N*16, 144)
        z2 = (c2 @ p['W2'].reshape(144, 32) + p['b2']).reshape(n, 512)
        h2 = np.maximum(z2, 0)
        z3 = h2 @ p['W3'] + p['b3']
        h3 = np.maximum(z3, 0)
        logits = h3 @ p['W4'] + p['b4']
        e = np.exp(logits - logits.max(axis=1, keepdims=True))
        probs = e / e.sum(axis=1, keepdims=True)
        # backward (the mean cross-entropy)
        d = (probs - onehot) / n
        g = {'W4': h3.T @ d, 'b4': d.sum(0)}
        d = (d @ p['W4'].T) * (z3 > 0)
        g['W3'], g['b3'] = h2.T @ d, d.sum(0)
        d = (d @ p['W3'].T) * (z2 > 0)                                  # (N, 512) = (N*16, 32)
        d = d.reshape(n * 16, 32)
        g['W2'], g['b2'] = (c2.T @ d).reshape(3, 3, 16, 32), d.sum(0)
        dp1 = col2im_same3(d @ p['W2'].reshape(144, 32).T, p1.shape)    # (N, 4, 4, 16)
        winner = blocks == p1[:, :, None, :, None, :]                    # the max of each 2x2 window
        dh1 = (winner * dp1[:, :, None, :, None, :]).reshape(n, 8, 8, 16)
        d = (dh1 * (z1 > 0)).reshape(n * 64, 16)
        g['W1'], g['b1'] = (c1.T @ d).reshape(3, 3, 1, 16), d.sum(0)
        # update
        for name in p: p[name] -= LR * g[name]
    return step


# ---------------------------------------------------------------- deepscratch, in the TF1 style of chapter 18
def deepscratch_graph(batch):
    "The network as a deepscratch graph: (graph, session, train_step, feed)."
    import deepscratch as tf
    x_value, labels = data(batch)
    graph = tf.Graph()
    with graph.as_default():
        v = {name: tf.Variable(value, name=name) for name, value in initial().items()}
        x = tf.placeholder(tf.float32, [None, 8, 8, 1])
        y = tf.placeholder(tf.int64, [None])
        h1 = tf.nn.relu(tf.nn.bias_add(tf.nn.conv2d(x, v['W1'], strides=[1, 1, 1, 1], padding='SAME'), v['b1']))
        p1 = tf.nn.max_pool(h1, ksize=[1, 2, 2, 1], strides=[1, 2, 2, 1], padding='SAME')
        h2 = tf.nn.relu(tf.nn.bias_add(tf.nn.conv2d(p1, v['W2'], strides=[1, 1, 1, 1], padding='SAME'), v['b2']))
        h3 = tf.nn.relu(tf.matmul(tf.reshape(h2, [-1, 512]), v['W3']) + v['b3'])
        logits = tf.matmul(h3, v['W4']) + v['b4']
        loss = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(labels=y, logits=logits))
        train = tf.train.GradientDescentOptimizer(float(LR)).minimize(loss)
        session = tf.Session()
        session.run(tf.global_variables_initializer())
    return graph, session, train, {x: x_value, y: labels}, v


def deepscratch_step(batch):
    graph, session, train, feed, _ = deepscratch_graph(batch)
    return lambda: session.run(train, feed)


# ---------------------------------------------------------------- peers, when importable
def torch_step(batch):
    try: import torch
    except ImportError: return None
    torch.set_num_threads(1)
    x_value, labels = data(batch)
    p = {k: torch.tensor(v, requires_grad=True) for k, v in initial().items()}
    x = torch.tensor(x_value).permute(0, 3, 1, 2).contiguous()        # torch wants NCHW
    y = torch.tensor(labels)
    w1, w2 = (p[k].detach().permute(3, 2, 0, 1).contiguous().requires_grad_() for k in ('W1', 'W2'))
    params = [w1, p['b1'], w2, p['b2'], p['W3'], p['b3'], p['W4'], p['b4']]
    F = torch.nn.functional

    def step():
        h1 = F.max_pool2d(F.relu(F.conv2d(x, w1, p['b1'], padding=1)), 2)
        h2 = F.relu(F.conv2d(h1, w2, p['b2'], padding=1)).permute(0, 2, 3, 1).reshape(-1, 512)
        logits = F.relu(h2 @ p['W3'] + p['b3']) @ p['W4'] + p['b4']
        loss = F.cross_entropy(logits, y)
        grads = torch.autograd.grad(loss, params)
        with torch.no_grad():
            for q, g in zip(params, grads): q -= float(LR) * g
    return step


def jax_step(batch):
    try:
        import jax
        import jax.numpy as jnp
    except ImportError: return None
    x, labels = data(batch)
    state = {'p': {k: jnp.asarray(v) for k, v in initial().items()}}

    def loss(p, x, labels):
        dn = ('NHWC', 'HWIO', 'NHWC')
        z1 = jax.lax.conv_general_dilated(x, p['W1'], (1, 1), 'SAME', dimension_numbers=dn) + p['b1']
        h1 = jax.lax.reduce_window(jnp.maximum(z1, 0), -jnp.inf, jax.lax.max, (1, 2, 2, 1), (1, 2, 2, 1), 'VALID')
        z2 = jax.lax.conv_general_dilated(h1, p['W2'], (1, 1), 'SAME', dimension_numbers=dn) + p['b2']
        h3 = jnp.maximum(jnp.maximum(z2, 0).reshape(-1, 512) @ p['W3'] + p['b3'], 0)
        logits = h3 @ p['W4'] + p['b4']
        return -jnp.mean(jnp.take_along_axis(jax.nn.log_softmax(logits), labels[:, None], axis=1))

    @jax.jit
    def update(p, x, labels):
        g = jax.grad(loss)(p, x, labels)
        return {k: p[k] - LR * g[k] for k in p}

    x, labels = jnp.asarray(x), jnp.asarray(labels)

    def step():
        state['p'] = jax.block_until_ready(update(state['p'], x, labels))
    return step


# ---------------------------------------------------------------- memory of one conv layer
def conv_memory(batch=256):
    "Peak bytes of conv layer 2 (4x4x16 -> 4x4x32, 3x3 SAME) forward + both gradients: {'deepscratch', 'numpy'}."
    import deepscratch as tf
    from harness import peak_bytes
    rng = np.random.default_rng(2)
    x_value = rng.normal(size=(batch, 4, 4, 16)).astype(np.float32)
    w_value = rng.normal(size=(3, 3, 16, 32)).astype(np.float32)
    g_value = rng.normal(size=(batch, 4, 4, 32)).astype(np.float32)

    def floor():
        cols = im2col_same3(x_value)
        y = cols @ w_value.reshape(144, 32)
        dw = cols.T @ g_value.reshape(-1, 32)
        dx = col2im_same3(g_value.reshape(-1, 32) @ w_value.reshape(144, 32).T, x_value.shape)
        return y, dw, dx

    with tf.Graph().as_default():
        x, w, g = tf.constant(x_value), tf.constant(w_value), tf.constant(g_value)
        y = tf.nn.conv2d(x, w, strides=[1, 1, 1, 1], padding='SAME')
        dx, dw = tf.gradients(tf.reduce_sum(y * g), [x, w])
        with tf.Session() as sess:
            fetch = lambda: sess.run([y, dx, dw])
            got, want = fetch(), floor()
            for a, b in zip(got, (want[0].reshape(batch, 4, 4, 32), want[2], want[1].reshape(3, 3, 16, 32))):
                np.testing.assert_allclose(a, b, rtol=1e-4, atol=1e-3)   # the same numbers, so a fair comparison
            floor()
            return {'deepscratch': peak_bytes(fetch), 'numpy': peak_bytes(floor)}


def check_same_step():
    "The floor and deepscratch compute the same update (else the ratios would compare different work)."
    import deepscratch as tf
    graph, session, train, feed, v = deepscratch_graph(32)
    session.run(train, feed)
    ours = session.run(v)
    step = numpy_step(32)
    cell = step.__closure__
    params = next(c.cell_contents for c in cell if isinstance(c.cell_contents, dict) and 'W1' in c.cell_contents)
    step()
    for name in SHAPES: np.testing.assert_allclose(ours[name], params[name], rtol=1e-4, atol=1e-5, err_msg=name)


# ---------------------------------------------------------------- running
def run(repeats=15, with_ours=True):
    "{batch: {implementation: summary}} of the training step, timed by the harness's interleaved rounds."
    from harness import measure, summarize
    results = {}
    for batch in BATCHES:
        steps = {'deepscratch': deepscratch_step(batch)} if with_ours else {}
        steps['numpy'] = numpy_step(batch)
        for name, make in (('torch', torch_step), ('jax.jit', jax_step)):
            peer = make(batch)
            if peer is not None: steps[name] = peer
        results[batch] = summarize(measure(steps, repeats, block_seconds=0.05))
    return results


def peer_rows(python, repeats):
    "The peer rows (with their own numpy floor, so the ratios are paired in that process), or {} if that fails."
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / 'cnn.json'
        env = {**os.environ, 'PYTHONPATH': f'{HERE.parent}{os.pathsep}{HERE}'}
        done = subprocess.run([python, __file__, '--repeats', str(repeats), '--peer-json', str(out)], env=env)
        if done.returncode != 0 or not out.exists():
            print(f'cnn: the peer Python {python} failed (exit {done.returncode}); its rows are skipped', file=sys.stderr)
            return {}
        return {int(b): rows for b, rows in json.loads(out.read_text()).items()}


def run_all(repeats=15, peer_python=None):
    "Everything the CNN section of RESULTS.md shows."
    check_same_step()
    results = {'steps': run(repeats), 'memory': conv_memory()}
    for batch, rows in (peer_rows(peer_python, repeats) if peer_python else {}).items():
        for name, row in rows.items():
            if name not in results['steps'][batch]: results['steps'][batch][name] = {**row, 'process': peer_python}
    return results


def markdown(results):
    "The CNN section of RESULTS.md."
    if not results: return ''
    lines = ['', '## CNN: the digits CNN training step (issue 10)', '',
             "Chapter 18's network without dropout (conv 3x3x16, max pool, conv 3x3x32, dense 128, dense 10; float32, "
             'gradient descent), one step = forward + backward + update, CPU seconds per step (median of the rounds) '
             'and the ratio to the hand-written numpy im2col floor, paired round by round (median [min, max]). '
             'Peer rows from another Python are paired with that process\'s own numpy floor.', '',
             '| batch | implementation | ms / step | ratio to numpy | target |', '|---|---|---|---|---|']
    for batch, rows in results['steps'].items():
        for name, row in rows.items():
            target = f'<= {TARGETS[int(batch)]}x' if name == 'deepscratch' else ''
            lines.append(f"| {batch} | {name} | {row['seconds'] * 1000:.3f} | {row['ratio']:.2f} "
                         f"[{row['ratio_min']:.2f}, {row['ratio_max']:.2f}] | {target} |")
    mem = results['memory']
    lines += ['', f"Peak memory of conv layer 2 forward + both gradients at batch 256 (tracemalloc): deepscratch "
              f"{mem['deepscratch'] / 1e6:.2f} MB, numpy floor {mem['numpy'] / 1e6:.2f} MB, ratio "
              f"{mem['deepscratch'] / mem['numpy']:.2f} (target <= {MEMORY_TARGET}x).", '']
    return '\n'.join(lines)


def main():
    import argparse
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--repeats', type=int, default=15)
    parser.add_argument('--peer-python')
    parser.add_argument('--peer-json', help=argparse.SUPPRESS)    # the peer process: peers and the floor only
    args = parser.parse_args()
    sys.path[:0] = [str(HERE.parent), str(HERE)]
    if args.peer_json:
        Path(args.peer_json).write_text(json.dumps(run(args.repeats, with_ours=False)))
        return
    print(markdown(run_all(args.repeats, args.peer_python)))


if __name__ == '__main__':
    bench = {'OMP_NUM_THREADS': '1', 'OPENBLAS_NUM_THREADS': '1', 'MKL_NUM_THREADS': '1'}
    if any(os.environ.get(k) != v for k, v in bench.items()):   # one BLAS thread, set before numpy loads its BLAS
        os.execve(sys.executable, [sys.executable, *sys.argv], {**os.environ, **bench})
    main()
