"Chapter 5's plain loop and chapter 27's compiled plans agree, value for value, on random graphs and their gradients."
import numpy as np
from hypothesis import given, note, settings, HealthCheck, strategies as st

import deepscratch as tf
from deepscratch.compiled import CompiledPlan
from deepscratch.session import Plan
from test_properties import STATIC_SHAPES, describe_graph, graph_loss, random_graphs


def run_with(plan_class, fetches, feed):
    session = tf.Session()
    session.plan_class = plan_class
    return session.run(fetches, feed)


@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
@given(steps=random_graphs(), static=STATIC_SHAPES, seed=st.integers(0, 2**16))
def test_plain_and_compiled_executors_agree_on_random_graphs_and_gradients(steps, static, seed):
    note(describe_graph(steps))
    with tf.Graph().as_default():
        xs, feed, loss = graph_loss(steps, static, seed)
        every = [n for n in tf.get_default_graph().get_operations() if n not in feed and n.dtype is not None]   # each node with a tensor value
        fetches = every + [g for g in tf.gradients(loss, xs) if g is not None]
        plain, compiled = run_with(Plan, fetches, feed), run_with(CompiledPlan, fetches, feed)
    for node, a, b in zip(fetches, plain, compiled):
        np.testing.assert_array_equal(a, b, err_msg=node.name)   # the same functions on the same values: bit for bit
        assert np.shape(a) == np.shape(b) and np.asarray(a).dtype == np.asarray(b).dtype, node.name


def test_the_package_face_plugs_in_the_compiled_executor():
    assert tf.Session.plan_class is CompiledPlan and issubclass(CompiledPlan, Plan)
    with tf.Graph().as_default():
        x = tf.placeholder(tf.float64, [None], name='x')
        sess = tf.Session()
        assert sess.run(tf.reduce_sum(x * x), {x: [1.0, 2.0]}) == 5.0
        assert all(type(p) is CompiledPlan for p in sess._plans.values())
