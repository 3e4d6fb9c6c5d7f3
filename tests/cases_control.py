"""Property strategies for chapter 23 (control flow, dynamic shapes, indexing); imported by test_properties.py.

Each strategy draws a small graph of one operation type and says what numpy computes for it: the forward value is
compared with numpy, and for differentiable types the gradient and the second-order gradient with finite differences.
The gradient helpers (StridedSliceGrad, GatherGrad, ...) are linear in their first input and use the second only for
its shape; numpy's side for them is the adjoint of the forward numpy function, computed entry by entry.
"""
from __future__ import annotations

import numpy as np
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import deepscratch as tf
from deepscratch.control_flow import (GatherGrad, GatherNdGrad, PadGrad, StridedSliceGrad, TileGrad, Range, Pad,
                                      _source_positions)
from test_properties import ANY, NONEMPTY_RANK, NOT_FUNCTIONS, SHAPES, Case, arrays, strategy

SMALL = hnp.array_shapes(min_dims=1, max_dims=3, min_side=1, max_side=3)

def np_adjoint(forward, g, x):
    "The adjoint of the linear numpy function `forward` at `g`, for inputs of the shape of `x`: entry k is sum(g * forward(e_k))."
    out = np.zeros_like(x)
    for k in np.ndindex(x.shape):
        unit = np.zeros_like(x)
        unit[k] = 1
        out[k] = np.sum(g * forward(unit))
    return out

@st.composite
def slice_keys(draw, shape):
    "A Python index for an array of `shape`: slices (any start, stop, non-zero step), ints in range, maybe None and `...`."
    key, axis = [], 0
    ellipsis_at = draw(st.integers(-1, len(shape)))   # -1: no ellipsis
    for i, d in enumerate(shape):
        if i == ellipsis_at: key.append(Ellipsis); break
        if draw(st.booleans()) and draw(st.booleans()): key.append(None)
        if draw(st.integers(0, 3)) == 0: key.append(draw(st.integers(-d, d - 1)))
        else:
            bound = st.none() | st.integers(-d - 1, d + 1)
            key.append(slice(draw(bound), draw(bound), draw(st.none() | st.sampled_from([-2, -1, 1, 2]))))
    if draw(st.booleans()): key.append(None)
    return tuple(key)

@strategy('StridedSlice')
def strided_slice_case(draw, op_type):
    x = draw(arrays(draw(SMALL)))
    key = draw(slice_keys(x.shape))
    return Case([x], lambda x: x[key], lambda x: x[key], about=f'key={key}')

@strategy('StridedSliceGrad')
def strided_slice_grad_case(draw, op_type):
    x = draw(arrays(draw(SMALL)))
    key = draw(slice_keys(x.shape))
    g = draw(arrays(x[key].shape))
    return Case([g, x], lambda g, x: StridedSliceGrad(g, x, x[key]), lambda g, x: np_adjoint(lambda u: u[key], g, x),
                about=f'key={key}')

@strategy('Slice')
def slice_case(draw, op_type):
    x = draw(arrays(draw(SMALL)))
    begin = [draw(st.integers(0, d - 1)) for d in x.shape]
    size = [draw(st.sampled_from([-1, *range(0, d - b + 1)])) for b, d in zip(begin, x.shape)]
    key = tuple(slice(b, None if s == -1 else b + s) for b, s in zip(begin, size))
    return Case([x], lambda x: tf.slice(x, begin, size), lambda x: x[key], about=f'begin={begin}, size={size}')

@st.composite
def gather_args(draw):
    params = draw(arrays(draw(SMALL)))
    axis = draw(st.integers(-params.ndim, params.ndim - 1))
    indices = draw(hnp.arrays(np.int32, draw(hnp.array_shapes(min_dims=0, max_dims=2, max_side=3)),
                              elements=st.integers(0, params.shape[axis] - 1)))
    return params, indices, axis

@strategy('GatherV2')
def gather_case(draw, op_type):
    params, indices, axis = draw(gather_args())
    return Case([params, indices], lambda p, i: tf.gather(p, i, axis=axis), lambda p, i: np.take(p, i, axis=axis), about=f'axis={axis}')

@strategy('GatherGrad')
def gather_grad_case(draw, op_type):
    params, indices, axis = draw(gather_args())
    g = draw(arrays(np.take(params, indices, axis=axis).shape))
    return Case([g, indices, params], lambda g, i, p: GatherGrad(g, i, p, axis),
                lambda g, i, p: np_adjoint(lambda u: np.take(u, i, axis=axis), g, p), about=f'axis={axis}')

@st.composite
def gather_nd_args(draw):
    params = draw(arrays(draw(SMALL)))
    depth = draw(st.integers(1, params.ndim))
    lead = draw(hnp.array_shapes(min_dims=0, max_dims=2, max_side=3))
    columns = [draw(hnp.arrays(np.int32, lead, elements=st.integers(0, params.shape[k] - 1))) for k in range(depth)]
    return params, np.stack(columns, axis=-1)

def np_gather_nd(p, i): return p[tuple(np.moveaxis(i, -1, 0))]

@strategy('GatherNd')
def gather_nd_case(draw, op_type):
    params, indices = draw(gather_nd_args())
    return Case([params, indices], tf.gather_nd, np_gather_nd)

@strategy('GatherNdGrad')
def gather_nd_grad_case(draw, op_type):
    params, indices = draw(gather_nd_args())
    g = draw(arrays(np_gather_nd(params, indices).shape))
    return Case([g, indices, params], GatherNdGrad, lambda g, i, p: np_adjoint(lambda u: np_gather_nd(u, i), g, p))

@strategy('Select')
def select_case(draw, op_type):
    shape = draw(SHAPES)
    rows = len(shape) > 1 and draw(st.booleans())   # a vector condition picks rows
    c = draw(hnp.arrays(np.bool_, shape[:1] if rows else shape))
    x, y = draw(arrays(shape)), draw(arrays(shape))
    expand = (lambda c, x: c.reshape((-1,) + (1,) * (x.ndim - 1))) if rows else (lambda c, x: c)
    return Case([c, x, y], lambda c, x, y: tf.where(c, x, y), lambda c, x, y: np.where(expand(c, x), x, y))

@strategy('Pack')
def pack_case(draw, op_type):
    shape = draw(SHAPES)
    values = [draw(arrays(shape)) for _ in range(draw(st.integers(1, 3)))]
    axis = draw(st.integers(-len(shape) - 1, len(shape)))
    return Case(values, lambda *xs: tf.stack(list(xs), axis=axis), lambda *xs: np.stack(xs, axis=axis), about=f'axis={axis}')

@strategy('Tile')
def tile_case(draw, op_type):
    x = draw(arrays(draw(SHAPES)))
    multiples = [draw(st.integers(1, 2)) for _ in x.shape]
    return Case([x], lambda x: tf.tile(x, multiples), lambda x: np.tile(x, multiples), about=f'multiples={multiples}')

@strategy('TileGrad')
def tile_grad_case(draw, op_type):
    x = draw(arrays(draw(SHAPES)))
    multiples = [draw(st.integers(1, 2)) for _ in x.shape]
    g = draw(arrays(np.tile(x, multiples).shape))
    return Case([g, x], lambda g, x: TileGrad(g, x, multiples), lambda g, x: np_adjoint(lambda u: np.tile(u, multiples), g, x),
                about=f'multiples={multiples}')

@st.composite
def pad_args(draw, modes):
    x = draw(arrays(draw(SMALL)))
    mode = draw(st.sampled_from(modes))
    most = {'CONSTANT': 2, 'REFLECT': None, 'SYMMETRIC': None}[mode]
    def amount(d): return draw(st.integers(0, 2 if mode == 'CONSTANT' else (d - 1 if mode == 'REFLECT' else d)))
    paddings = [[amount(d), amount(d)] for d in x.shape]
    return x, paddings, mode

def np_pad(x, paddings, mode, value=0.0):
    return np.pad(x, paddings, constant_values=value) if mode == 'CONSTANT' else np.pad(x, paddings, mode=mode.lower())

@strategy('Pad', 'MirrorPad')
def pad_case(draw, op_type):
    x, paddings, mode = draw(pad_args(['CONSTANT'] if op_type == 'Pad' else ['REFLECT', 'SYMMETRIC']))
    value = draw(st.sampled_from([0.0, 1.5]))
    return Case([x], lambda x: tf.pad(x, paddings, mode, constant_values=value), lambda x: np_pad(x, paddings, mode, value),
                about=f'paddings={paddings}, mode={mode}')

@strategy('PadGrad')
def pad_grad_case(draw, op_type):
    x, paddings, mode = draw(pad_args(['CONSTANT', 'REFLECT', 'SYMMETRIC']))
    g = draw(arrays(np_pad(x, paddings, mode).shape))
    return Case([g, x], lambda g, x: PadGrad(g, x, paddings, mode), lambda g, x: np_adjoint(lambda u: np_pad(u, paddings, mode), g, x),
                about=f'paddings={paddings}, mode={mode}')

@strategy('ReverseV2')
def reverse_case(draw, op_type):
    x = draw(arrays(draw(SMALL)))
    axis = draw(st.lists(st.integers(0, x.ndim - 1), unique=True))
    return Case([x], lambda x: tf.reverse(x, axis), lambda x: np.flip(x, axis=tuple(axis)), about=f'axis={axis}')

@strategy('Shape', 'Size', 'Rank')
def shape_case(draw, op_type):
    build, numpy = {'Shape': (tf.shape, lambda x: np.array(x.shape, np.int32)), 'Size': (tf.size, lambda x: np.array(x.size, np.int32)),
                    'Rank': (tf.rank, lambda x: np.array(x.ndim, np.int32))}[op_type]
    return Case([draw(arrays(draw(SHAPES)))], build, numpy)

@strategy('Where')
def where_case(draw, op_type):
    return Case([draw(hnp.arrays(np.bool_, draw(SHAPES)))], tf.where, lambda c: np.argwhere(c).astype(np.int64))

@strategy('Range')
def range_case(draw, op_type):
    start, limit = draw(st.integers(-5, 5)), draw(st.integers(-5, 5))
    delta = draw(st.sampled_from([-2, -1, 1, 3]))
    values = [np.array(v, np.int32) for v in (start, limit, delta)]
    return Case(values, lambda a, b, c: tf.range(a, b, c), lambda a, b, c: np.arange(a, b, c).astype(np.int32))

def np_body(y, w): return np.tanh(y * w) + 0.5 * y

@strategy('Output')
def output_case(draw, op_type):
    "An output of a cond (on a fed boolean) or of a while loop (a fixed number of steps fed as an int)."
    shape = draw(hnp.array_shapes(min_dims=0, max_dims=1, max_side=2))
    if draw(st.booleans()):
        p = np.array(draw(st.booleans()))
        x, y = draw(arrays(shape)), draw(arrays(shape))
        def build(p, x, y): return tf.cond(p, lambda: x * y + tf.tanh(x), lambda: 0.5 * tf.exp(y) - x)
        return Case([p, x, y], build, lambda p, x, y: x * y + np.tanh(x) if p else 0.5 * np.exp(y) - x, about='cond')
    n = np.array(draw(st.integers(0, 2)), np.int32)
    x, w = draw(arrays(shape)), draw(arrays(()))
    def build(n, x, w):
        return tf.while_loop(lambda i, y: i < n, lambda i, y: (i + 1, tf.tanh(y * w) + 0.5 * y), [0, x])[1]
    def numpy(n, x, w):
        for _ in range(int(n)): x = np_body(x, w)
        return x
    return Case([n, x, w], build, numpy, about=f'while_loop, {int(n)} steps')

NOT_FUNCTIONS.update({
    'If': "a tuple-valued helper: its Output nodes are tested (strategy 'Output')",
    'While': "a tuple-valued helper: its Output nodes are tested (strategy 'Output')",
    'PartitionedCall': "a tuple-valued helper of the while loop's gradient (covered by second-order gradients of 'Output')",
    'ExclusiveCheck': "has no value; fails a tf.case run with exclusive=True when two preds are true (tests/test_control.py)",
})
