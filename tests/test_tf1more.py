"""Edge cases of chapter 21's metrics, top_k/in_top_k, global step, schedules, tf.Print and old names, with TensorFlow's behaviour."""
import io
import contextlib

import numpy as np
import pytest

import deepscratch as tf
from deepscratch import errors


def run(*nodes, feed=None):
    with tf.Session() as sess:
        sess.run(tf.local_variables_initializer())
        return sess.run(list(nodes), feed)


def test_metric_errors_and_collections():
    with tf.Graph().as_default():
        with pytest.raises(ValueError, match='accuracy: predictions of shape'):
            tf.metrics.accuracy(tf.constant([1, 2]), tf.constant([1, 2, 3]))
        value, update = tf.metrics.mean([1., 2., 3.], metrics_collections=['m'], updates_collections=['u'], name='avg')
        assert tf.get_collection('m') == [value] and tf.get_collection('u') == [update]
        assert [v.name for v in tf.local_variables()] == ['avg/total', 'avg/count']
        assert not tf.trainable_variables() and not tf.global_variables()   # local only: a Saver does not save them
        with tf.Session() as sess:
            sess.run(tf.local_variables_initializer())
            # TF does not order a read of the totals against their update in one run, so read them after it
            assert (sess.run(update), sess.run(value)) == (2., 2.)


def test_metrics_in_two_sessions_are_independent():
    with tf.Graph().as_default():
        value, update = tf.metrics.accuracy([1, 0], [1, 1])
        with tf.Session() as a, tf.Session() as b:
            a.run(tf.local_variables_initializer()); b.run(tf.local_variables_initializer())
            a.run(update); a.run(update)
            assert (a.run(value), b.run(value)) == (0.5, 0.0)


def test_top_k_and_in_top_k_edges():
    with tf.Graph().as_default():
        x = tf.placeholder(tf.float32, [None, None])
        values, indices = tf.nn.top_k(x, 2)
        assert indices.dtype == tf.int32 and values.shape.as_list() == [None, 2]
        with pytest.raises(errors.InvalidArgumentError, match='at least k=2 columns'):
            run(values, feed={x: np.ones((2, 1), np.float32)})
        with pytest.raises(ValueError, match='non-negative'): tf.nn.top_k(x, -1)
        scores = tf.constant([[1., np.nan, 0.], [1., 2., 3.]])
        assert run(tf.nn.in_top_k(scores, [0, 5], 3))[0].tolist() == [False, False]   # nan row, target out of range
        with pytest.raises(TypeError, match='in_top_k: predictions must be floats'): tf.nn.in_top_k([[1, 2]], [0], 1)


def test_global_step_lookup_by_name_and_errors():
    with tf.Graph().as_default():
        step = tf.Variable(0, dtype=tf.int64, name='global_step', trainable=False)
        assert tf.train.get_global_step() is step            # found by name when the collection is empty
        assert tf.train.get_or_create_global_step() is step
        with pytest.raises(ValueError, match='already exists'): tf.train.create_global_step()
    with tf.Graph().as_default():
        tf.Variable(0.5, name='global_step')
        with pytest.raises(TypeError, match='does not have integer type'): tf.train.get_global_step()


def test_schedules_need_a_step_and_matching_lengths():
    with pytest.raises(ValueError, match='global_step is required for inverse_time_decay'):
        tf.train.inverse_time_decay(0.1, None, 10, 0.5)
    with pytest.raises(ValueError, match='1 less than the length of values'):
        tf.train.piecewise_constant(tf.constant(3), [1, 2], [0.1, 0.2])
    with tf.Graph().as_default():
        step = tf.constant(7, tf.int64)
        got = run(tf.train.piecewise_constant(step, [5, 10], [1, 2, 3]), tf.train.polynomial_decay(1., step, 10, cycle=True))
        assert got[0] == 2 and got[0].dtype == np.int64
        np.testing.assert_allclose(got[1], (1 - 0.0001) * (1 - 0.7) + 0.0001, rtol=1e-6)


def test_print_passes_through_and_counts_per_session():
    with tf.Graph().as_default():
        x = tf.constant(np.arange(5.))
        shown = tf.Print(x, [x, tf.constant(True)], message='v: ', first_n=2, summarize=-1)
        captured = io.StringIO()
        with contextlib.redirect_stderr(captured):
            for _ in range(2):
                with tf.Session() as sess:
                    for _ in range(3): np.testing.assert_array_equal(sess.run(shown), np.arange(5.))
        assert captured.getvalue().splitlines() == ['v: [0 1 2 3 4][1]'] * 4   # first_n counts in each session
        with pytest.raises(TypeError, match='data must be a list'): tf.Print(x, x)


def test_old_names_and_operators():
    with tf.Graph().as_default():
        a = tf.constant([7, -7])
        got = run(a // 2, a % 3, 10 // a, tf.div(a, 2), tf.to_int64(a), tf.to_double(a), tf.floor_div(a, 2))
        assert [g.tolist() for g in got[:4]] == [[3, -4], [1, 2], [1, -2], [3, -4]]
        assert (got[4].dtype, got[5].dtype, got[6].tolist()) == (np.int64, np.float64, [3, -4])
        assert tf.to_float(a).name == 'ToFloat' and tf.arg_min(tf.constant([[3, 1]]), 1).dtype == tf.int64
        with pytest.raises(errors.InvalidArgumentError, match='Integer division by zero'): run(tf.mod(a, 0))
        f = tf.constant([-7.5, 7.5])
        assert [g.tolist() for g in run(f // 2., f % 2., tf.truncatediv(f, 2.))] == [[-4., 3.], [0.5, 1.5], [-3., 3.]]
    for old, new in [('mul', 'multiply'), ('sub', 'subtract'), ('neg', 'negative')]:
        with pytest.raises(AttributeError, match=f'tf.{new}'): getattr(tf, old)
    assert tf.random.normal is tf.random_normal and tf.random.set_random_seed is tf.set_random_seed
    assert tf.random.shuffle is tf.random_shuffle
    with pytest.raises(AttributeError, match='does not offer tf.random.gamma'): tf.random.gamma


def test_linear_algebra_shapes_and_errors():
    with tf.Graph().as_default():
        with pytest.raises(ValueError, match='square'): tf.matrix_inverse(tf.zeros([2, 3]))
        with pytest.raises(ValueError, match='even, nonzero rank'): tf.diag_part(tf.zeros([2, 2, 2]))
        assert tf.matrix_determinant(tf.zeros([4, 3, 3])).shape.as_list() == [4]
        assert tf.tensordot(tf.zeros([2, 3]), tf.zeros([3, 4]), 1).shape.as_list() == [2, 4]
        with pytest.raises(ValueError, match='same sizes'): tf.tensordot(tf.zeros([2, 3]), tf.zeros([2, 4]), 1)
        y, idx = tf.unique(tf.constant([3., 1., 3.]), out_idx=tf.int64)
        assert y.shape.as_list() == [None] and idx.dtype == tf.int64
        assert [v.tolist() for v in run(y, idx)] == [[3., 1.], [0, 1, 0]]
