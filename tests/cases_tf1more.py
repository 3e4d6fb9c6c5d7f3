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


from deepscratch.training_programs import (Cos, Diag, DiagPart, MatrixDeterminant, MatrixInverse, Sin, UniqueIndices,
                                           UniqueValues)
from test_properties import ANY

SMALL_SHAPES = hnp.array_shapes(min_dims=1, max_dims=2, min_side=1, max_side=3)


@strategy('Sin', 'Cos')
def trigonometric_case(draw, op_type):
    x = draw(arrays(draw(hnp.array_shapes(min_dims=0, max_dims=3, max_side=3)), ANY))
    return Case([x], Sin if op_type == 'Sin' else Cos, np.sin if op_type == 'Sin' else np.cos)


@strategy('Diag')
def diag_case(draw, op_type):
    d = draw(arrays(draw(SMALL_SHAPES)))
    return Case([d], tf.diag, lambda d: np.diag(d.reshape(-1)).reshape(d.shape * 2))


@strategy('DiagPart')
def diag_part_case(draw, op_type):
    s = draw(SMALL_SHAPES)
    x = draw(arrays(s + s))
    n = int(np.prod(s))
    return Case([x], tf.diag_part, lambda x: x.reshape(n, n).diagonal().reshape(s))


def well_conditioned(draw):
    "A batch (maybe empty of batch axes) of square matrices 2I + entries in [-0.4, 0.4]: far from singular."
    n = draw(st.integers(1, 3))
    batch = draw(hnp.array_shapes(min_dims=0, max_dims=1, min_side=1, max_side=2))
    return draw(arrays(batch + (n, n), st.floats(-0.4, 0.4))) + 2 * np.eye(n)


@strategy('MatrixInverse')
def matrix_inverse_case(draw, op_type):
    adjoint = draw(st.booleans())
    return Case([well_conditioned(draw)], lambda a: tf.matrix_inverse(a, adjoint=adjoint),
                lambda a: np.linalg.inv(np.swapaxes(a, -1, -2) if adjoint else a), about=f'adjoint={adjoint}')


@strategy('MatrixDeterminant')
def matrix_determinant_case(draw, op_type):
    return Case([well_conditioned(draw)], tf.matrix_determinant, np.linalg.det)


def np_unique(x):
    "The distinct entries in order of appearance, and the index of each entry's value among them."
    y = list(dict.fromkeys(x.tolist()))
    return np.array(y, x.dtype), np.array([y.index(v) for v in x.tolist()], np.int32)


@strategy('UniqueValues', 'UniqueIndices')
def unique_case(draw, op_type):
    x = draw(hnp.arrays(np.float64, draw(st.integers(0, 6)), elements=st.integers(-2, 2).map(float)))
    part = 0 if op_type == 'UniqueValues' else 1
    return Case([x], lambda x: tf.unique(x)[part], lambda x: np_unique(x)[part])


@strategy('RandomShuffle')
def random_shuffle_case(draw, op_type):
    x = draw(arrays(draw(hnp.array_shapes(min_dims=0, max_dims=3, max_side=4))))
    def numpy(x):   # the same draw: a generator started from the op's seeds, as chapter 11's random operations do
        with tf.Graph().as_default(): seeds = tf.random_shuffle(tf.constant(x), seed=5).seeds
        if x.ndim == 0: return x
        return x[np.random.Generator(np.random.PCG64(np.random.SeedSequence(seeds))).permutation(len(x))]
    return Case([x], lambda x: tf.random_shuffle(x, seed=5), numpy, fresh=True)
