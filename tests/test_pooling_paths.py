"""Max pooling's fast paths (chapter 18): where no window reaches into padding the maximum is taken as elementwise maxima
of strided slices, and where the windows tile the images the gradient is routed without the windows' general view. Both
must give the general way's bits exactly, ties (the first maximum in row-major order takes the gradient, as TensorFlow's
CPU kernel does), NaNs and integers included."""
import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

import deepscratch as tf
from deepscratch import pooling
from deepscratch.pooling import MaxPool, MaxPoolGrad


@st.composite
def pools(draw):
    k = (draw(st.integers(1, 3)), draw(st.integers(1, 3)))
    s = k if draw(st.booleans()) else (draw(st.integers(1, 3)), draw(st.integers(1, 3)))   # tiling half the time
    h, w = k[0] * draw(st.integers(1, 3)) + draw(st.sampled_from([0, 0, 1, 2])), k[1] * draw(st.integers(1, 3)) + draw(st.sampled_from([0, 0, 1, 2]))
    padding = draw(st.sampled_from(['SAME', 'VALID']))
    dtype = draw(st.sampled_from([np.float32, np.float64, np.int32]))
    n, c = draw(st.integers(1, 3)), draw(st.integers(1, 3))
    x = np.asarray(draw(st.lists(st.integers(-2, 2), min_size=n * h * w * c, max_size=n * h * w * c)), dtype).reshape(n, h, w, c)
    if dtype != np.int32 and draw(st.integers(0, 4)) == 0: x.flat[draw(st.integers(0, x.size - 1))] = np.nan
    return x, k, s, padding

def general(f):
    "What `f()` gives with the fast paths turned off."
    positions, pooling._positions = pooling._positions, lambda op, shape: None
    try: return f()
    finally: pooling._positions = positions

@settings(max_examples=150, deadline=None, database=None)
@given(case=pools(), seed=st.integers(0, 2**16))
def test_fast_max_pooling_gives_the_general_ways_bits(case, seed):
    x, k, s, padding = case
    attrs = dict(ksize=(1, *k, 1), strides=(1, *s, 1), padding=padding)
    with tf.Graph().as_default():
        xn = tf.placeholder(tf.as_dtype(x.dtype), [None, *x.shape[1:]])
        pool = MaxPool(xn, **attrs)
        g = np.random.default_rng(seed).integers(-3, 4, (x.shape[0], *pool.shape.as_list()[1:])).astype(
            np.float32 if x.dtype == np.int32 else x.dtype)
        grad = MaxPoolGrad(tf.cast(xn, tf.as_dtype(g.dtype)) if x.dtype == np.int32 else xn,
                           tf.placeholder(tf.as_dtype(g.dtype), g.shape), **attrs)
    xg = x.astype(g.dtype)
    fast, slow = pool.compute(x), general(lambda: pool.compute(x))
    assert fast.dtype == slow.dtype and fast.tobytes() == slow.tobytes()
    fast, slow = grad.compute(xg, g), general(lambda: grad.compute(xg, g))
    assert fast.dtype == slow.dtype and fast.tobytes() == slow.tobytes()   # signed zeros too
    if padding == 'VALID' and not np.isnan(xg).any():   # the tie rule, by loops: the first maximum, row by row
        expected = np.zeros_like(xg)
        for a, i, j, ch in np.ndindex(g.shape):
            window = xg[a, i * s[0]:i * s[0] + k[0], j * s[1]:j * s[1] + k[1], ch]
            p, q = np.unravel_index(np.argmax(window), window.shape)
            expected[a, i * s[0] + p, j * s[1] + q, ch] += g[a, i, j, ch]
        np.testing.assert_array_equal(fast, expected)

def test_a_tiled_window_of_ties_gives_its_gradient_to_the_top_left_one():
    x = np.zeros((1, 4, 4, 1), np.float32); x[0, 2:, 2:, 0] = [[1, 5], [5, 5]]   # window (1, 1): three fives
    with tf.Graph().as_default():
        xn = tf.placeholder(tf.float32, [1, 4, 4, 1])
        weights = np.array([3., 4., 6., 8.], np.float32).reshape(1, 2, 2, 1)
        (dx,) = tf.gradients(tf.reduce_sum(tf.nn.max_pool(xn, [1, 2, 2, 1], [1, 2, 2, 1], 'VALID') * weights), [xn])
        got = tf.Session().run(dx, {xn: x})[0, :, :, 0]
    np.testing.assert_array_equal(got, [[3, 0, 4, 0], [0, 0, 0, 0], [6, 0, 0, 8], [0, 0, 0, 0]])
