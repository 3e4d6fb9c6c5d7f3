"The plain executor of chapter 5: hostile names, values freed after last use, failures that name their node, copies."
import gc, weakref

import numpy as np
import pytest

import deepscratch as tf
from deepscratch import errors
from deepscratch.compiled import CompiledPlan
from deepscratch.session import Plan, Session


@pytest.mark.parametrize('name', ['a\n', 'a\nb', 'a"b', "a'b", "a\n    __import__('os').system('echo hi')\n    #",
                                  'x)', 'a b', '_hidden', '-a', '/a', 'a;b'])
def test_names_that_break_tf_rules_are_a_value_error_at_build_time(name):
    with tf.Graph().as_default():
        with pytest.raises(ValueError, match='not a valid node name'): tf.constant(1.0, name=name)


@pytest.mark.parametrize('scope', ['a\n/', "a'\n    __import__('os')\n    #/", 'a b/', 'a"/'])
def test_scopes_reopened_with_a_slash_follow_tf_rules_too(scope):
    with tf.Graph().as_default():
        with pytest.raises(ValueError, match='not a valid scope name'):
            with tf.name_scope(scope): pass


def test_code_like_names_that_tf_allows_run_as_plain_names():
    with tf.Graph().as_default():
        x = tf.placeholder(tf.float32, shape=[2], name='exec')
        with tf.name_scope('os.system-1>'):
            y = tf.multiply(x, 3.0, name='import.__class__')
        z = tf.add(y, 1.0, name='print>2')
        w = tf.Variable([1.0, 2.0], name='lambda.x')
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            out = sess.run({'y': y, 'z': z, 'w': w}, {x: [1.0, -2.0]})
            assert y.name == 'os.system-1>/import.__class__'
            np.testing.assert_array_equal(out['y'], [3.0, -6.0])
            np.testing.assert_array_equal(out['z'], [4.0, -5.0])
            np.testing.assert_array_equal(out['w'], [1.0, 2.0])
            np.testing.assert_array_equal(sess.run('print>2:0', {'exec:0': [0.0, 1.0]}), [1.0, 4.0])


def test_the_session_takes_its_plan_class_through_one_seam():
    assert Session.plan_class is Plan or issubclass(Session.plan_class, Plan) or callable(Session.plan_class)
    made = []
    class Counting(Plan):
        def __init__(self, *args): made.append(1); super().__init__(*args)
    with tf.Graph().as_default():
        x = tf.placeholder(tf.float32)
        y = x * 2.0
        sess = tf.Session()
        sess.plan_class = Counting   # per session: the class attribute (and other sessions) are untouched
        assert sess.run(y, {x: 3.0}) == 6.0 and sess.run(y, {x: 4.0}) == 8.0
        assert made == [1]           # one plan per (fetches, fed nodes), cached
        assert tf.Session().plan_class is Session.plan_class


@pytest.mark.parametrize('part_steps', [None, 3])
def test_a_value_is_freed_after_its_last_use(part_steps):
    """The plan drops each intermediate value when no later step needs it, so a long chain holds O(1) arrays; also when
    the generated code is in parts of 3 steps (values crossing parts, in the list V, are let go there too)."""
    alive = []
    class Tracked(np.ndarray): pass
    class Probe(tf.Operation):
        type = 'Probe'
        def infer_dtype(self, x): return tf.float32
        def infer_shape(self, x): return x.shape
        def compute(self, x):
            out = np.asarray(x, dtype=np.float32).copy().view(Tracked) + 1
            alive.append(weakref.ref(out))
            return out
    with tf.Graph().as_default():
        x = tf.placeholder(tf.float32, shape=[1000])
        y, seen = x, []
        for _ in range(20): y = Probe(y)
        class Watch(tf.Operation):   # at the end of the chain: how many of the earlier values are still alive
            type = 'Watch'
            def infer_dtype(self, x): return tf.float32
            def infer_shape(self, x): return x.shape
            def compute(self, x):
                gc.collect()
                seen.append(sum(r() is not None for r in alive))
                return np.asarray(x)
        with tf.Session() as sess:
            if part_steps: sess.plan_class = type('InParts', (CompiledPlan,), {'part_steps': part_steps})
            np.testing.assert_array_equal(sess.run(Watch(y), {x: np.zeros(1000, np.float32)}), np.full(1000, 20.0))
    assert seen[0] <= 2   # the value Watch reads (and at most the one being made); the 18 before it are gone


def test_a_failure_names_its_node_and_the_shapes_it_got():
    with tf.Graph().as_default():
        a = tf.placeholder(tf.float32, name='a')
        b = tf.placeholder(tf.float32, name='b')
        c = tf.matmul(a, b, name='product')
        d = tf.identity(c, name='after')
        with tf.Session() as sess:
            with pytest.raises(errors.InvalidArgumentError, match="product") as info:
                sess.run(d, {a: np.ones((2, 3)), b: np.ones((2, 3))})
            assert info.value.op is c or getattr(info.value, 'node', c) is c
            assert '(2, 3)' in str(info.value)


def test_fetched_values_and_variables_are_never_the_callers_arrays():
    with tf.Graph().as_default():
        x = tf.placeholder(tf.float32, shape=[3])
        v = tf.Variable(np.zeros(3, np.float32))
        step = tf.assign(v, x)
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            fed = np.array([1.0, 2.0, 3.0], np.float32)
            same = sess.run(tf.identity(x), {x: fed})
            sess.run(step, {x: fed})
            fed[:] = -1                      # the caller changes its array afterwards
            np.testing.assert_array_equal(same, [1.0, 2.0, 3.0])
            np.testing.assert_array_equal(sess.run(v), [1.0, 2.0, 3.0])
            kept = sess.run(v)
            sess.run(tf.assign_add(v, [1.0, 1.0, 1.0]))
            np.testing.assert_array_equal(kept, [1.0, 2.0, 3.0])   # a returned value never changes afterwards
            np.testing.assert_array_equal(sess.run(v), [2.0, 3.0, 4.0])


def test_importing_gradients_switches_nothing_the_face_wires_the_seam():
    "Only the package face chooses backpropagation; chapter 8's finite differences stay reachable."
    import ast, deepscratch
    from pathlib import Path
    from deepscratch.optimizer import Optimizer, numerical_gradients
    source = Path(deepscratch.__file__).with_name('gradients.py').read_text()
    top = ast.parse(source).body   # the statements that run on import
    assert not [n for n in top if isinstance(n, (ast.Assign, ast.AugAssign)) and any(
        isinstance(t, ast.Attribute) for t in getattr(n, 'targets', [getattr(n, 'target', None)]))]
    assert not [n for n in top if isinstance(n, ast.Expr) and isinstance(n.value, ast.Call)
                and getattr(n.value.func, 'id', '') == 'setattr']
    wired = Optimizer.__dict__['gradient_function']
    assert wired.__func__ is not numerical_gradients   # the face plugged in chapter 9's backpropagation
    try:
        Optimizer.gradient_function = staticmethod(numerical_gradients)
        with tf.Graph().as_default():
            w = tf.Variable(3.0)
            step = tf.train.GradientDescentOptimizer(0.25).minimize(tf.square(w))
            assert not any(n.name.startswith('gradients') for n in tf.get_default_graph().get_operations())
            with tf.Session() as sess:
                sess.run(tf.global_variables_initializer())
                sess.run(step)
                np.testing.assert_allclose(sess.run(w), 3.0 - 0.25 * 6.0, rtol=1e-3)   # by finite differences
    finally:
        Optimizer.gradient_function = wired


def test_a_repeated_run_checks_its_fed_values_every_time_and_keeps_each_fetch_structure():
    "The second identical call takes the remembered plan: fed values are still converted and checked, structures still rebuilt."
    import collections
    Pair = collections.namedtuple('Pair', 'double triple')
    with tf.Graph().as_default():
        x = tf.placeholder(tf.float32, shape=[None, 2], name='x')
        double, triple = x * 2.0, x * 3.0
        session = tf.Session()
        for _ in range(2):   # the first call is checked in full, the second is remembered
            assert [v.tolist() for v in session.run([double, triple], {x: [[1, 2]]})] == [[[2, 4]], [[3, 6]]]
            assert session.run((double,), {'x:0': [[1, 1]]})[0].tolist() == [[2, 2]]
            pair, plain = session.run((Pair(double, triple),), {x: [[1, 2]]}), session.run(((double, triple),), {x: [[1, 2]]})
            assert type(pair[0]) is Pair and type(plain[0]) is tuple and pair[0].triple.tolist() == [[3, 6]]
            with pytest.raises(errors.InvalidArgumentError, match=r"placeholder 'x' expects shape \(None, 2\) but was fed shape \(3,\)"):
                session.run([double, triple], {x: [1, 2, 3]})
            with pytest.raises(errors.InvalidArgumentError, match=r"placeholder 'x' must be numbers, got strings"):
                session.run([double, triple], {x: [['a', 'b']]})
        session.close()
        with pytest.raises(errors.SessionClosedError):
            session.run([double, triple], {x: [[1, 2]]})

def test_a_remembered_run_skips_the_check_only_for_an_array_of_the_dtype_and_shape_it_accepted_last():
    "A checked run remembers each fed node's last accepted (dtype, shape); anything else is converted or refused as on the first call."
    with tf.Graph().as_default():
        x = tf.placeholder(tf.float32, shape=[None, 2], name='x')
        n = tf.placeholder(tf.int32, shape=[], name='n')
        y = x * tf.cast(n, tf.float32)
        session = tf.Session()
        a = np.array([[1, 2]], np.float32)
        for _ in range(2):   # the first call checks in full and remembers; the second takes the shortcut
            out = session.run([y], {x: a, n: np.array(3, np.int32)})[0]
            assert out.dtype == np.float32 and out.tolist() == [[3, 6]]
        # another dtype for x: converted as convert_feed converts it (float64 -> float32), not passed on as float64
        out = session.run([y], {x: np.array([[0.5, 1.5]]), n: np.array(2, np.int32)})[0]
        assert out.dtype == np.float32 and out.tolist() == [[1, 3]]
        # the shortcut is per node and per call: n's int32 0-d is still accepted, a list for x is converted
        assert session.run([y], {x: [[1, 1], [2, 2]], n: np.array(1, np.int32)})[0].tolist() == [[1, 1], [2, 2]]
        # an array of the accepted dtype reshaped in place after being accepted is checked again
        b = np.array([[1, 2]], np.float32); session.run([y], {x: b, n: np.array(1, np.int32)})
        b.shape = (2, 1)
        with pytest.raises(errors.InvalidArgumentError, match=r"placeholder 'x' expects shape \(None, 2\) but was fed shape \(2, 1\)"):
            session.run([y], {x: b, n: np.array(1, np.int32)})
        with pytest.raises(errors.InvalidArgumentError, match=r"placeholder 'n' expects shape \(\) but was fed shape \(1,\)"):
            session.run([y], {x: a, n: np.array([1], np.int32)})
        # an ndarray subclass is never taken as it is
        class Tagged(np.ndarray): pass
        out = session.run([y], {x: a.view(Tagged), n: np.array(2, np.int32)})[0]
        assert type(out) is np.ndarray and out.tolist() == [[2, 4]]
