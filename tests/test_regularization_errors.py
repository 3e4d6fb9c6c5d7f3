"Dropout's build-time errors: a keep_prob or rate known when the graph is built must lie in TensorFlow's range."
import numpy as np
import pytest

import deepscratch as tf


@pytest.mark.parametrize('keep_prob', [0, 0.0, -0.5, 1.5, np.float32(2.0)])
def test_keep_prob_outside_range(keep_prob):
    with tf.Graph().as_default():
        x = tf.ones([3, 4])
        with pytest.raises(ValueError, match=r'dropout: keep_prob must be a scalar tensor or a float in the range \(0, 1\]'):
            tf.nn.dropout(x, keep_prob=keep_prob)


@pytest.mark.parametrize('rate', [1, 1.0, -0.1, 3.0])
def test_rate_outside_range(rate):
    with tf.Graph().as_default():
        x = tf.ones([3, 4])
        with pytest.raises(ValueError, match=r'dropout: rate must be a scalar tensor or a float in the range \[0, 1\)'):
            tf.nn.dropout(x, rate=rate)


def test_constant_node_is_static():
    with tf.Graph().as_default():
        x = tf.ones([3, 4])
        with pytest.raises(ValueError, match='got 1.5'):
            tf.nn.dropout(x, keep_prob=tf.constant(1.5))
        with pytest.raises(ValueError, match=r'rate must .* \[0, 1\), got 1.0'):
            tf.nn.dropout(x, rate=tf.constant(1.0))


def test_edges_are_accepted():
    with tf.Graph().as_default():
        x = tf.constant(np.arange(12, dtype=np.float32).reshape(3, 4))
        keep_all, drop_none = tf.nn.dropout(x, keep_prob=1.0), tf.nn.dropout(x, rate=0.0)
        with tf.Session() as sess: a, b = sess.run([keep_all, drop_none])
    np.testing.assert_array_equal(a, np.arange(12).reshape(3, 4))
    np.testing.assert_array_equal(b, np.arange(12).reshape(3, 4))


def test_placeholder_is_checked_only_when_run():
    with tf.Graph().as_default():
        keep_prob = tf.placeholder(tf.float32, [])
        y = tf.nn.dropout(tf.ones([2, 2]), keep_prob=keep_prob)   # not known when built: no error
        with tf.Session() as sess: out = sess.run(y, {keep_prob: 1.0})
    np.testing.assert_array_equal(out, np.ones((2, 2)))
