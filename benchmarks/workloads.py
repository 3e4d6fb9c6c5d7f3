"""The workloads of `make bench` and chapter 28: each a deepscratch step and the same step in hand-written numpy
(and, where installed, in PyTorch and TensorFlow). Not part of the package: benchmarks live beside it."""
from __future__ import annotations

import functools
import time

import numpy as np

import deepscratch as tf


def xor_data(seed=0):
    "Chapter 10's data: four clusters of 25 points in an XOR pattern, and one-hot labels (blue, red)."
    rng = np.random.default_rng(seed)
    def cluster(centre): return rng.normal(scale=0.2, size=(25, 2)) + centre
    points = np.concatenate([cluster((0, 1)), cluster((1, 0)), cluster((0, 0)), cluster((1, 1))])
    labels = np.array([[1., 0.]] * 50 + [[0., 1.]] * 50)
    return points, labels

def xor_init(seed=0):
    "Chapter 10's initial weights: W_hidden, b_hidden, W_output, b_output from `default_rng(seed)`."
    rng = np.random.default_rng(seed)
    return [rng.standard_normal(shape) for shape in [(2, 2), (2,), (2, 2), (2,)]]

def w1_deepscratch(learning_rate=0.03):
    "One training step of chapter 10's network, written as the tutorial writes it."
    points, labels = xor_data()
    W1, b1, W2, b2 = xor_init()
    with tf.Graph().as_default() as g:
        X, c = tf.placeholder(), tf.placeholder()
        hidden = tf.sigmoid(tf.add(tf.matmul(X, tf.Variable(W1)), tf.Variable(b1)))
        p = tf.softmax(tf.add(tf.matmul(hidden, tf.Variable(W2)), tf.Variable(b2)))
        J = tf.negative(tf.reduce_sum(tf.reduce_sum(tf.multiply(c, tf.log(p)), axis=1)))
        train = tf.train.GradientDescentOptimizer(learning_rate).minimize(J)
    session, feed = tf.Session(graph=g), {X: points, c: labels}
    def step(): return session.run([train, J], feed)[1]   # the loss before the step
    step.session = session
    return step

def w1_numpy(learning_rate=0.03):
    "The same step in hand-written numpy: the same forward pass, backpropagation derived by hand, updates in place."
    X, c = xor_data()
    W1, b1, W2, b2 = xor_init()
    def step():
        a = X @ W1; a += b1
        h = 1 / (1 + np.exp(-a))
        z = h @ W2; z += b2
        e = np.exp(z - z.max(axis=1, keepdims=True))
        p = e / e.sum(axis=1, keepdims=True)
        J = -np.sum(c * np.log(p))
        dz = p - c                                  # d J / d z for one-hot rows of c
        dW2, db2 = h.T @ dz, dz.sum(axis=0)
        da = dz @ W2.T; da *= h * (1 - h)
        dW1, db1 = X.T @ da, da.sum(axis=0)
        for w, d in ((W1, dW1), (b1, db1), (W2, dW2), (b2, db2)):
            d *= learning_rate; w -= d
        return J
    return step

def digits_data(batch, dtype, seed=0):
    "A batch of `batch` handwritten digits (8x8 pixels scaled to [0, 1]) and their one-hot labels, drawn with replacement."
    images, digits = _digits()
    rows = np.random.default_rng(seed).integers(0, len(digits), batch)
    return images[rows].astype(dtype), np.eye(10, dtype=dtype)[digits[rows]]

@functools.lru_cache(maxsize=None)
def _digits():
    "scikit-learn's digits (1797 images), or, without scikit-learn, random images of the same shape and labels."
    try: from sklearn.datasets import load_digits
    except ImportError:
        rng = np.random.default_rng(0)
        return rng.random((1797, 64)), rng.integers(0, 10, 1797)
    data = load_digits()
    return data.data / 16, data.target

def digits_init(dtype, seed=1):
    "Initial weights of the 64-128-10 network (He-scaled normal weights, zero biases)."
    rng = np.random.default_rng(seed)
    return [(rng.standard_normal((64, 128)) * np.sqrt(2 / 64)).astype(dtype), np.zeros(128, dtype),
            (rng.standard_normal((128, 10)) * np.sqrt(2 / 128)).astype(dtype), np.zeros(10, dtype)]

def w2_deepscratch(batch, dtype, learning_rate=0.1):
    "One SGD step of the 64-128-10 ReLU network with softmax cross-entropy, in deepscratch's TensorFlow 1 style."
    X, Y = digits_data(batch, dtype)
    W1, b1, W2, b2 = digits_init(dtype)
    with tf.Graph().as_default() as g:
        x, y = tf.placeholder(dtype, [None, 64]), tf.placeholder(dtype, [None, 10])
        hidden = tf.nn.relu(x @ tf.Variable(W1) + tf.Variable(b1))
        logits = hidden @ tf.Variable(W2) + tf.Variable(b2)
        loss = tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits_v2(labels=y, logits=logits))
        train = tf.train.GradientDescentOptimizer(learning_rate).minimize(loss)
    session, feed = tf.Session(graph=g), {x: X, y: Y}
    def step(): return session.run([train, loss], feed)[1]   # the loss before the step
    step.session = session
    return step

def w2_numpy(batch, dtype, learning_rate=0.1):
    "The same step in hand-written numpy: softmax computed once for the loss and its gradient, updates in place."
    X, Y = digits_data(batch, dtype)
    W1, b1, W2, b2 = digits_init(dtype)
    rate, scale = dtype(learning_rate), dtype(1 / batch)
    def step():
        a = X @ W1; a += b1
        h = np.maximum(a, 0)
        z = h @ W2; z += b2
        z -= z.max(axis=1, keepdims=True)
        e = np.exp(z); s = e.sum(axis=1, keepdims=True)
        loss = np.mean(np.log(s[:, 0]) - (Y * z).sum(axis=1))
        dz = e / s; dz -= Y; dz *= scale
        dW2, db2 = h.T @ dz, dz.sum(axis=0)
        dh = dz @ W2.T; dh *= a > 0
        dW1, db1 = X.T @ dh, dh.sum(axis=0)
        for w, d in ((W1, dW1), (b1, db1), (W2, dW2), (b2, db2)):
            d *= rate; w -= d
        return loss
    return step

def w2_torch(batch, dtype, learning_rate=0.1):
    "The same step in PyTorch (eager, CPU), or None if PyTorch is not installed."
    try: import torch
    except ImportError: return None
    torch.set_num_threads(1)
    X, Y = (torch.from_numpy(a) for a in digits_data(batch, dtype))
    params = [torch.tensor(w, requires_grad=True) for w in digits_init(dtype)]
    W1, b1, W2, b2 = params
    def step():
        logits = torch.relu(X @ W1 + b1) @ W2 + b2
        loss = -(Y * torch.log_softmax(logits, dim=1)).sum(dim=1).mean()
        loss.backward()
        with torch.no_grad():
            for p in params: p -= learning_rate * p.grad; p.grad = None
        return loss.item()
    return step

def w2_tensorflow(batch, dtype, learning_rate=0.1):
    "The same step in TensorFlow's 1.x graph mode (tf.compat.v1), or None if TensorFlow is not installed."
    try: import tensorflow as real_tf
    except ImportError: return None
    v1 = real_tf.compat.v1
    v1.disable_eager_execution()
    X, Y = digits_data(batch, dtype)
    W1, b1, W2, b2 = digits_init(dtype)
    with real_tf.Graph().as_default() as g:
        x, y = v1.placeholder(dtype, [None, 64]), v1.placeholder(dtype, [None, 10])
        hidden = real_tf.nn.relu(x @ v1.Variable(W1) + v1.Variable(b1))
        logits = hidden @ v1.Variable(W2) + v1.Variable(b2)
        loss = real_tf.reduce_mean(real_tf.nn.softmax_cross_entropy_with_logits(labels=y, logits=logits))
        train = v1.train.GradientDescentOptimizer(learning_rate).minimize(loss)
        init = v1.global_variables_initializer()
    config = v1.ConfigProto(intra_op_parallelism_threads=1, inter_op_parallelism_threads=1)
    session = v1.Session(graph=g, config=config)
    session.run(init)
    feed = {x: X, y: Y}
    return lambda: session.run([train, loss], feed)[1]

def w2_jax(batch, dtype, learning_rate=0.1):
    "The same step compiled by jax.jit (CPU; loss and update in one jitted function), or None if JAX is not installed."
    try:
        import jax
        import jax.numpy as jnp
    except ImportError: return None
    if np.dtype(dtype) == np.float64: jax.config.update('jax_enable_x64', True)
    X, Y = (jnp.asarray(a) for a in digits_data(batch, dtype))
    state = {'p': [jnp.asarray(w) for w in digits_init(dtype)]}
    def loss(p, x, y):
        W1, b1, W2, b2 = p
        logits = jnp.maximum(x @ W1 + b1, 0) @ W2 + b2
        return -jnp.mean(jnp.sum(y * jax.nn.log_softmax(logits, axis=1), axis=1))
    @jax.jit
    def update(p, x, y):
        value, grads = jax.value_and_grad(loss)(p, x, y)
        return [w - learning_rate * g for w, g in zip(p, grads)], value
    def step():
        state['p'], value = update(state['p'], X, Y)
        return float(value)   # waits for the step, as the others do
    return step

def w3_chain(n, size=128, dtype=np.float32):
    "A chain of `n` tanh operations on a vector: seconds to build it, and steps running it forward and forward+gradient."
    start = time.perf_counter()
    with tf.Graph().as_default() as g:
        x = tf.placeholder(dtype, [size])
        y = x
        for _ in range(n): y = tf.tanh(y)
    built = time.perf_counter() - start
    with g.as_default(): (dx,) = tf.gradients(y, [x])
    session, feed = tf.Session(graph=g), {x: np.linspace(-2, 2, size).astype(dtype)}
    def forward(): return session.run(y, feed)
    def forward_and_gradient(): return session.run([y, dx], feed)
    forward.session = forward_and_gradient.session = session
    return built, forward, forward_and_gradient

def w3_numpy(n, size=128, dtype=np.float32):
    "The same chain in numpy: forward, and forward keeping each output followed by the backward pass, in place."
    x = np.linspace(-2, 2, size).astype(dtype)
    def forward():
        y = x
        for _ in range(n): y = np.tanh(y)
        return y
    def gradient():
        outputs, y = [], x
        for _ in range(n):
            y = np.tanh(y); outputs.append(y)
        g = np.ones_like(x)
        for output in reversed(outputs): g *= 1 - output * output
        return y, g
    return forward, gradient
