"""Chapter 23 beyond the property strategies: side effects of branches, nested structures, loops with captured
variables, gradients through loops against finite differences, and TensorFlow's errors for bad input."""
import collections

import numpy as np
import pytest

import deepscratch as tf
from deepscratch import errors
from deepscratch.gradients import check_gradients


def test_only_the_taken_branch_runs_its_side_effects():
    with tf.Graph().as_default():
        p = tf.placeholder(tf.bool, [])
        v = tf.Variable(0)
        y = tf.cond(p, lambda: tf.assign_add(v, 1), lambda: tf.assign_add(v, 100))
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            assert [sess.run(y, {p: b}) for b in (True, True, False)] == [1, 2, 102]


def test_nested_structures_and_strict():
    Pair = collections.namedtuple('Pair', 'a b')
    with tf.Graph().as_default():
        p = tf.placeholder(tf.bool, [])
        out = tf.cond(p, lambda: {'x': Pair(tf.constant(1.), [tf.constant(2)])}, lambda: {'x': Pair(tf.constant(3.), [tf.constant(4)])})
        single = tf.cond(p, lambda: [tf.constant(1.)], lambda: [tf.constant(2.)])
        kept = tf.cond(p, lambda: [tf.constant(1.)], lambda: [tf.constant(2.)], strict=True)
        with tf.Session() as sess:
            got = sess.run(out, {p: False})
            assert isinstance(got['x'], Pair) and got['x'].a == 3. and got['x'].b == [4]
            assert sess.run(single, {p: True}) == 1. and sess.run(kept, {p: False}) == [2.]


def test_gradient_through_a_cond_reaches_variables_in_the_taken_branch():
    with tf.Graph().as_default():
        x = tf.placeholder(tf.float32, [])
        w = tf.Variable(3.)
        loss = tf.cond(x > 0, lambda: w * w * x, lambda: tf.constant(0.))
        (dw,) = tf.gradients(loss, [w])
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            assert sess.run(dw, {x: 2.}) == 12. and sess.run(dw, {x: -2.}) == 0.


def test_while_loop_gradient_matches_finite_differences_with_captured_weights():
    with tf.Graph().as_default():
        h = tf.placeholder(tf.float64, [2])
        W = tf.placeholder(tf.float64, [2, 2])
        n = tf.placeholder(tf.int32, [])
        _, last = tf.while_loop(lambda i, h: i < n, lambda i, h: (i + 1, tf.tanh(tf.matmul(W, h))), [0, h],
                                maximum_iterations=10)
        feed = {h: np.array([0.3, -0.7]), W: np.array([[0.5, -1.2], [0.8, 0.4]]), n: 4}
        assert check_gradients(tf.reduce_sum(last * last), [h, W], feed) < 1e-6


def test_while_loop_maximum_iterations_and_counter_variable():
    with tf.Graph().as_default():
        v = tf.Variable(0)
        i = tf.while_loop(lambda i: i < 100, lambda i: i + 1, [0], maximum_iterations=7)
        def body(i):
            with tf.control_dependencies([tf.assign_add(v, 2)]): return tf.identity(i + 1)
        j = tf.while_loop(lambda i: i < 3, body, [0])
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            assert sess.run(i) == 7 and sess.run(j) == 3 and sess.run(v) == 6


def test_bad_input_raises_tensorflows_errors():
    with tf.Graph().as_default():
        x = tf.placeholder(tf.float32, [3])
        with pytest.raises(TypeError, match='pred must not be a Python bool'): tf.cond(True, lambda: x, lambda: x)
        with pytest.raises(ValueError, match='must be a scalar'): tf.cond(x > 0, lambda: x, lambda: x)
        with pytest.raises(TypeError, match='must be callable'): tf.cond(x[0] > 0, x, lambda: x)
        with pytest.raises(ValueError, match="same nested structure"): tf.cond(x[0] > 0, lambda: [x], lambda: (x,))
        with pytest.raises(ValueError, match='after one iteration'):
            tf.while_loop(lambda y: tf.reduce_sum(y) < 10., lambda y: tf.concat([y, y], 0), [x])
        with pytest.raises(ValueError, match='out of bounds'): x[3]
        with pytest.raises(ValueError, match='Cannot infer num'): tf.unstack(tf.placeholder(tf.float32, [None]))
        p = tf.placeholder(tf.bool, None)
        y = tf.cond(p, lambda: x, lambda: -x)
        with tf.Session() as sess:
            with pytest.raises(errors.InvalidArgumentError, match='must be a scalar'): sess.run(y, {p: [True], x: [1, 2, 3]})
            with pytest.raises(errors.InvalidArgumentError, match='exclusive=True'):
                sess.run(tf.case([(x[0] > 0, lambda: x), (x[1] > 0, lambda: -x)], exclusive=True), {x: [1, 1, 1]})


def test_shapes_known_at_run_time():
    with tf.Graph().as_default():
        x = tf.placeholder(tf.float32, [None, 3])
        y = tf.reshape(x, tf.stack([tf.shape(x)[0] * 3]))
        z = tf.reshape(tf.zeros([2, 3]), [-1, tf.constant(2)])
        assert y.shape.as_list() == [None] and z.shape.as_list() == [3, 2]
        with tf.Session() as sess:
            assert sess.run(y, {x: np.ones((2, 3))}).shape == (6,)
            assert sess.run(tf.shape(x)[0], {x: np.ones((5, 3))}) == 5
        i = tf.placeholder(tf.int32, [])
        with tf.Session() as sess:
            assert sess.run(x[i, 1:], {x: np.arange(6.).reshape(2, 3), i: 1}).tolist() == [4., 5.]
