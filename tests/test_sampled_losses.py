"""tf.nn.nce_loss, tf.nn.sampled_softmax_loss and the candidate samplers (chapter 23).

    pytest tests/test_sampled_losses.py -q

With the samples given (`sampled_values`), the losses equal TensorFlow 2.21's tf.compat.v1 to float precision (the
numbers were recorded from it in a scratch venv); their gradients equal finite differences; the samplers draw by their
laws, reproducibly from seeds, and give TensorFlow's expected counts; bad arguments are named.
"""
import numpy as np
import pytest

import deepscratch as tf
from deepscratch.gradients import check_gradients

rng = np.random.default_rng(0)
V, D, B, S = 20, 4, 3, 5
W0, b0, X0 = rng.normal(size=(V, D)).astype(np.float32), rng.normal(size=V).astype(np.float32), rng.normal(size=(B, D)).astype(np.float32)
LABELS, LABELS2 = np.array([[1], [7], [3]]), np.array([[1, 2], [7, 0], [3, 3]])
SAMPLED, TRUE_Q, TRUE_Q2, SAMPLED_Q = np.array([0, 2, 5, 7, 11]), np.full((B, 1), 0.3, np.float32), np.full((B, 2), 0.3, np.float32), np.full(S, 0.2, np.float32)

# What TensorFlow 2.21 (tf.compat.v1.nn) printed for these arguments.
TENSORFLOW = {
    ('nce', False): [10.972076416015625, 12.96284294128418, 14.239362716674805],
    ('nce', True): [10.972076416015625, 10.092049598693848, 14.239362716674805],
    ('softmax', False): [4.6739935874938965, 2.250291347503662, 0.35145220160484314],
    ('softmax', True): [4.6739935874938965, 2.0782532691955566, 0.35145220160484314],
}

@pytest.mark.parametrize('kind, hits', list(TENSORFLOW))
def test_losses_equal_tensorflows(kind, hits):
    loss = tf.nn.nce_loss if kind == 'nce' else tf.nn.sampled_softmax_loss
    with tf.Graph().as_default(), tf.Session() as sess:
        got = sess.run(loss(W0, b0, LABELS, X0, S, V, sampled_values=(SAMPLED, TRUE_Q, SAMPLED_Q), remove_accidental_hits=hits))
    np.testing.assert_allclose(got, TENSORFLOW[kind, hits], rtol=1e-5)

def test_several_true_classes_and_sharded_weights_equal_tensorflows():
    with tf.Graph().as_default(), tf.Session() as sess:
        nce = sess.run(tf.nn.nce_loss(W0, b0, LABELS2, X0, S, V, num_true=2, sampled_values=(SAMPLED, TRUE_Q2, SAMPLED_Q)))
        shards = sess.run(tf.nn.sampled_softmax_loss([W0[:10], W0[10:]], [b0[:10], b0[10:]], LABELS2, X0, S, V, num_true=2,
                                                     sampled_values=(SAMPLED, TRUE_Q2, SAMPLED_Q), partition_strategy='div'))
    np.testing.assert_allclose(nce, [11.442789077758789, 15.05163860321045, 20.14667510986328], rtol=1e-5)
    np.testing.assert_allclose(shards, [4.744656085968018, 2.621333122253418, 0.8842343688011169], rtol=1e-5)

@pytest.mark.parametrize('kind', ['nce', 'softmax'])
def test_gradients_equal_finite_differences(kind):
    loss = tf.nn.nce_loss if kind == 'nce' else tf.nn.sampled_softmax_loss
    with tf.Graph().as_default():
        W = tf.placeholder(tf.float64, [V, D], name='W'); b = tf.placeholder(tf.float64, [V], name='b')
        X = tf.placeholder(tf.float64, [B, D], name='X')
        y = loss(W, b, LABELS2, X, S, V, num_true=2, sampled_values=(SAMPLED, TRUE_Q2, SAMPLED_Q))
        feed = {W: W0.astype(np.float64), b: b0.astype(np.float64), X: X0.astype(np.float64)}
        assert check_gradients(y, [W, b, X], feed) < 1e-6
        assert tf.gradients(y, [W])[0] is not None

def test_with_its_own_sampler_the_loss_is_reproducible_from_seeds():
    def losses():
        with tf.Graph().as_default():
            tf.set_random_seed(4)
            y = tf.nn.sampled_softmax_loss(W0, b0, LABELS, X0, S, V)
            with tf.Session() as sess: return [sess.run(y) for _ in range(3)]
    first, second = losses(), losses()
    np.testing.assert_array_equal(first, second)
    assert not np.array_equal(first[0], first[1])           # each run draws new samples

@pytest.mark.parametrize('unique', [False, True])
def test_samplers_follow_their_laws(unique):
    with tf.Graph().as_default(), tf.Session() as sess:
        true = tf.constant([[0], [3]], dtype=tf.int64)
        log_c, log_t, log_s = tf.nn.log_uniform_candidate_sampler(true, 1, 10, unique, 30, seed=2)
        uni_c, uni_t, uni_s = tf.random.uniform_candidate_sampler(true, 1, 10, unique, 30, seed=2)
        draws = [sess.run([log_c, log_s, uni_c, uni_t]) for _ in range(300)]
    q = (np.log(np.arange(30) + 2) - np.log(np.arange(30) + 1)) / np.log(31)
    counts = np.bincount(np.concatenate([d[0] for d in draws]), minlength=30)
    if not unique:
        expected = q * 3000
        assert ((counts - expected) ** 2 / expected).sum() < 70       # chi-square with 29 degrees of freedom: p < 1e-4 above 70
        np.testing.assert_allclose(draws[0][1], 10 * q[draws[0][0]], rtol=1e-5)
        np.testing.assert_allclose(draws[0][3], [[10 / 30], [10 / 30]], rtol=1e-6)
    else:
        for candidates, expected_counts, *_ in draws:
            assert len(set(candidates.tolist())) == 10
            p = q[candidates]
            tries = np.log1p(-expected_counts) / np.log1p(-p)            # TF's formula, solved for the number of draws
            np.testing.assert_allclose(tries, tries[0], rtol=1e-3)
            assert tries[0] >= 10 - 1e-3

@pytest.mark.parametrize('call, error, words', [
    (lambda: tf.nn.nce_loss(W0, b0, LABELS, X0, 0, V), ValueError, 'nce_loss: num_sampled must be a positive integer'),
    (lambda: tf.nn.sampled_softmax_loss(W0, b0, LABELS.astype(np.float32), X0, S, V), TypeError, 'labels'),
    (lambda: tf.nn.nce_loss(W0, b0, LABELS, X0, S, V, partition_strategy='x'), ValueError, "partition_strategy must be 'mod' or 'div'"),
    (lambda: tf.nn.nce_loss(W0, b0, LABELS, X0, S, V, sampled_values=(1, 2)), TypeError, 'sampled_values must be the triple'),
    (lambda: tf.nn.log_uniform_candidate_sampler(tf.constant([[1]], dtype=tf.int64), 1, 40, True, 30), ValueError, 'cannot draw 40 unique'),
    (lambda: tf.nn.uniform_candidate_sampler(tf.constant([1]), 1, 4, True, 30), TypeError, 'true_classes'),
    (lambda: tf.nn.nce_loss(W0, b0, LABELS, X0[0], S, V), ValueError, 'inputs must be a matrix'),
])
def test_bad_arguments_are_named(call, error, words):
    with tf.Graph().as_default(), pytest.raises(error) as caught: call()
    assert words in str(caught.value)

def test_true_classes_out_of_range_fail_when_run():
    with tf.Graph().as_default(), tf.Session() as sess:
        c, _, _ = tf.nn.log_uniform_candidate_sampler(tf.constant([[35]], dtype=tf.int64), 1, 3, False, 30)
        with pytest.raises(tf.errors.InvalidArgumentError, match=r'true_classes must lie in \[0, 30\)'): sess.run(c)
