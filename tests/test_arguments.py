"""Bad arguments are named (issue 15): each mistake is a TypeError/ValueError that names the function and the
argument, never a bare Python or numpy message; and a finalized graph refuses new nodes as TensorFlow's does."""
import re

import numpy as np
import pytest

import deepscratch as tf


@pytest.fixture(autouse=True)
def graph():
    with tf.Graph().as_default() as g: yield g


def test_name_scope_needs_a_string():
    with pytest.raises(TypeError, match=r"name_scope: the name must be a string \(or None\), got int 123"):
        with tf.name_scope(123): pass
    with tf.name_scope(None) as top, tf.name_scope('a') as a:
        assert (top, a) == ('', 'a/')


@pytest.mark.parametrize('shape', [3.0, 'abc', object()])
def test_placeholder_shape_named(shape):
    with pytest.raises(TypeError, match=r'placeholder: shape: a shape must be a list or tuple of sizes'):
        tf.placeholder(tf.float32, shape=shape)


def test_placeholder_bad_size_named():
    with pytest.raises(ValueError, match=r'placeholder: shape: a dimension must be a non-negative int or None, got 2.5'):
        tf.placeholder(tf.float32, shape=[None, 2.5])
    assert tf.placeholder(tf.float32, shape=3).shape.as_list() == [3]


@pytest.mark.parametrize('make', [lambda lr: tf.train.GradientDescentOptimizer(lr),
                                  lambda lr: tf.train.AdamOptimizer(lr),
                                  lambda lr: tf.train.MomentumOptimizer(lr, 0.9),
                                  lambda lr: tf.train.RMSPropOptimizer(lr)])
@pytest.mark.parametrize('lr', ['abc', None, True, [0.1]])
def test_learning_rate_named(make, lr):
    v = tf.Variable(1.0)
    with pytest.raises(TypeError, match=r"Optimizer: learning_rate must be a number or a float tensor, got"):
        make(lr).minimize(v * v)


def test_learning_rate_node_must_be_float():
    v = tf.Variable(1.0)
    with pytest.raises(TypeError, match=r"GradientDescentOptimizer: learning_rate must be a float tensor, but .* is int32"):
        tf.train.GradientDescentOptimizer(tf.constant(1)).minimize(v * v)


def test_good_hyperparameters_still_train():
    v = tf.Variable(3.0)
    rate = tf.placeholder(tf.float32, [])
    steps = [tf.train.GradientDescentOptimizer(1).minimize(v * v), tf.train.MomentumOptimizer(rate, 0).minimize(v * v)]
    with tf.Session() as sess:
        sess.run(steps[0])                         # v -= 1 * 2v: 3 -> -3
        assert sess.run(v) == -3.0
        sess.run(steps[1], {rate: 0.25})           # v -= 0.25 * 2v: -3 -> -1.5
        assert sess.run(v) == -1.5


@pytest.mark.parametrize('arg', ['learning_rate', 'decay_steps', 'decay_rate'])
def test_exponential_decay_named(arg):
    step = tf.train.get_or_create_global_step()
    args = {**dict(learning_rate=0.1, decay_steps=10, decay_rate=0.5), arg: 'abc'}
    with pytest.raises(TypeError, match=rf"exponential_decay: {arg} must be a number or a float tensor, got str 'abc'"):
        tf.train.exponential_decay(global_step=step, **args)
    with pytest.raises(ValueError, match='global_step is required for exponential_decay'):
        tf.train.exponential_decay(0.1, None, 10, 0.5)


def test_exponential_decay_value():
    step = tf.Variable(25, dtype=tf.int64, trainable=False)
    smooth = tf.train.exponential_decay(0.1, step, 10, 0.5)
    stairs = tf.train.exponential_decay(0.1, step, tf.constant(10.0), tf.constant(0.5), staircase=True)
    with tf.Session() as sess:
        np.testing.assert_allclose(sess.run([smooth, stairs]), [0.1 * 0.5 ** 2.5, 0.1 * 0.5 ** 2], rtol=1e-6)


def test_get_collection_bad_regex_named():
    tf.Variable(1.0, name='w')
    with pytest.raises(ValueError, match=r"get_collection: scope '\[' is not a valid regular expression"):
        tf.get_collection(tf.GraphKeys.GLOBAL_VARIABLES, scope='[')
    assert [v.name for v in tf.get_collection(tf.GraphKeys.GLOBAL_VARIABLES, scope='w')] == ['w']


def test_finalized_graph_refuses_new_nodes(graph):
    v = tf.Variable(2.0, name='v')
    y = v * 3.0
    saver = tf.train.Saver()
    init = tf.global_variables_initializer()
    assert not graph.finalized
    graph.finalize()
    assert graph.finalized
    for build in (lambda: tf.constant(1.0), lambda: v + 1.0, lambda: tf.Variable(0.0),
                  lambda: tf.add_to_collection('mine', 1)):
        with pytest.raises(RuntimeError, match='Graph is finalized and cannot be modified.'):
            build()
    assert len(graph.get_operations()) == len(set(graph.get_operations()))
    with tf.Session() as sess:                    # what was built before still runs
        sess.run(init)
        assert sess.run(y) == 6.0


def test_initialized_value_chains():
    first = tf.Variable(1.0)
    chain = [first]
    for _ in range(300):   # each initialized from the previous one, lazily, without deep recursion
        chain.append(tf.Variable(chain[-1].initialized_value() + 1.0))
    with tf.Session() as sess:
        assert sess.run(chain[-1]) == 301.0


@pytest.mark.parametrize('call, message', [
    (lambda: tf.add_n(None), 'add_n: inputs must be a list of tensors, got NoneType None'),
    (lambda: tf.concat(3.0, 0), 'concat: values must be a list of tensors, got float 3.0'),
    (lambda: tf.stack(None), 'stack: values must be a list of tensors'),
    (lambda: tf.variables_initializer([[1], [1, 2]]), 'variables_initializer: var_list must hold variables'),
    (lambda: tf.train.Saver(var_list=3.7), 'Saver: var_list must be a list of variables (or a dict of them), got float 3.7'),
    (lambda: tf.add_to_collections(None, 1), 'add_to_collections: names must be a list of collection names'),
    (lambda: tf.nn.softmax(tf.ones([2, 2]), axis='abc'), "Softmax: Value passed to parameter 'axis' has DataType string"),
    (lambda: tf.squeeze(tf.ones([1, 2]), axis=0.5), "Squeeze: Value passed to parameter 'axis' has DataType float32"),
    (lambda: tf.tile(tf.ones([2]), 'abc'), "tile: Value passed to parameter 'multiples' has DataType string"),
    (lambda: tf.nn.top_k(tf.ones([2, 3]), k='abc'), 'top_k: k must be a non-negative Python int'),
    (lambda: tf.split(tf.ones([4]), 0), 'split: num_or_size_splits must be a positive number of parts, got 0'),
    (lambda: tf.split(tf.ones([4]), 2, axis=1), 'split: axis 1 is out of range'),
    (lambda: tf.unstack(tf.constant(1.0)), 'unstack: axis 0 is out of range'),
    (lambda: tf.gather_nd(tf.ones([2, 2]), -1), 'gather_nd: indices'),
    (lambda: tf.train.get_global_step('abc'), 'graph must be a tf.Graph (or None), got str'),
    (lambda: tf.train.global_step(None, tf.Variable(1)), 'global_step: sess must be a tf.Session'),
    (lambda: tf.losses.add_loss(None), 'add_loss: loss must be a tensor'),
    (lambda: tf.layers.max_pooling2d(tf.ones([1, 4, 4, 1]), None, 2), 'pool_size must be a positive int or a pair of them'),
    (lambda: tf.variance_scaling_initializer(distribution=None), 'distribution must be a string'),
    (lambda: tf.zeros([10**30]), 'a dimension must be a non-negative int or None'),
    (lambda: tf.draw(None), 'draw: what must be a graph, a node or a list of nodes'),
])
def test_wrong_arguments_say_which(call, message):
    with pytest.raises((TypeError, ValueError), match=re.escape(message)):
        call()


def test_right_arguments_still_work():
    x = tf.constant([[1.0, 2.0], [3.0, 4.0]])
    parts = tf.split(x, [1, 1], axis=1)
    rows = tf.unstack(x, num=2)
    with tf.Session() as sess:
        np.testing.assert_array_equal(sess.run(tf.concat(parts, axis=0)), [[1.0], [3.0], [2.0], [4.0]])
        np.testing.assert_array_equal(sess.run(tf.add_n(rows)), [4.0, 6.0])
        np.testing.assert_array_equal(sess.run(tf.squeeze(tf.expand_dims(x, 0), axis=[0])), [[1.0, 2.0], [3.0, 4.0]])


@pytest.mark.parametrize('plan', ['interpreter', 'compiled'])
def test_fetched_values_never_alias_what_was_fed(plan):
    "A fetched value belongs to the caller: writing into it never writes into the fed array, nor the other way."
    from deepscratch.compiled import CompiledPlan
    from deepscratch.session import Plan
    x = tf.placeholder(tf.float32, [3], name='x')
    fetches = [x, tf.identity(x), tf.reshape(x, [3, 1]), tf.stop_gradient(x), tf.squeeze(tf.expand_dims(x, 0))]
    with tf.Session() as sess:
        sess.plan_class = Plan if plan == 'interpreter' else CompiledPlan
        fed = np.array([1.0, 2.0, 3.0], np.float32)
        for got in sess.run(fetches, {x: fed}):
            assert not np.shares_memory(got, fed), f'a fetch of {fetches} shares memory with the fed array'
        fed[:] = 0.0                                # the caller changes its own array afterwards...
        first, again = sess.run([x, tf.identity(x)], {x: np.ones(3, np.float32)})
        again[...] = 7.0                            # ...or the value it was given: nothing else changes
        np.testing.assert_array_equal(first, [1.0, 1.0, 1.0])
