"Chapter 5's plain loop and chapter 28's compiled plans agree, value for value, on random graphs and their gradients."
import re
import warnings

import numpy as np
import pytest
from hypothesis import given, note, settings, HealthCheck, strategies as st

import deepscratch as tf
from deepscratch import errors
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


def training(plan_class, use_locking=False):
    "Five SGD steps of a small ReLU network with softmax cross-entropy run by `plan_class`: the losses and the final weights."
    rng = np.random.default_rng(3)
    X, Y = rng.random((8, 5)).astype(np.float32), np.eye(3, dtype=np.float32)[rng.integers(0, 3, 8)]
    with tf.Graph().as_default():
        x, y = tf.placeholder(tf.float32, [None, 5]), tf.placeholder(tf.float32, [None, 3])
        w1, b1 = tf.Variable(rng.standard_normal((5, 4)).astype(np.float32)), tf.Variable(np.zeros(4, np.float32))
        w2, b2 = tf.Variable(rng.standard_normal((4, 3)).astype(np.float32)), tf.Variable(np.zeros(3, np.float32))
        logits = tf.nn.relu(x @ w1 + b1) @ w2 + b2
        loss = tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits_v2(labels=y, logits=logits))
        train = tf.train.GradientDescentOptimizer(0.5, use_locking=use_locking).minimize(loss)
        session = tf.Session()
        session.plan_class = plan_class
        losses = [session.run([train, loss], {x: X, y: Y})[1] for _ in range(5)]
        return losses, session.run([w1, b1, w2, b2]), session


def test_inline_templates_buffer_reuse_and_the_descent_update_agree_with_the_plain_loop():
    for use_locking in (False, True):
        (plain_losses, plain_w, _), (losses, w, session) = training(Plan, use_locking), training(CompiledPlan, use_locking)
        np.testing.assert_array_equal(plain_losses, losses)
        for a, b in zip(plain_w, w): np.testing.assert_array_equal(a, b)
        source = max(session._plans.values(), key=lambda p: len(p.steps)).source
        assert ' @ ' in source and ' += ' in source and 'np.maximum(' in source   # inline code, and a dead buffer reused


def test_a_fetched_value_is_never_a_reused_buffer():
    with tf.Graph().as_default():
        x = tf.placeholder(tf.float64, [None, 2])
        h = x @ tf.constant(np.eye(2) * 2)
        s = h + tf.constant(np.ones(2))
        X = np.array([[1.0, 2.0]])
        got_h, got_s = tf.Session().run([h, s], {x: X})
        np.testing.assert_array_equal(got_h, [[2.0, 4.0]])   # `h` is fetched: `s` got a buffer of its own
        np.testing.assert_array_equal(got_s, [[3.0, 5.0]])


def test_a_failing_template_reports_the_ops_own_error():
    with tf.Graph().as_default():
        a, b = tf.placeholder(tf.float64), tf.placeholder(tf.float64)
        product = tf.matmul(a, b, name='product')
        feed = {a: np.ones((2, 3)), b: np.ones((4, 2))}
        messages = []
        for plan_class in (Plan, CompiledPlan):
            session = tf.Session()
            session.plan_class = plan_class
            try: session.run(product, feed)
            except tf.errors.InvalidArgumentError as e: messages.append(str(e))
        assert len(messages) == 2 and messages[0] == messages[1] and 'inner dimensions 3 and 4 differ' in messages[0]


def test_a_buffer_handed_on_by_a_called_compute_is_never_reused():
    # SumToShape and Identity may return their input itself: a buffer they read is shared, so no later line writes into it
    with tf.Graph().as_default():
        x = tf.placeholder(tf.float64, [None, 2])
        h = x @ tf.constant(np.eye(2) * 2)
        kept = tf.identity(h)
        s = tf.nn.relu(kept) + (h + tf.constant(np.ones(2)))
        got_kept, got_s = tf.Session().run([kept, s], {x: np.array([[1.0, -2.0]])})
        np.testing.assert_array_equal(got_kept, [[2.0, -4.0]])
        np.testing.assert_array_equal(got_s, [[5.0, -3.0]])


@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
@given(sizes=st.lists(st.integers(1, 4), min_size=1, max_size=3), dtype=st.sampled_from([np.float32, np.float64]),
       keepdims=st.booleans(), unknown_batch=st.booleans(), data=st.data())
def test_the_mean_templates_and_its_gradients_agree_bit_for_bit(sizes, dtype, keepdims, unknown_batch, data):
    "reduce_mean's template (sum, then divide in the input's float type) and its gradient's (count, division, spread)."
    rank = len(sizes)
    axis = data.draw(st.none() | st.lists(st.integers(-rank, rank - 1), min_size=1, max_size=rank, unique_by=lambda a: a % rank))
    value = np.random.default_rng(rank).normal(size=sizes).astype(dtype) * 3
    with tf.Graph().as_default():
        x = tf.placeholder(dtype, [None if unknown_batch else sizes[0], *sizes[1:]])
        mean = tf.reduce_mean(x * x, axis=axis, keepdims=keepdims)
        (grad,) = tf.gradients(tf.reduce_mean(mean * mean), [x])
        results = {}
        for plan_class in (Plan, CompiledPlan):
            session = tf.Session()
            session.plan_class = plan_class
            results[plan_class] = session.run([mean, grad], {x: value})
        source = next(iter(session._plans.values())).source
    assert 'np.add.reduce(' in source and ('np.true_divide(' in source or '.size if ' in source)   # the mean's template was used
    for a, b in zip(results[Plan], results[CompiledPlan]):
        np.testing.assert_array_equal(a, b)
        assert np.shape(a) == np.shape(b) and np.asarray(a).dtype == np.asarray(b).dtype == dtype
    np.testing.assert_allclose(results[Plan][0], np.mean(value * value, axis=None if axis is None else tuple(axis), keepdims=keepdims),
                               rtol=1e-6 if dtype == np.float32 else 1e-12)


@pytest.mark.parametrize('dtype', [np.float32, np.float64])
def test_the_mean_of_nothing_warns_and_gives_nan_as_np_mean_does_from_both_executors(dtype):
    "The mean of all of an empty batch: NaN, with np.mean's two warnings, from the plain loop and the template alike (no other value)."
    with tf.Graph().as_default():
        x = tf.placeholder(dtype, [None, 3])
        mean = tf.reduce_mean(x * x)
        found = {}
        for plan_class in (Plan, CompiledPlan):
            session = tf.Session()
            session.plan_class = plan_class
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter('always')
                found[plan_class] = session.run(mean, {x: np.zeros((0, 3), dtype)}), [str(w.message) for w in caught]
        assert '.size if ' in next(iter(session._plans.values())).source   # the template ran
    (plain, plain_warnings), (compiled, compiled_warnings) = found[Plan], found[CompiledPlan]
    assert np.isnan(plain) and np.isnan(compiled) and type(plain) is type(compiled) is dtype
    assert plain_warnings == compiled_warnings and any('empty' in w for w in plain_warnings), plain_warnings
    with warnings.catch_warnings(record=True) as caught:   # with a batch: no warning from either
        warnings.simplefilter('always')
        np.testing.assert_array_equal(session.run(mean, {x: np.full((2, 3), 2, dtype)}), 4)
    assert not caught

def test_a_buffer_is_reused_when_the_sizes_known_only_at_run_time_allow_it():
    "(None, 3) times (None, 3): in place when the fed batches agree, a fresh broadcast when one of them is 1; as the plain loop gives."
    with tf.Graph().as_default():
        x, z = tf.placeholder(tf.float32, [None, 3]), tf.placeholder(tf.float32, [None, 3])
        y = (x * 2.0) * z                      # x * 2.0 is this run's own array, dead after the product
        (dx,) = tf.gradients(tf.reduce_sum(tf.nn.relu(x * 3.0) * z), [x])   # a ReluGrad of (None, 3) values
        sessions = [tf.Session(), tf.Session()]
        sessions[0].plan_class, sessions[1].plan_class = Plan, CompiledPlan
        X, Z = np.array([[1, -2, 3]], np.float32), np.array([[1, 2, 3], [4, 5, 6]], np.float32)
        for xs, zs in ((np.vstack([X, -X]), Z), (X, Z), (np.vstack([X, -X]), Z[:1])):
            (plain_y, plain_dx), (got_y, got_dx) = (s.run([y, dx], {x: xs, z: zs}) for s in sessions)
            np.testing.assert_array_equal(got_y, (xs * np.float32(2)) * zs)          # broadcast when the batches differ
            assert got_y.shape == plain_y.shape and got_dx.shape == plain_dx.shape == xs.shape
            np.testing.assert_array_equal(got_dx, plain_dx)
        source = max(sessions[1]._plans.values(), key=lambda p: len(p.steps)).source
        assert 'if np.shape(' in source and '*= ' in source   # the run-time condition and the in-place product


def tutorial_training(plan_class, batches):
    "Chapter 10's network with untyped placeholders, trained by SGD on `batches` (points, labels): the losses and final weights."
    rng = np.random.default_rng(3)
    with tf.Graph().as_default():
        X, c = tf.placeholder(), tf.placeholder()
        W1, W2 = tf.Variable(rng.standard_normal((2, 3))), tf.Variable(rng.standard_normal((3, 2)))
        b1, b2 = tf.Variable(rng.standard_normal(3)), tf.Variable(rng.standard_normal(2))
        p = tf.softmax(tf.add(tf.matmul(tf.sigmoid(tf.add(tf.matmul(X, W1), b1)), W2), b2))
        J = tf.negative(tf.reduce_sum(tf.reduce_sum(tf.multiply(c, tf.log(p)), axis=1)))
        train = tf.train.GradientDescentOptimizer(0.05).minimize(J)
        session = tf.Session()
        session.plan_class = plan_class
        session.run(tf.global_variables_initializer())
        losses = [session.run([train, J], {X: x, c: y})[1] for x, y in batches]
        return losses, session.run([W1, b1, W2, b2]), session


def tutorial_batches(sizes, dtype=np.float64, seed=0):
    rng = np.random.default_rng(seed)
    return [(rng.standard_normal((n, 2)).astype(dtype), np.eye(2, dtype=dtype)[rng.integers(0, 2, n)]) for n in sizes]


def test_plans_of_untyped_graphs_are_specialised_to_each_signature_and_agree_bit_for_bit():
    batches = tutorial_batches([100, 100, 7, 100, 7, 1]) + tutorial_batches([5, 5], np.float32, seed=1)
    (plain_losses, plain_w, _), (losses, w, session) = tutorial_training(Plan, batches), tutorial_training(CompiledPlan, batches)
    assert plain_losses == losses   # the same bits, run by run
    for a, b in zip(plain_w, w): np.testing.assert_array_equal(a, b)
    plan = max(session._plans.values(), key=lambda p: len(p.steps))
    assert plan.open and 'F[' in plan.source and 'np.where' not in plan.source   # the general code calls the ops
    # one code per signature: batch 100, 7 and 1 in float64, 5 in float32 (the float64 weights refuse it: the general ops)
    keys = {(tuple(str(d) for d, _ in key), tuple(s for _, s in key)) for key in plan.specialized}
    assert keys == {(('float64', 'float64'), ((n, 2), (n, 2))) for n in (100, 7, 1)} | {(('float32', 'float32'), ((5, 2), (5, 2)))}
    specialised = plan.specialized[((np.dtype('float64'), (7, 2)), (np.dtype('float64'), (7, 2)))].source
    assert 'np.copyto(' in specialised and 'np.maximum.reduce(' in specialised and 'F[1]' not in specialised   # sigmoid, softmax, matmul inline
    # the gradient's seed and its two spreads are made once (no ones or spreads in the code), the update is written inline
    assert 'np.empty' not in specialised and 'np.ones' not in specialised and 'with L: T[x' in specialised


def test_a_specialised_plan_names_the_node_that_fails_and_gives_up_specialising_past_its_limit():
    with tf.Graph().as_default():
        x, w = tf.placeholder(), tf.Variable(np.ones((3, 2)))
        y = tf.reduce_sum(tf.sigmoid(tf.matmul(x, w, name='product')))
        session = tf.Session()
        session.run(tf.global_variables_initializer())
        plain = tf.Session(); plain.plan_class = Plan; plain.run(tf.global_variables_initializer())
        for n in range(1, 13):   # twelve signatures: the first 8 get their own code, the others the general code
            value = np.linspace(-30, 30, 3 * n).reshape(n, 3)
            assert session.run(y, {x: value}) == plain.run(y, {x: value})
        plan = next(p for p in session._plans.values() if p.num_fed)
        assert len(plan.specialized) == CompiledPlan.max_specialized == 8
        try: session.run(y, {x: np.ones((2, 4))})   # a new signature that the product refuses
        except tf.errors.InvalidArgumentError as e: assert 'product' in str(e) and '(2, 4)' in str(e)
        else: raise AssertionError('a wrong shape ran')
        plan.specialized.clear()
        try: session.run(y, {x: np.ones((2, 4))})   # now through specialised code (whose inline product fails)
        except tf.errors.InvalidArgumentError as e: assert 'product' in str(e) and '(2, 4)' in str(e)
        else: raise AssertionError('a wrong shape ran')
        assert len(plan.specialized) == 1


def both(build, runs):
    "For the plain loop and the compiled plan: a session on the graph `build()` makes, and what `runs(session, nodes)` returns."
    out = []
    for plan_class in (Plan, CompiledPlan):
        with tf.Graph().as_default():
            nodes = build()
            session = tf.Session()
            session.plan_class = plan_class
            out.append((session, runs(session, nodes)))
    return out


def test_constants_are_made_once_never_fetched_never_changed_and_a_division_by_zero_still_warns_each_run():
    def build():
        x = tf.placeholder(tf.float64, [3])
        two = tf.ones_like(x) + tf.ones_like(x)             # the same array every run, once the shape is known
        zero = tf.ones_like(x) - tf.ones_like(x)
        return x, two, x * two, x * (tf.ones_like(x) / zero)   # 1 / 0: left to the run, which warns
    def runs(session, nodes):
        x, two, doubled, infinite = nodes
        results = []
        for value in (np.array([1.0, -2.0, 0.5]), np.array([3.0, 4.0, -5.0])):
            got_two, got_doubled = session.run([two, doubled], {x: value})
            np.testing.assert_array_equal(got_two, [2.0, 2.0, 2.0])
            got_two += 1   # a fetched value is the caller's: writable, and no later run sees this
            with pytest.warns(RuntimeWarning): got_infinite = session.run(infinite, {x: value})
            results.append((got_doubled, session.run(doubled, {x: value}), got_infinite))
        return results
    (_, plain), (session, compiled) = both(build, runs)
    for a, b in zip(plain, compiled):
        for p, c in zip(a, b): np.testing.assert_array_equal(p, c)
    np.testing.assert_array_equal(compiled[1][1], [6.0, 8.0, -10.0])
    doubled_alone = next(p for p in session._plans.values() if len(p.fetched) == 1 and 'np.true_divide' not in p.source
                         and '/' not in p.source and p.num_fed)
    assert 'np.ones' not in doubled_alone.source and '= c' in doubled_alone.source   # the two is a constant of the code
    fetching_two = next(p for p in session._plans.values() if len(p.fetched) == 2)
    assert fetching_two.source.count(' = c') == 2   # the two ones are constants; their sum, fetched, is made by each run


def test_an_update_written_inline_gives_way_to_the_general_step_for_a_reshaped_variable_and_a_closed_session():
    def build():
        x = tf.placeholder(tf.float64, [None, 3])
        w = tf.Variable(np.arange(3.0))
        b = tf.Variable(np.zeros(3))
        loss = tf.reduce_sum(x * w + b)
        return x, w, b, tf.train.GradientDescentOptimizer(0.1).minimize(loss), tf.assign(w, [5.0], validate_shape=False)
    def runs(session, nodes):
        x, w, b, train, reshape = nodes
        session.run(tf.global_variables_initializer())
        values = np.linspace(-1, 1, 12).reshape(4, 3)
        for _ in range(3): session.run(train, {x: values})
        trained = session.run([w, b])
        session.run(reshape)   # w now holds one number, which x * w broadcasts: its gradient is one number too
        try: session.run(train, {x: values})   # ... which the update refuses to store in a variable of shape (3,)
        except Exception as e: failed = (type(e), str(e))
        else: failed = None
        after = session.run([w, b])
        inline = any('with L: T[x' in p.source and ' *= m' in p.source for p in session._plans.values() if hasattr(p, 'source'))
        session.close()
        try: session.run(train, {x: values})
        except Exception as e: closed = (type(e), str(e))
        else: closed = None
        return trained + after, closed, inline, failed
    (_, plain), (session, compiled) = both(build, runs)
    for p, c in zip(plain[0], compiled[0]): np.testing.assert_array_equal(p, c)
    np.testing.assert_array_equal(compiled[0][2], [5.0])   # the failed step changed nothing, b neither
    np.testing.assert_array_equal(compiled[0][3], compiled[0][1])
    # both refuse the step, naming the variable (the plain loop's gradient has the value's shape, the compiled code's the
    # static one: an assignment with validate_shape=False leaves the graph's static shape of the variable untrue)
    assert plain[3][0] is compiled[3][0] is tf.errors.InvalidArgumentError and all("'Variable'" in r[3][1] for r in (plain, compiled))
    assert plain[1] == compiled[1] and compiled[1][0] is tf.errors.SessionClosedError
    assert compiled[2] and not plain[2]   # the compiled update was written inline, in the gradients' buffers

@pytest.mark.parametrize('dtype', [np.float16, np.float32, np.float64])
@pytest.mark.parametrize('shape', [(1, 10), (63, 10), (64, 2), (100, 3), (2048, 10), (70, 16), (70, 17), (64, 1), (0, 10), (5,)])
def test_the_softmax_cross_entropy_step_gives_computes_bits_and_warnings(shape, dtype):
    "The compiled step of SoftmaxCrossEntropyParts (a column-wise max over a short class axis, buffers reused) against chapter 7's compute."
    from deepscratch.compiled import _parts_step
    from deepscratch.criterion import SoftmaxCrossEntropyParts
    rng = np.random.default_rng(len(shape) * 1000 + shape[0])
    logits = (rng.standard_normal(shape) * 10.0 ** rng.integers(-3, 3, shape)).astype(dtype)
    mask = rng.random(shape) < 0.05
    logits[mask] = rng.choice(np.array([0.0, -0.0, 1e4, -1e4, np.inf, -np.inf, np.nan], dtype), mask.sum())
    labels = rng.random(shape).astype(dtype)
    with tf.Graph().as_default():
        node = SoftmaxCrossEntropyParts(tf.constant(labels), tf.constant(logits))
    step = _parts_step(node)
    with warnings.catch_warnings(record=True) as ours:
        warnings.simplefilter('always')
        loss, grad = step(labels, logits)
    with warnings.catch_warnings(record=True) as theirs:
        warnings.simplefilter('always')
        ref_loss, ref_grad = node.compute(labels, logits)
    for got, want in ((loss, ref_loss), (grad, ref_grad)):
        assert got.dtype == want.dtype and got.shape == want.shape
        assert np.array_equal(got, want, equal_nan=True) and np.array_equal(np.signbit(got), np.signbit(want))
    assert sorted(str(w.message) for w in ours) == sorted(str(w.message) for w in theirs)


@pytest.mark.parametrize('dtype', [np.float16, np.float32, np.float64])
@pytest.mark.parametrize('rows, labels_rows, n', [(1, 1, 10), (63, 63, 10), (99, 99, 10), (100, 100, 10), (5, 5, 1), (3, 3, 17),
                                                  (0, 0, 10), (4, 1, 10)])
def test_the_softmax_cross_entropy_written_out_agrees_with_the_plain_loop_bit_for_bit(rows, labels_rows, n, dtype):
    """The parts written into the generated code (fewer rows than the column rule's 10n), and the called step they give
    way to (10n rows or more, labels broadcast over the batch, no rows): the loss, its gradient and the warnings of chapter 5's loop."""
    rng = np.random.default_rng(rows * 100 + n)
    logits = _specials((rows, n), dtype, rows) if rows > 1 else rng.standard_normal((rows, n)).astype(dtype)
    labels = rng.random((labels_rows, n)).astype(dtype)
    found = {}
    with tf.Graph().as_default():
        y, z = tf.placeholder(dtype, [None, n]), tf.placeholder(dtype, [None, n])
        loss = tf.nn.softmax_cross_entropy_with_logits_v2(labels=y, logits=z)
        (grad,) = tf.gradients(tf.reduce_sum(loss), [z])
        for plan_class in (Plan, CompiledPlan):
            session = tf.Session()
            session.plan_class = plan_class
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter('always')
                found[plan_class] = session.run([loss, grad], {y: labels, z: logits}), sorted(str(w.message) for w in caught)
        source = next(iter(session._plans.values())).source
    assert '_t = np.subtract(' in source and ' else: ' in source   # written out, with the called step beside it
    (plain, plain_warnings), (compiled, compiled_warnings) = found[Plan], found[CompiledPlan]
    assert plain_warnings == compiled_warnings
    for p, c in zip(plain, compiled): assert _same_bits(p, c), (p, c)
    assert compiled[0].shape == (rows,) and compiled[1].shape == (rows, n)

def _specials(shape, dtype, seed):
    "Values from 1e-3 to 1e3 with zeros of both signs, +-1e4, infinities and NaNs mixed in; rows of zeros."
    rng = np.random.default_rng(seed)
    value = rng.standard_normal(shape) * 10.0 ** rng.integers(-3, 3, shape)
    mask = rng.random(shape) < 0.05
    value[mask] = rng.choice(np.array([0.0, -0.0, 1e4, -1e4, np.inf, -np.inf, np.nan]), mask.sum())
    rows = value.reshape(-1, shape[-1])   # (a view) a row of -0s, whose sum numpy makes +0, and one of -0s and a +0
    rows[0], rows[1], rows[1, -1] = -0.0, -0.0, 0.0
    return value.astype(dtype)

def _same_bits(a, b):
    return a.dtype == b.dtype and a.shape == b.shape and np.array_equal(a, b, equal_nan=True) and np.array_equal(np.signbit(a), np.signbit(b))

@pytest.mark.parametrize('dtype', [np.float32, np.float64])
@pytest.mark.parametrize('shape, offset', [((128, 128), 0), ((200, 128), 1), ((16383,), 0), ((16384,), 3), ((3, 8192), 0), ((2, 50, 170), 5)])
def test_a_wide_relu_taken_by_blocks_of_zeros_agrees_bit_for_bit(shape, offset, dtype):
    """ReLU of WIDE elements or more, compared block by block with zeros (`_relu_by_blocks`), fresh and in place, of
    contiguous and transposed values: the bits of chapter 5's np.maximum(x, 0), NaN payloads and -0s included."""
    from deepscratch.compiled import WIDE
    size = int(np.prod(shape))
    flat = _specials((size + offset, 1), dtype, size).ravel()
    ints = flat.view(np.uint32 if dtype == np.float32 else np.uint64)
    ints[1::97] = 0x7fc12345 if dtype == np.float32 else 0x7ff8000012345678   # NaNs with a payload
    sign = np.array(1, ints.dtype) << (31 if dtype == np.float32 else 63)
    ints[3::97] = ints[1::97][:len(ints[3::97])] | sign   # and NaNs with the sign bit set
    value = flat[offset:].reshape(shape)   # (at an offset: not aligned as numpy aligns its own arrays)
    with tf.Graph().as_default():
        x = tf.placeholder(dtype, [None, *shape[1:]])
        fresh = tf.nn.relu(x)                            # x is fed: a new array
        in_place = tf.nn.relu(x * 3.0)                   # x * 3 is this run's own, dead after: written over
        turned = tf.nn.relu(tf.transpose(x * 2.0)) if len(shape) == 2 else tf.nn.relu(x - 1.0)
        (grad,) = tf.gradients(tf.reduce_sum(fresh) + tf.reduce_sum(turned), [x])   # (x * 3 is read by nothing else)
        results = {}
        for plan_class in (Plan, CompiledPlan):
            session = tf.Session()
            session.plan_class = plan_class
            with np.errstate(all='ignore'): results[plan_class] = session.run([fresh, in_place, turned, grad], {x: value})
        source = next(iter(session._plans.values())).source
    assert source.count('R(') == 3 and re.search(r'R\((v\d+), \1\)', source) and source.count(f'.size >= {WIDE}') == 3   # one in place
    for p, c in zip(results[Plan], results[CompiledPlan]): assert _same_bits(p, c)
    relu = results[CompiledPlan][0]
    assert (np.isnan(relu) & np.signbit(relu)).any() and (np.isnan(relu) & ~np.signbit(relu)).any()   # (NaNs of both signs came through)

@pytest.mark.parametrize('dtype', [np.float32, np.float64])
@pytest.mark.parametrize('shape', [(2048, 128), (300, 10), (200, 128), (3, 50, 170), (4, 4097)])
def test_a_row_added_to_many_rows_by_blocks_agrees_bit_for_bit(shape, dtype):
    """x + b, x - b, x * b for a row b and x of WIDE elements or more: blocks of rows meeting the row repeated
    (`_by_row_blocks`), fresh and in place, leftover rows; a transposed x and a row longer than BLOCK / 2 as numpy broadcasts."""
    from deepscratch.gradients import MatMulGrad
    n = shape[-1]
    value, row = _specials(shape, dtype, n), _specials((3, n), dtype, n + 1)[2]   # (its rows 0 and 1 are zeros)
    with tf.Graph().as_default():
        x, b = tf.placeholder(dtype, [None, *shape[1:]]), tf.placeholder(dtype, [n])
        xt = tf.placeholder(dtype, [n, None])   # x transposed: tf.transpose(xt * 5) is a view, not C-contiguous
        fresh = [x + b, x - b, x * b]                          # x is fed: new arrays
        in_place = [(x * 2.0) + b, (x * 3.0) - b, (x * 4.0) * b]   # this run's own products, dead after: written over
        turned = tf.transpose(xt * 5.0) + b if len(shape) == 2 else x + b
        g, w = tf.placeholder(dtype, [n, 4]), tf.placeholder(dtype, [None, 4])   # x.T @ w's gradient for x, (g @ w.T).T: a transposed view
        gx = MatMulGrad(g, x, w, transpose_a=True, transpose_b=False, wrt=0) if len(shape) == 2 else x * 6.0
        fetches = [*fresh, *in_place, turned, gx + b]   # (gx + b: in place, in gx's buffer, which is not C-contiguous)
        results = {}
        for plan_class in (Plan, CompiledPlan):
            session = tf.Session()
            session.plan_class = plan_class
            with np.errstate(all='ignore'): results[plan_class] = session.run(fetches, {x: value, b: row, xt: value.reshape(-1, n).T.copy(), g: _specials((n, 4), dtype, 7), w: _specials((shape[0], 4), dtype, 8)})
        source = next(iter(session._plans.values())).source
    blocked = source.count('B(np.')
    assert blocked == (0 if n > 4096 else 8), source
    for p, c in zip(results[Plan], results[CompiledPlan]): assert _same_bits(p, c)

# (rows, classes): maxima by columns from 10n rows (2-16 classes), sums from 24n rows (2-16 classes, float32/float64;
# numpy's row sums one after another below 8 classes, pairwise from 8: blocks of 8 and leftovers)
SHORT_AXES = [(100, 2), (20, 2), (64, 3), (72, 3), (150, 7), (200, 7), (2048, 8), (7, 10, 16), (100, 17), (63, 4),
              (240, 10), (239, 10), (300, 12), (400, 16), (24, 16, 15)]

@pytest.mark.parametrize('dtype', [np.float16, np.float32, np.float64])
@pytest.mark.parametrize('shape', SHORT_AXES)
@pytest.mark.parametrize('typed', [True, False])
def test_a_softmax_over_a_short_axis_taken_column_by_column_agrees_bit_for_bit(shape, typed, dtype):
    "The Softmax template's column-wise maxima and sums, and its gradient's, against the plain loop: the same bits and warnings."
    value = _specials(shape, dtype, shape[0] * 100 + shape[-1])
    def build():
        x = tf.placeholder(tf.as_dtype(dtype), shape) if typed else tf.placeholder()
        p = tf.nn.softmax(x)
        return x, p, tf.gradients(tf.reduce_sum(p * p), x)[0]
    def runs(session, nodes):
        x, p, g = nodes
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter('always')
            values = [session.run([p, g], {x: value}) for _ in range(2)]
        return values, sorted(str(w.message) for w in caught)
    (_, (plain, plain_warnings)), (compiled_session, (compiled, compiled_warnings)) = both(build, runs)
    for (p1, g1), (p2, g2) in zip(plain, compiled):
        assert _same_bits(p1, p2) and _same_bits(g1, g2)
    assert plain_warnings == compiled_warnings   # (a sum of exponentials of x - max cannot overflow: no warning differs)
    plan = max(compiled_session._plans.values(), key=lambda plan: len(plan.nodes))
    source = (plan if typed else plan.code_for([value])).source
    rows, n = int(np.prod(shape[:-1])), shape[-1]
    assert ('_m = np.maximum(' in source) == (2 <= n <= 16 and rows >= 10 * n)
    assert source.count('_s += 0') == (2 if 2 <= n <= 16 and rows >= 24 * n and dtype != np.float16 else 0)   # softmax and its gradient

@pytest.mark.parametrize('dtype', [np.float16, np.float32, np.float64])
@pytest.mark.parametrize('shape', SHORT_AXES)
@pytest.mark.parametrize('keepdims', [True, False])
def test_a_sum_over_a_short_last_axis_taken_column_by_column_agrees_bit_for_bit(shape, keepdims, dtype):
    """reduce_sum over the last axis (as `axis=-1` and as the axis's number) and its gradient, plain loop against
    compiled plan: the same bits; the warnings of the same kinds (numpy names the operation `add` for columns added,
    `reduce` for its own sum)."""
    value = _specials(shape, dtype, shape[0] * 10 + shape[-1])
    def build():
        x = tf.placeholder(tf.as_dtype(dtype), shape)
        s1, s2 = tf.reduce_sum(x, axis=-1, keepdims=keepdims), tf.reduce_sum(x * x, axis=len(shape) - 1, keepdims=keepdims)
        return x, s1, s2, tf.gradients(tf.reduce_sum(s2 * s1), x)[0]
    def runs(session, nodes):
        x, *fetches = nodes
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter('always')
            values = [session.run(fetches, {x: value}) for _ in range(2)]
        return values, {str(w.message).replace(' in reduce', ' in add') for w in caught}
    (_, (plain, plain_warnings)), (compiled_session, (compiled, compiled_warnings)) = both(build, runs)
    for a, b in zip(plain, compiled):
        assert all(_same_bits(u, v) for u, v in zip(a, b))
    assert plain_warnings == compiled_warnings
    plan = max(compiled_session._plans.values(), key=lambda plan: len(plan.nodes))
    rows, n = int(np.prod(shape[:-1])), shape[-1]
    assert plan.source.count('_s += 0') == (2 if 2 <= n <= 16 and rows >= 24 * n and dtype != np.float16 else 0)

@pytest.mark.parametrize('dtype', [np.float16, np.float32, np.float64])
@pytest.mark.parametrize('rows', [1, 3])
@pytest.mark.parametrize('static', [True, False])
def test_a_product_over_an_axis_of_one_taken_as_an_outer_product_agrees_bit_for_bit(rows, static, dtype):
    """x @ w for x of `rows` x 1 and w of 1 x 5, with both transposes, and the gradients of x1 @ w1 for a batch of
    `rows` (x1.T @ g and g @ w1.T); the plain loop (numpy's matmul) against the compiled plan (a broadcast product
    when the contracted axis is 1, known now or checked at run time): the same bits, zeros' signs included."""
    rng = np.random.default_rng(rows)
    def values(shape):
        v = (rng.standard_normal(shape) * 10.0 ** rng.integers(-3, 3, shape)).astype(dtype)
        v.flat[0] = -0.0   # -0 times a positive number is -0: numpy's matmul makes it +0
        if v.size >= 3: v.flat[1], v.flat[-1] = 2.0, np.inf
        return v
    x, w, x1, w1 = values((rows, 1)), values((1, 5)), values((rows, 4)), values((4, 1))
    def build():
        shape = lambda s: s if static else [None] * len(s)
        px, pw, p1 = (tf.placeholder(tf.as_dtype(dtype), shape(v.shape)) for v in (x, w, x1))
        v1 = tf.Variable(w1)
        products = [px @ pw, tf.matmul(tf.transpose(px), tf.transpose(pw), transpose_a=True, transpose_b=True),
                    tf.matmul(tf.transpose(px), pw, transpose_a=True)]
        return (px, pw, p1), products + tf.gradients(tf.reduce_sum(tf.sin(p1 @ v1)), [p1, v1])
    def runs(session, nodes):
        fed, fetches = nodes
        session.run(tf.global_variables_initializer())
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter('always')
            got = [session.run(fetches, dict(zip(fed, (x, w, x1)))) for _ in range(2)]
        return got, {str(w.message).replace(' in matmul', ' in multiply') for w in caught}
    (_, (plain, plain_warnings)), (session, (compiled, compiled_warnings)) = both(build, runs)
    for a, b in zip(plain, compiled):
        assert all(_same_bits(u, v) for u, v in zip(a, b))
    assert plain_warnings == compiled_warnings
    source = max(session._plans.values(), key=lambda plan: len(plan.nodes)).source
    outer = source.count('+= 0')
    # known: the 3 products, g @ w1.T, and x1.T @ g if rows is 1; unknown: those 5 and p1 @ v1, checked when run
    assert outer == (0 if dtype == np.float16 else (5 if rows == 1 else 4) if static else 6)

def test_fetched_values_come_back_as_tf_returns_them_from_both_executors():
    "Fed arrays fetched (as themselves, through identity, reshape, a slice) are copies; 0-d values are numpy scalars; fresh arrays are returned writable."
    def build():
        x = tf.placeholder(tf.float32, [2, 3])
        return x, [x, tf.identity(x), tf.reshape(x, [3, 2]), x[0], x + 1.0, tf.reduce_sum(x), tf.reduce_sum(x, axis=1)]
    def runs(session, nodes):
        x, fetches = nodes
        fed = np.arange(6, dtype=np.float32).reshape(2, 3)
        got = session.run(fetches, {x: fed})
        kinds = [(type(v).__name__, getattr(v, 'dtype', None), np.shape(v)) for v in got]
        shares = [isinstance(v, np.ndarray) and np.shares_memory(v, fed) for v in got]
        writable = [v.flags.writeable for v in got if isinstance(v, np.ndarray)]
        fed[:] = -1   # the caller's array changes afterwards: no returned value does
        return [np.asarray(v).tolist() for v in got], kinds, shares, writable
    (_, plain), (_, compiled) = both(build, runs)
    assert plain == compiled
    values, kinds, shares, writable = compiled
    assert values[0] == [[0, 1, 2], [3, 4, 5]] and values[3] == [0, 1, 2] and values[5] == 15 and values[6] == [3, 12]
    assert kinds[5] == ('float32', np.float32, ()) and not any(shares) and all(writable)


class InParts(CompiledPlan):
    part_steps = 2   # a long plan's parts, made short enough that every small graph has several


@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
@given(steps=random_graphs(), static=STATIC_SHAPES, seed=st.integers(0, 2**16), part_steps=st.sampled_from([1, 2, 3, 5]))
def test_code_in_parts_agrees_with_the_plain_loop_on_random_graphs(steps, static, seed, part_steps):
    "Generated code split into parts of 1-5 steps (values crossing parts in V) computes the plain loop's bits, fetching every value or only the gradients."
    note(describe_graph(steps))
    parts = type('Parts', (CompiledPlan,), {'part_steps': part_steps})
    with tf.Graph().as_default():
        xs, feed, loss = graph_loss(steps, static, seed)
        every = [n for n in tf.get_default_graph().get_operations() if n not in feed and n.dtype is not None]
        gradients = [g for g in tf.gradients(loss, xs) if g is not None]
        for fetches in (every + gradients, gradients + [loss]):
            plain, split = run_with(Plan, fetches, feed), run_with(parts, fetches, feed)
            for node, a, b in zip(fetches, plain, split):
                np.testing.assert_array_equal(a, b, err_msg=node.name)
                assert np.shape(a) == np.shape(b) and np.asarray(a).dtype == np.asarray(b).dtype, node.name


def test_training_in_parts_frees_values_names_failures_and_agrees_bit_for_bit():
    "The tutorial's training with its code in parts of 2 steps: the plain loop's losses and weights; a failure in a later part names its node; values are let go."
    batches = tutorial_batches([100, 7, 100])
    (plain_losses, plain_w, _), (losses, w, session) = tutorial_training(Plan, batches), tutorial_training(InParts, batches)
    assert plain_losses == losses
    for a, b in zip(plain_w, w): np.testing.assert_array_equal(a, b)
    plan = max(session._plans.values(), key=lambda p: len(p.steps))
    source = plan.code_for(list(batches[0])).source
    assert source.count('def P') == (len(plan.steps) + 1) // 2 and '; V[' in source and '] = None' in source
    with tf.Graph().as_default():
        a, b = tf.placeholder(tf.float32, name='a'), tf.placeholder(tf.float32, name='b')
        c = tf.identity(tf.identity(tf.identity(a) + 1.0) * 2.0)
        d = tf.matmul(c, b, name='product')
        session = tf.Session(); session.plan_class = InParts
        with pytest.raises(errors.InvalidArgumentError, match=r"product.*\(2, 3\)") as info:
            session.run(tf.identity(d), {a: np.ones((2, 3)), b: np.ones((2, 3))})
        plan, = session._plans.values()
        assert plan.source.count('def P') >= 3 and 'product' not in plan.source

