"""Property-test strategies for the operations of chapter 20 (variable scopes and layers)."""
import numpy as np
from hypothesis import strategies as st

import deepscratch as tf
from deepscratch.initial_values import set_random_seed
from test_properties import Case, generator, strategy


def np_orthogonal(rng, shape):
    "A random orthogonal matrix of `shape` flattened to two dimensions, written out from the QR recipe."
    rows, cols = int(np.prod(shape[:-1])), shape[-1]
    q, r = np.linalg.qr(rng.standard_normal((max(rows, cols), min(rows, cols))))
    q = q * np.sign(np.diag(r))
    return (q.T if rows < cols else q).reshape(shape)

@strategy('RandomOrthogonal')
def random_orthogonal_case(draw, op_type):
    shape = draw(st.lists(st.integers(1, 4), min_size=2, max_size=3))
    graph_seed, op_seed = draw(st.integers(0, 2**31)), draw(st.integers(0, 2**31))
    def graph(p):   # the draw plus a fed integer scalar, through which no gradient can flow
        set_random_seed(graph_seed)
        return tf.orthogonal_initializer(seed=op_seed)(shape, dtype=tf.float64) + tf.cast(p, tf.float64)
    def numpy(p): return np_orthogonal(generator(graph_seed, op_seed), shape) + p
    return Case([np.zeros((), np.int32)], graph, numpy, fresh=True, about=f'shape={shape}, seeds=({graph_seed}, {op_seed})')
