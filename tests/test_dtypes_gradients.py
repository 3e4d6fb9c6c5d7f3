"""Static dtypes that are true, gradients as TensorFlow gives them, arguments never silently truncated, edge values
as TensorFlow answers them, and training steps that either happen whole or change nothing (issue 15).

The expected messages and values were read off TensorFlow 2.21's `tf.compat.v1` in graph mode (the same op
definitions as TF 1.15): e.g. `tf.sigmoid(tf.constant([1, 2]))` raises "Value passed to parameter 'x' has DataType
int32 not in list of allowed values: bfloat16, float16, float32, float64, complex64, complex128", the gradient of
`pow(x, y)` with respect to `y` at x = [-1, 0, 2], y = 2 is [0, 0, 2.7725887], `reduce_max` of a (2, 0) array over
axis 1 is [-inf, -inf], and an apply step fed a gradient of the wrong shape raises "var and grad do not have the same
shape[2] []". The tests compare with numpy and finite differences; they never need TensorFlow.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st
from hypothesis.extra import numpy as hnp

import deepscratch as tf
from deepscratch import errors
from deepscratch.compiled import CompiledPlan
from deepscratch.optimizer import numerical_gradient
from deepscratch.session import Plan, Session

SETTINGS = settings(max_examples=40, deadline=None, database=None)
FLOATING = 'bfloat16, float16, float32, float64, complex64, complex128'
SOFTMAX = 'float16, bfloat16, float32, float64'
INTEGER_DTYPES = [tf.int8, tf.int16, tf.int32, tf.int64, tf.uint8, tf.bool]


# ---------------------------------------------------------------- static dtypes are true

FLOAT_ONLY = {   # builder, numpy, TF's name of the checked parameter, TF's list of allowed dtypes
    'Sigmoid': (tf.sigmoid, lambda x: 1 / (1 + np.exp(-x)), 'x', FLOATING),
    'Tanh': (tf.tanh, np.tanh, 'x', FLOATING),
    'Exp': (tf.exp, np.exp, 'x', FLOATING),
    'Log': (tf.log, np.log, 'x', FLOATING),
    'Sqrt': (tf.sqrt, np.sqrt, 'x', FLOATING),
    'Sin': (tf.sin, np.sin, 'x', FLOATING),
    'Cos': (tf.cos, np.cos, 'x', FLOATING),
    'Floor': (tf.floor, np.floor, 'x', 'bfloat16, float16, float32, float64'),
    'Softmax': (tf.nn.softmax, lambda x: np.exp(x) / np.exp(x).sum(-1, keepdims=True), 'logits', SOFTMAX),
    'LogSoftmax': (tf.nn.log_softmax, lambda x: x - np.log(np.exp(x).sum(-1, keepdims=True)), 'logits', SOFTMAX),
}

@pytest.mark.parametrize('dtype', INTEGER_DTYPES, ids=lambda d: d.name)
@pytest.mark.parametrize('op_type', FLOAT_ONLY)
def test_float_only_ops_refuse_integers_in_tf_words(op_type, dtype):
    build, _, parameter, allowed = FLOAT_ONLY[op_type]
    with tf.Graph().as_default():
        x = tf.placeholder(dtype, shape=[3])
        with pytest.raises(TypeError) as raised:
            build(x)
    assert str(raised.value) == (f"{op_type}: Value passed to parameter '{parameter}' has DataType {dtype.name} "
                                 f"not in list of allowed values: {allowed}")

@pytest.mark.parametrize('build', [
    lambda i: tf.nn.sigmoid_cross_entropy_with_logits(labels=i, logits=i),
    lambda i: tf.nn.softmax_cross_entropy_with_logits_v2(labels=i, logits=i),
    lambda i: tf.nn.sparse_softmax_cross_entropy_with_logits(labels=tf.constant([0, 1]), logits=i),
], ids=['sigmoid', 'softmax', 'sparse softmax'])
def test_cross_entropies_refuse_integer_logits(build):
    with tf.Graph().as_default():
        with pytest.raises(TypeError, match="has DataType int32 not in list of allowed values"):
            build(tf.constant([[1, 2], [3, 4]]))

MORE_FLOAT_ONLY = {   # builder on an integer tensor -> TF's message (TF 2.21, compat.v1)
    'L2Loss': (lambda i: tf.nn.l2_loss(i), 't', SOFTMAX),
    'AvgPool': (lambda i: tf.nn.avg_pool(tf.reshape(i, [1, 2, 2, 1]), [1, 2, 2, 1], [1, 2, 2, 1], 'SAME'), 'value', SOFTMAX),
    'MatrixInverse': (lambda i: tf.matrix_inverse(i), 'input', 'float64, float32, float16, complex64, complex128'),
    'MatrixDeterminant': (lambda i: tf.matrix_determinant(i), 'input', 'float16, float32, float64, complex64, complex128'),
}

@pytest.mark.parametrize('op_type', MORE_FLOAT_ONLY)
def test_more_float_only_kernels_refuse_integers(op_type):
    build, parameter, allowed = MORE_FLOAT_ONLY[op_type]
    with tf.Graph().as_default():
        with pytest.raises(TypeError) as raised:
            build(tf.constant([[1, 2], [3, 4]]))
    assert str(raised.value) == (f"{op_type}: Value passed to parameter '{parameter}' has DataType int32 "
                                 f"not in list of allowed values: {allowed}")

def test_ops_that_take_integers_still_do():
    "TF's square, abs, relu, maximum and the arithmetic operators take integers: the check is per op, not everywhere."
    with tf.Graph().as_default():
        i = tf.constant([-2, 3])
        nodes = [tf.square(i), tf.abs(i), tf.nn.relu(i), i * i + i - 1, tf.maximum(i, 0)]
        values = tf.Session().run(nodes)
    assert [n.dtype for n in nodes] == [tf.int32] * 5
    assert [v.tolist() for v in values] == [[4, 9], [2, 3], [0, 3], [1, 11], [0, 3]]
    assert all(v.dtype == np.int32 for v in values)

@SETTINGS
@given(op_type=st.sampled_from(sorted(FLOAT_ONLY)), dtype=st.sampled_from([np.float16, np.float32, np.float64]),
       values=hnp.arrays(np.float64, hnp.array_shapes(min_dims=1, max_dims=3, max_side=4),
                         elements=st.floats(0.25, 4, allow_nan=False)))
def test_float_ops_compute_in_the_dtype_they_claim(op_type, dtype, values):
    "The value's dtype is the static dtype for float16, float32 and float64 alike (sigmoid used to compute float16 in float32)."
    build, numpy, _, _ = FLOAT_ONLY[op_type]
    x = values.astype(dtype)
    with tf.Graph().as_default():
        node = build(tf.constant(x))
        value = tf.Session().run(node)
    assert node.dtype.np == dtype and value.dtype == dtype
    expected = numpy(x.astype(np.float64))
    tolerance = {np.float16: 4e-3, np.float32: 1e-6, np.float64: 1e-12}[dtype]
    np.testing.assert_allclose(value.astype(np.float64), expected, rtol=tolerance, atol=tolerance)


# ---------------------------------------------------------------- apply_gradients is checked when it is built

@pytest.mark.parametrize('make', [lambda: tf.train.GradientDescentOptimizer(0.1), lambda: tf.train.MomentumOptimizer(0.1, 0.9),
                                  lambda: tf.train.AdamOptimizer(0.1)], ids=['sgd', 'momentum', 'adam'])
def test_apply_gradients_refuses_a_wrong_gradient_when_built(make):
    with tf.Graph().as_default() as graph:
        v = tf.Variable([1.0, 2.0], name='v')
        opt = make()
        with pytest.raises(TypeError, match=r"the gradient constant 'g64' is float64 but variable 'v' is float32"):
            opt.apply_gradients([(tf.constant([1.0, 1.0], tf.float64, name='g64'), v)])
        with pytest.raises(ValueError, match=r"the gradient constant 'g3' has shape \(3,\) but variable 'v' has shape \(2,\)"):
            opt.apply_gradients([(tf.constant([1.0, 1.0, 1.0], name='g3'), v)])
        assert not [n for n in graph.get_operations() if n.type == 'ApplyGradients']   # no step was made


# ---------------------------------------------------------------- a failed training step changes nothing

OPTIMIZERS = {
    'sgd': lambda: tf.train.GradientDescentOptimizer(0.1),
    'sgd-locking': lambda: tf.train.GradientDescentOptimizer(0.1, use_locking=True),
    'momentum': lambda: tf.train.MomentumOptimizer(0.1, 0.9),
    'nesterov': lambda: tf.train.MomentumOptimizer(0.1, 0.9, use_nesterov=True),
    'adam': lambda: tf.train.AdamOptimizer(0.1),
    'rmsprop': lambda: tf.train.RMSPropOptimizer(0.1),
    'adagrad': lambda: tf.train.AdagradOptimizer(0.1),
}
GOOD_A, GOOD_B = np.array([0.5, -1.0], np.float32), np.array([[1.0, 2.0, 3.0]], np.float32)

def trained(plan_class, make, steps):
    "Variables a = [1, 2], b = [[3, 4, 5]] trained by `make()` on the fed gradients of `steps` (None: the good ones), in a session running `plan_class`; failures counted."
    with tf.Graph().as_default():
        a, b = tf.Variable([1.0, 2.0], name='a'), tf.Variable([[3.0, 4.0, 5.0]], name='b')
        ga, gb = tf.placeholder(tf.float32, name='ga'), tf.placeholder(tf.float32, name='gb')   # shapes known only at run time
        step = make().apply_gradients([(ga, a), (gb, b)])
        session = Session()
        session.plan_class = plan_class
        session.run(tf.global_variables_initializer())
        failures = []
        for bad in steps:
            feed = {ga: GOOD_A, gb: GOOD_B} if bad is None else {ga: GOOD_A, gb: bad}
            before = session.run(tf.global_variables())
            try: session.run(step, feed)
            except errors.InvalidArgumentError as e:
                failures.append(str(e))
                after = session.run(tf.global_variables())   # every variable, slots and Adam's beta powers too
                assert all(x.shape == y.shape and np.array_equal(x, y) for x, y in zip(before, after)), 'a failed step changed a variable'
        return session.run(tf.global_variables()), failures

BAD_SHAPES = st.sampled_from([(), (1,), (3,), (1, 1), (2, 3), (1, 3, 1), (1, 4), (3, 1)])

@SETTINGS
@given(optimizer=st.sampled_from(sorted(OPTIMIZERS)), plan=st.sampled_from([Plan, CompiledPlan]),
       bad_shapes=st.lists(BAD_SHAPES, min_size=1, max_size=3), good_first=st.integers(0, 2))
def test_a_step_fed_a_wrong_shaped_gradient_changes_nothing(optimizer, plan, bad_shapes, good_first):
    """Under both executors: the second variable's gradient has a shape that broadcasting would accept or not; the step raises
    TF's error before writing anything, and the good steps that follow give what they give without the failures."""
    bad = [np.ones(s, np.float32) for s in bad_shapes]
    with_failures, failures = trained(plan, OPTIMIZERS[optimizer], [None] * good_first + bad + [None, None])
    without, none = trained(plan, OPTIMIZERS[optimizer], [None] * (good_first + 2))
    assert len(failures) == len(bad) and not none
    for message, shape in zip(failures, bad_shapes):
        assert f"var and grad do not have the same shape[1,3] [{','.join(map(str, shape))}]" in message
        assert "variable 'b'" in message
    assert all(np.array_equal(x, y) for x, y in zip(with_failures, without))

@pytest.mark.parametrize('plan', [Plan, CompiledPlan], ids=['Plan', 'CompiledPlan'])
@pytest.mark.parametrize('optimizer', sorted(OPTIMIZERS))
def test_every_optimizer_refuses_a_wrong_gradient_and_goes_on(optimizer, plan):
    """Each optimizer, locking or not, once each: a wrong gradient between good ones raises and the next step runs (a
    locked update that fell back to the general one while holding its locks once waited for itself forever)."""
    with_failure, failures = trained(plan, OPTIMIZERS[optimizer], [None, np.ones(3, np.float32), None])
    without, _ = trained(plan, OPTIMIZERS[optimizer], [None, None])
    assert len(failures) == 1 and "var and grad do not have the same shape[1,3] [3]" in failures[0]
    assert all(np.array_equal(x, y) for x, y in zip(with_failure, without))

def test_good_steps_agree_with_the_update_rule():
    "The check adds nothing to a good step: two momentum steps give the hand-computed values under both executors."
    for plan in (Plan, CompiledPlan):
        (a, b, slot_a, slot_b), _ = trained(plan, OPTIMIZERS['momentum'], [None, None])
        accum = GOOD_A + 0.9 * GOOD_A                      # accum_1 = g, accum_2 = 0.9 g + g
        np.testing.assert_allclose(a, np.array([1.0, 2.0]) - 0.1 * GOOD_A - 0.1 * accum, rtol=1e-6)
        np.testing.assert_allclose(slot_a, accum, rtol=1e-6)
        np.testing.assert_allclose(slot_b, GOOD_B * 1.9, rtol=1e-6)


# ---------------------------------------------------------------- gradients as TF gives them

@pytest.mark.parametrize('dtype', [tf.int32, tf.int64], ids=lambda d: d.name)
def test_integer_tensors_get_no_gradient(dtype):
    with tf.Graph().as_default():
        x = tf.placeholder(dtype, shape=[2])
        assert tf.gradients(x * 3 + x, x) == [None]
        f = tf.placeholder(tf.float32, shape=[2])
        through_integers = tf.cast(tf.cast(f, dtype) * 2, tf.float32)    # the rounding has no derivative
        assert tf.gradients(through_integers, f) == [None]
        both = f * 5.0 + through_integers                                  # only the float path carries a gradient
        (g,) = tf.gradients(both, f)
        assert tf.Session().run(g, {f: [0.3, 1.7]}).tolist() == [5.0, 5.0]
        assert tf.gradients(tf.reduce_sum(tf.cast(x, tf.float32) * f), [x, f])[0] is None

def test_an_optimizer_skips_integer_variables():
    with tf.Graph().as_default():
        w = tf.Variable([1.0, 2.0], name='w')
        count = tf.Variable(3, name='count')
        loss = tf.reduce_sum(w * w * tf.cast(count, tf.float32))
        pairs = tf.train.GradientDescentOptimizer(0.1).compute_gradients(loss, var_list=[w, count])
        assert pairs[1][0] is None and pairs[1][1] is count and pairs[0][0] is not None

POW_POINTS = st.tuples(st.sampled_from([-2.0, -1.0, -0.5, 0.0, 0.5, 1.0, 2.5]), st.sampled_from([0.0, 1.0, 2.0, 3.0, 0.5, -1.0]))

@SETTINGS
@given(points=st.lists(POW_POINTS, min_size=1, max_size=6))
def test_pow_gradient_for_the_exponent_is_zero_where_the_base_is_not_positive(points):
    "d(x**y)/dy = x**y log x where x > 0; where x <= 0 TF takes log x as 0, so the gradient is 0 (NaN only where x**y itself is NaN)."
    xs, ys = (np.array(v, np.float64) for v in zip(*points))
    with tf.Graph().as_default():
        x, y = tf.placeholder(tf.float64, name='x'), tf.placeholder(tf.float64, name='y')
        gx, gy = tf.gradients(tf.pow(x, y), [x, y])
        with np.errstate(all='ignore'):
            got_x, got_y = tf.Session().run([gx, gy], {x: xs, y: ys})
            power = xs ** ys
            expected_y = np.where(xs > 0, power * np.log(np.where(xs > 0, xs, 1.0)), power * 0.0)
            expected_x = ys * xs ** (ys - 1)
    np.testing.assert_allclose(got_y, expected_y, rtol=1e-12)                 # NaN in the same places
    np.testing.assert_allclose(got_x, expected_x, rtol=1e-12)
    assert not np.isnan(got_y[(xs <= 0) & np.isfinite(power)]).any()

def test_pow_gradients_match_finite_differences_for_positive_bases():
    rng = np.random.default_rng(15)
    xs, ys = rng.uniform(0.5, 2.5, 5), rng.uniform(-2, 2, 5)
    with tf.Graph().as_default():
        x, y = tf.placeholder(tf.float64), tf.placeholder(tf.float64)
        z = tf.reduce_sum(tf.pow(x, y))
        gx, gy = tf.Session().run(tf.gradients(z, [x, y]), {x: xs, y: ys})
    np.testing.assert_allclose(gy, numerical_gradient(lambda e: np.sum(xs ** e), ys), rtol=1e-7)
    np.testing.assert_allclose(gx, numerical_gradient(lambda b: np.sum(b ** ys), xs), rtol=1e-7)

def test_grad_ys_may_be_numbers_or_arrays_converted_to_the_dtype_of_ys():
    with tf.Graph().as_default():
        x = tf.constant([1.0, 2.0])
        y, s = x * 3.0, tf.reduce_sum(x * x)
        session = tf.Session()
        (g,) = tf.gradients(y, x, grad_ys=np.array([1.0, 10.0]))            # float64 array for a float32 y
        assert g.dtype == tf.float32 and session.run(g).tolist() == [3.0, 30.0]
        (g,) = tf.gradients(y, x, grad_ys=[[2.0, 0.5]])                     # a list per y
        assert session.run(g).tolist() == [6.0, 1.5]
        (g,) = tf.gradients(s, x, grad_ys=0.5)                              # a float for a scalar y
        assert session.run(g).tolist() == [1.0, 2.0]

@pytest.mark.parametrize('grad_y, error, words', [
    (2.0, ValueError, r"grad_ys\[0\] constant '.*grad_ys_0' has shape \(\) but ys\[0\] operation 'y' has shape \(2,\)"),
    (np.ones(3), ValueError, r"has shape \(3,\) but ys\[0\] operation 'y' has shape \(2,\)"),
    ('abc', TypeError, r"gradients: grad_ys\[0\] cannot be a gradient for operation 'y'"),
], ids=['scalar', 'too long', 'text'])
def test_grad_ys_of_the_wrong_shape_or_kind_is_refused(grad_y, error, words):
    with tf.Graph().as_default():
        y = tf.multiply(tf.constant([1.0, 2.0]), 3.0, name='y')
        with pytest.raises(error, match=words):
            tf.gradients(y, y.inputs[0], grad_ys=grad_y)
        with pytest.raises(TypeError, match=r"grad_ys\[0\] constant 'g' is int32 but ys\[0\] operation 'y' is float32"):
            tf.gradients(y, y.inputs[0], grad_ys=tf.constant([1, 2], name='g'))


# ---------------------------------------------------------------- no silent truncation or coercion

def int_message(function, parameter, got='float32'):
    return (f"{function}: Value passed to parameter '{parameter}' has DataType {got} "
            "not in list of allowed values: int32, int64")

@pytest.mark.parametrize('build, function, parameter', [
    (lambda m: tf.reshape(m, [3.7, 2]), 'reshape', 'shape'),
    (lambda m: tf.reshape(m, [3.0, 2]), 'reshape', 'shape'),          # TF refuses a float even when it is whole
    (lambda m: tf.transpose(m, [1.0, 0.0]), 'transpose', 'perm'),
    (lambda m: tf.reduce_sum(m, axis=1.0), 'Sum', 'reduction_indices'),
    (lambda m: tf.reduce_max(m, axis=[0, 1.5]), 'Max', 'reduction_indices'),
    (lambda m: tf.reduce_mean(m, axis=0.5), 'Mean', 'reduction_indices'),
    (lambda m: tf.argmax(m, axis=1.0), 'ArgMax', 'dimension'),
    (lambda m: tf.concat([m, m], axis=1.0), 'concat', 'axis'),
    (lambda m: tf.expand_dims(m, axis=1.0), 'expand_dims', 'dim'),
], ids=['reshape', 'reshape whole', 'transpose', 'sum', 'max', 'mean', 'argmax', 'concat', 'expand_dims'])
def test_float_integer_arguments_are_refused_not_truncated(build, function, parameter):
    with tf.Graph().as_default():
        with pytest.raises(TypeError) as raised:
            build(tf.constant(np.ones((2, 3), np.float32)))
    assert str(raised.value) == int_message(function, parameter)

INTEGER_ARGUMENTS = {   # function, parameter -> build with the drawn argument in the integer's place
    ('reshape', 'shape'): lambda m, k: tf.reshape(m, [k, -1]),
    ('transpose', 'perm'): lambda m, k: tf.transpose(m, [k, 0]),
    ('Sum', 'reduction_indices'): lambda m, k: tf.reduce_sum(m, axis=k),
    ('Min', 'reduction_indices'): lambda m, k: tf.reduce_min(m, axis=[0, k]),
    ('ArgMax', 'dimension'): lambda m, k: tf.argmax(m, axis=k),
    ('concat', 'axis'): lambda m, k: tf.concat([m, m], axis=k),
    ('expand_dims', 'dim'): lambda m, k: tf.expand_dims(m, axis=k),
}
NOT_INTEGERS = st.one_of(st.floats(allow_nan=True, allow_infinity=True).map(lambda f: (f, 'float32')),
                         st.integers(-3, 3).map(lambda i: (float(i), 'float32')),          # whole floats too
                         st.floats(-3, 3).map(lambda f: (np.float64(f), 'float64')),
                         st.booleans().map(lambda b: (b, 'bool')),
                         st.text(min_size=1, max_size=3).map(lambda t: (t, 'string')))

@SETTINGS
@given(where=st.sampled_from(sorted(INTEGER_ARGUMENTS)), drawn=NOT_INTEGERS)
def test_anything_but_an_integer_in_an_integer_argument_is_refused(where, drawn):
    value, dtype_name = drawn
    function, parameter = where
    if function in ('reshape', 'transpose', 'Min') and dtype_name == 'float64':
        dtype_name = 'float32'   # inside a Python list a numpy float converts as Python's floats do
    with tf.Graph().as_default():
        with pytest.raises(TypeError) as raised:
            INTEGER_ARGUMENTS[where](tf.constant(np.ones((2, 3), np.float32)), value)
    assert str(raised.value) == int_message(function, parameter, dtype_name)

def test_integer_arguments_still_work_in_every_integer_spelling():
    with tf.Graph().as_default():
        m = tf.constant(np.arange(6.0, dtype=np.float32).reshape(2, 3))
        nodes = [tf.reshape(m, np.array([3, 2], np.int64)), tf.transpose(m, (np.int32(1), 0)), tf.reduce_sum(m, axis=np.int64(1)),
                 tf.argmax(m, axis=np.int32(1)), tf.concat([m, m], axis=np.int64(0)), tf.expand_dims(m, axis=-1)]
        values = tf.Session().run(nodes)
    expected = np.arange(6.0).reshape(2, 3)
    for got, want in zip(values, [expected.reshape(3, 2), expected.T, expected.sum(1), expected.argmax(1),
                                  np.concatenate([expected, expected]), expected[..., None]]):
        assert np.array_equal(got, want)

@pytest.mark.parametrize('depth, words', [(2.7, "got 2.7 of type 'float'"), ('3', "got '3' of type 'str'"),
                                          (2.0, "got 2.0 of type 'float'"), (True, "got True of type 'bool'")])
def test_one_hot_depth_must_be_an_int(depth, words):
    with tf.Graph().as_default():
        with pytest.raises(TypeError, match=f"one_hot: Expected int32 passed to parameter 'depth' of op 'OneHot', {words} instead"):
            tf.one_hot([0, 1], depth=depth)

@pytest.mark.parametrize('shape', [None, [None], [2]], ids=['unknown rank', 'unknown size', 'known'])
def test_one_hot_refuses_a_negative_depth_whatever_is_known_of_the_indices(shape):
    with tf.Graph().as_default():
        with pytest.raises(ValueError, match="one_hot: depth must be non-negative but is -1"):
            tf.one_hot(tf.placeholder(tf.int32, shape=shape), depth=-1)

def test_dtype_none_means_what_tf_says():
    with tf.Graph().as_default():
        x = tf.constant([1.5, -2.5])
        with pytest.raises(TypeError, match="cast: dtype is None; cast requires a dtype"):
            tf.cast(x, None)
        for build in (tf.zeros, tf.ones):
            assert build([2]).dtype == tf.float32                          # the default, when dtype is not given
            with pytest.raises(TypeError, match="Cannot convert the argument `type_value`: None to a TensorFlow DType"):
                build([2], dtype=None)                                     # as TF: None is not a dtype
        assert tf.one_hot([0], 2, dtype=None).dtype == tf.float32         # (one_hot's own default is None: float32)
        assert tf.constant([1.0], dtype=None).dtype == tf.float32
        assert tf.placeholder(None).dtype is None                          # the seed tutorial's untyped placeholder


# ---------------------------------------------------------------- edge values as TF answers them

@SETTINGS
@given(dtype=st.sampled_from([np.float16, np.float32, np.float64, np.int32, np.int64, np.uint8]),
       rows=st.integers(0, 3), keepdims=st.booleans())
def test_extrema_over_an_empty_axis_are_the_identities(dtype, rows, keepdims):
    "max of nothing is -inf (an integer type's lowest value), min of nothing +inf (its highest), as TF answers."
    empty = np.zeros((rows, 0), dtype)
    lowest, highest = (-np.inf, np.inf) if np.dtype(dtype).kind == 'f' else (np.iinfo(dtype).min, np.iinfo(dtype).max)
    with tf.Graph().as_default():
        x = tf.constant(empty)
        top, bottom = tf.reduce_max(x, axis=1, keepdims=keepdims), tf.reduce_min(x, axis=1, keepdims=keepdims)
        everything = tf.reduce_max(x)
        got_top, got_bottom, got_all = tf.Session().run([top, bottom, everything])
    shape = (rows, 1) if keepdims else (rows,)
    assert got_top.shape == got_bottom.shape == shape and got_top.dtype == got_bottom.dtype == dtype
    assert np.all(got_top == lowest) and np.all(got_bottom == highest) and got_all == lowest
    assert tuple(top.shape.as_list()) == shape

def test_reductions_over_nothing_and_their_gradient():
    with tf.Graph().as_default():
        x = tf.placeholder(tf.float32, shape=[2, None])
        top = tf.reduce_max(x, axis=1)
        (g,) = tf.gradients(tf.reduce_sum(top * 0.0), x)
        with np.errstate(invalid='ignore'):
            values = tf.Session().run([top, tf.reduce_sum(x, axis=1), tf.reduce_mean(x, axis=1), g], {x: np.zeros((2, 0))})
    assert values[0].tolist() == [-np.inf, -np.inf] and values[1].tolist() == [0.0, 0.0]
    assert np.isnan(values[2]).all() and values[3].shape == (2, 0)

@pytest.mark.parametrize('build', [tf.nn.softmax, tf.nn.log_softmax], ids=['softmax', 'log_softmax'])
@pytest.mark.parametrize('shape', [(2, 0), (0, 3), (0,)])
def test_softmax_over_zero_classes_is_empty(build, shape):
    with tf.Graph().as_default():
        node = build(tf.constant(np.zeros(shape, np.float32)))
        value = tf.Session().run(node)
    assert value.shape == shape and value.dtype == np.float32

def test_softmax_cross_entropy_over_zero_classes_is_zero_per_example():
    "No classes, no loss: the sum over zero classes is 0 for each of the examples."
    with tf.Graph().as_default():
        empty = tf.constant(np.zeros((3, 0), np.float32))
        loss = tf.nn.softmax_cross_entropy_with_logits_v2(labels=empty, logits=empty)
        assert tf.Session().run(loss).tolist() == [0.0, 0.0, 0.0]


# ---------------------------------------------------------------- found on the way

def test_losses_and_metrics_mean_squared_error_are_not_the_same_function():
    "The loss and the metric share a name in chapter 21's module; the metric used to overwrite the loss (tf.losses returned a pair)."
    with tf.Graph().as_default():
        labels, predictions = tf.constant([[1.0, 2.0]]), tf.constant([[1.0, 4.0]])
        loss = tf.losses.mean_squared_error(labels, predictions)
        value, update = tf.metrics.mean_squared_error(labels, predictions)
        session = tf.Session()
        session.run(tf.local_variables_initializer())
        session.run(update)
        assert session.run(loss) == 2.0 and session.run(value) == 2.0
        assert tf.get_collection(tf.GraphKeys.LOSSES) == [loss]
