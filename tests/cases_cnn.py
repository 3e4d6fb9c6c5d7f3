"""Property strategies for the operations of chapters 17-19 (convolution, pooling, regularization): random batch, size,
channels, kernel, stride, dilation and padding; forward values against plain loops, gradients against finite differences."""

from __future__ import annotations

import numpy as np
from hypothesis import assume, strategies as st

from test_properties import ANY, Case, arrays, generator, strategy, tenths
import deepscratch as tf
from deepscratch.convolution import (BiasAddGrad, Conv2D, Conv2DBackpropFilter, Conv2DBackpropInput, window_size)
from deepscratch.pooling import AvgPoolGrad, MaxPoolGrad, MaxPoolGradGrad
from deepscratch.regularization import DropoutMask
from deepscratch.initial_values import set_random_seed


def loop_conv(x, w, s, d, padding):
    "The convolution as four nested loops over output positions, with a sum over the kernel: the definition."
    n, h, wd, c = x.shape
    kh, kw, _, oc = w.shape
    oh, (t, b) = window_size(h, kh, s[0], d[0], padding)
    ow, (l, r) = window_size(wd, kw, s[1], d[1], padding)
    xp = np.pad(x, ((0, 0), (t, b), (l, r), (0, 0)))
    out = np.zeros((n, oh, ow, oc))
    for i in range(oh):
        for j in range(ow):
            for p in range(kh):
                for q in range(kw):
                    out[:, i, j, :] += xp[:, i * s[0] + p * d[0], j * s[1] + q * d[1], :] @ w[p, q]
    return out

def loop_pool(x, k, s, padding, kind):
    "Pooling as loops over output positions; a window covers only real elements (padding never counts)."
    n, h, w, c = x.shape
    oh, (t, _) = window_size(h, k[0], s[0], 1, padding)
    ow, (l, _) = window_size(w, k[1], s[1], 1, padding)
    out = np.zeros((n, oh, ow, c))
    for i in range(oh):
        for j in range(ow):
            r0, c0 = i * s[0] - t, j * s[1] - l
            win = x[:, max(r0, 0):r0 + k[0], max(c0, 0):c0 + k[1], :]
            out[:, i, j, :] = win.max(axis=(1, 2)) if kind == 'max' else win.mean(axis=(1, 2))
    return out

def adjoint(f, x_shape, g):
    "d sum(g * f(x)) / dx for a linear f, entry by entry."
    out = np.zeros(x_shape)
    for k in np.ndindex(x_shape):
        unit = np.zeros(x_shape); unit[k] = 1
        out[k] = np.sum(g * f(unit))
    return out

@st.composite
def conv_setup(draw):
    n, c, oc = draw(st.integers(1, 2)), draw(st.integers(1, 2)), draw(st.integers(1, 2))
    kh, kw = draw(st.integers(1, 3)), draw(st.integers(1, 3))
    s = (draw(st.integers(1, 3)), draw(st.integers(1, 3)))
    d = (draw(st.integers(1, 2)), draw(st.integers(1, 2)))
    padding = draw(st.sampled_from(['SAME', 'VALID']))
    h, w = draw(st.integers(1, 5)), draw(st.integers(1, 5))
    if padding == 'VALID': assume(h >= (kh - 1) * d[0] + 1 and w >= (kw - 1) * d[1] + 1)
    return (n, h, w, c), (kh, kw, c, oc), s, d, padding

def attrs(s, d, padding): return dict(strides=(1, *s, 1), padding=padding, dilations=(1, *d, 1))

@strategy('Conv2D')
def conv2d_case(draw, op_type):
    xs, ws, s, d, padding = draw(conv_setup())
    return Case([draw(arrays(xs)), draw(arrays(ws))],
                lambda x, w: tf.nn.conv2d(x, w, [1, *s, 1], padding, dilations=[1, *d, 1]),
                lambda x, w: loop_conv(x, w, s, d, padding), about=f'strides={s}, dilations={d}, padding={padding}')

@strategy('Conv2DBackpropInput')
def conv2d_backprop_input_case(draw, op_type):
    xs, ws, s, d, padding = draw(conv_setup())
    x, w = draw(arrays(xs)), draw(arrays(ws))
    g = draw(arrays(loop_conv(x, w, s, d, padding).shape))
    return Case([g, w, x], lambda g, w, x: Conv2DBackpropInput(g, w, like=x, **attrs(s, d, padding)),
                lambda g, w, x: adjoint(lambda u: loop_conv(u, w, s, d, padding), x.shape, g),
                about=f'strides={s}, dilations={d}, padding={padding}')

@strategy('Conv2DBackpropFilter')
def conv2d_backprop_filter_case(draw, op_type):
    xs, ws, s, d, padding = draw(conv_setup())
    x, w = draw(arrays(xs)), draw(arrays(ws))
    g = draw(arrays(loop_conv(x, w, s, d, padding).shape))
    return Case([x, g, w], lambda x, g, w: Conv2DBackpropFilter(x, g, like=w, **attrs(s, d, padding)),
                lambda x, g, w: adjoint(lambda u: loop_conv(x, u, s, d, padding), w.shape, g),
                about=f'strides={s}, dilations={d}, padding={padding}')

@strategy('BiasAdd')
def bias_add_case(draw, op_type):
    shape = tuple(draw(st.lists(st.integers(1, 3), min_size=2, max_size=4)))
    return Case([draw(arrays(shape)), draw(arrays(shape[-1:]))], tf.nn.bias_add, lambda v, b: v + b)

@strategy('BiasAddGrad')
def bias_add_grad_case(draw, op_type):
    shape = tuple(draw(st.lists(st.integers(1, 3), min_size=2, max_size=4)))
    return Case([draw(arrays(shape))], BiasAddGrad, lambda g: g.reshape(-1, shape[-1]).sum(axis=0))

@st.composite
def pool_setup(draw):
    n, c = draw(st.integers(1, 2)), draw(st.integers(1, 2))
    k = (draw(st.integers(1, 3)), draw(st.integers(1, 3)))
    s = (draw(st.integers(1, 3)), draw(st.integers(1, 3)))
    padding = draw(st.sampled_from(['SAME', 'VALID']))
    h, w = draw(st.integers(1, 4)), draw(st.integers(1, 4))   # at most 64 distinct tenths
    if padding == 'VALID': assume(h >= k[0] and w >= k[1])
    return (n, h, w, c), k, s, padding

def pool_attrs(k, s, padding): return dict(ksize=(1, *k, 1), strides=(1, *s, 1), padding=padding)

@strategy('MaxPool', 'AvgPool')
def pool_case(draw, op_type):
    xs, k, s, padding = draw(pool_setup())
    kind, build = ('max', tf.nn.max_pool) if op_type == 'MaxPool' else ('avg', tf.nn.avg_pool)
    x = draw(tenths(xs)) if kind == 'max' else draw(arrays(xs))   # distinct values: no tie near a maximum
    return Case([x], lambda x: build(x, [1, *k, 1], [1, *s, 1], padding), lambda x: loop_pool(x, k, s, padding, kind),
                about=f'ksize={k}, strides={s}, padding={padding}')

@strategy('MaxPoolGrad', 'MaxPoolGradGrad', 'AvgPoolGrad')
def pool_grad_case(draw, op_type):
    xs, k, s, padding = draw(pool_setup())
    x = draw(tenths(xs))
    pooled = loop_pool(x, k, s, padding, 'max').shape
    if op_type == 'MaxPoolGrad':
        g = draw(arrays(pooled))
        # linear in g; the maximum's position, and so the value, does not change with x near distinct values
        return Case([x, g], lambda x, g: MaxPoolGrad(x, g, **pool_attrs(k, s, padding)),
                    lambda x, g: adjoint(lambda u: _gather(x, u, k, s, padding), x.shape, g))
    if op_type == 'MaxPoolGradGrad':
        h = draw(arrays(xs))
        return Case([x, h], lambda x, h: MaxPoolGradGrad(x, h, **pool_attrs(k, s, padding)),
                    lambda x, h: _gather(x, h, k, s, padding))
    g = draw(arrays(pooled))
    return Case([g, x], lambda g, x: AvgPoolGrad(g, x, **pool_attrs(k, s, padding)),
                lambda g, x: adjoint(lambda u: loop_pool(u, k, s, padding, 'avg'), x.shape, g))

def _gather(x, h, k, s, padding):
    "For each window of x, h at the position of x's maximum (loops)."
    n, hh, w, c = x.shape
    oh, (t, _) = window_size(hh, k[0], s[0], 1, padding)
    ow, (l, _) = window_size(w, k[1], s[1], 1, padding)
    out = np.zeros((n, oh, ow, c))
    for a in range(n):
        for i in range(oh):
            for j in range(ow):
                for ch in range(c):
                    r0, c0 = max(i * s[0] - t, 0), max(j * s[1] - l, 0)
                    win = x[a, r0:i * s[0] - t + k[0], c0:j * s[1] - l + k[1], ch]
                    p, q = np.unravel_index(np.argmax(win), win.shape)
                    out[a, i, j, ch] = h[a, r0 + p, c0 + q, ch]
    return out

@strategy('L2Loss')
def l2_loss_case(draw, op_type):
    shape = tuple(draw(st.lists(st.integers(1, 3), max_size=3)))
    return Case([draw(arrays(shape))], tf.nn.l2_loss, lambda t: np.asarray(np.sum(t * t) / 2))

@strategy('DropoutMask')
def dropout_mask_case(draw, op_type):
    shape = tuple(draw(st.lists(st.integers(1, 3), max_size=3)))
    rate, graph_seed, op_seed = draw(st.floats(0, 0.9)), draw(st.integers(0, 2**31)), draw(st.integers(0, 2**31))
    def graph(x):
        set_random_seed(graph_seed)
        return DropoutMask(x, tf.constant(rate, dtype=tf.float64), seed=op_seed)
    return Case([draw(arrays(shape, ANY))], graph,
                lambda x: (generator(graph_seed, op_seed).random(shape) >= rate).astype(np.float64), fresh=True)
