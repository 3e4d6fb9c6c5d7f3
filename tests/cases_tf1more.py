"""Property-test strategies for chapter 21's later operations: top_k and in_top_k, tf.Print, and the quotients and remainders of the old names."""
import numpy as np
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import deepscratch as tf
from deepscratch.training_programs import (FloorDiv, FloorMod, InTopK, PrintValues, PutAlongLastAxis, TakeAlongLastAxis,
                                           TopKIndices, TruncateDiv, TruncateMod)
from test_properties import NONEMPTY_RANK, Case, arrays, strategy, tenths, two_shapes


def np_top_k_indices(x, k):
    "The indices of the k largest entries of each row, largest first, the lower index first among ties."
    return np.array([sorted(range(row.size), key=lambda i: (-row[i], i))[:k] for row in x.reshape(-1, x.shape[-1])],
                    np.int32).reshape(x.shape[:-1] + (k,))


@strategy('TopKIndices')
def top_k_indices_case(draw, op_type):
    x = draw(arrays(draw(NONEMPTY_RANK), st.integers(-2, 2).map(float)))   # small integers: ties are common
    k = draw(st.integers(0, x.shape[-1]))
    return Case([x], lambda x: tf.nn.top_k(x, k).indices, lambda x: np_top_k_indices(x, k), about=f'k={k}')


def _distinct_indices(draw, shape):
    "Indices of `shape[-1]`-long rows, each row k distinct positions (k drawn), and the shape of the rows they index."
    k = draw(st.integers(0, shape[-1]))
    order = draw(tenths(shape)).argsort(axis=-1)   # a random permutation of each row
    return order[..., :k].astype(np.int32), k


@strategy('TakeAlongLastAxis')
def take_along_case(draw, op_type):
    x = draw(arrays(draw(NONEMPTY_RANK)))
    indices, k = _distinct_indices(draw, x.shape)
    return Case([x, indices], TakeAlongLastAxis, lambda x, i: np.take_along_axis(x, i.astype(int), axis=-1))


@strategy('PutAlongLastAxis')
def put_along_case(draw, op_type):
    like = draw(arrays(draw(NONEMPTY_RANK)))
    indices, k = _distinct_indices(draw, like.shape)
    updates = draw(arrays(indices.shape))
    def numpy(u, i, like):
        out = np.zeros_like(like)
        np.put_along_axis(out, i.astype(int), u, axis=-1)
        return out
    return Case([updates, indices, like], PutAlongLastAxis, numpy, wrt=(0,))


@strategy('InTopK')
def in_top_k_case(draw, op_type):
    batch, classes = draw(st.integers(1, 4)), draw(st.integers(1, 4))
    scores = draw(arrays((batch, classes), st.integers(-2, 2).map(float)))
    targets = draw(hnp.arrays(np.int32, (batch,), elements=st.integers(0, classes - 1)))
    k = draw(st.integers(0, classes))
    def numpy(p, t):
        return np.array([(row > row[c]).sum() < k for row, c in zip(p, t)], bool)
    return Case([scores, targets], lambda p, t: tf.nn.in_top_k(p, t, k), numpy, about=f'k={k}')


@strategy('Print')
def print_case(draw, op_type):
    sx, sy = draw(two_shapes())
    return Case([draw(arrays(sx)), draw(arrays(sy))], lambda x, y: tf.Print(x, [y], 'property test: ', first_n=1),
                lambda x, y: x)


DIVISIONS = {'FloorDiv': (FloorDiv, np.floor_divide), 'TruncateDiv': (TruncateDiv, lambda x, y: np.trunc(x / y)),
             'FloorMod': (FloorMod, np.mod), 'TruncateMod': (TruncateMod, np.fmod)}
AWAY_FROM_MULTIPLES = st.sampled_from([-1.5, -0.7, 0.7, 1.5])   # with x = 0.05 + a multiple of 0.1, x / y is never near an integer


@strategy(*DIVISIONS)
def division_case(draw, op_type):
    build, numpy = DIVISIONS[op_type]
    sx, sy = draw(two_shapes())
    if op_type.endswith('Div') and draw(st.booleans()):   # the quotients (forward only) on integers, with no zero divisor
        x = draw(hnp.arrays(np.int32, sx, elements=st.integers(-9, 9)))
        y = draw(hnp.arrays(np.int32, sy, elements=st.integers(-4, 4).filter(bool)))
        if op_type == 'TruncateDiv': numpy = lambda x, y: (np.sign(x) * np.sign(y) * (np.abs(x) // np.abs(y))).astype(np.int32)
        return Case([x, y], build, numpy)
    x = draw(tenths(sx, offset=0.05))
    y = draw(arrays(sy, AWAY_FROM_MULTIPLES))
    return Case([x, y], build, numpy)
