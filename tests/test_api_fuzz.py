"""The API fuzz test (issue 15): every public function and class of the package, given wrong arguments.

The names come from the package itself (`deepscratch.__all__` and the public names of tf.nn, tf.train, tf.layers,
tf.losses and tf.strings), so a new function is fuzzed without being listed here. For each, hypothesis picks one of
its first three parameters and gives it a drawn wrong value: None, text, NaN/inf/huge/negative numbers, empty, ragged or
nested lists, dicts, objects, and float arrays of random shapes holding NaN and inf; the other required parameters get
a 2x2 float constant. Every outcome must be a result, or a TypeError / ValueError / deepscratch error whose message is
the library's own; never AttributeError, KeyError, IndexError, RecursionError, ZeroDivisionError, OverflowError, and
never Python's or numpy's own words ("object is not iterable", "invalid literal for int()", ...), which name neither the
function nor the argument. FUZZ_EXAMPLES=N runs N examples per name (default 12)."""
import inspect
import os
import re
import warnings

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings, strategies as st
from hypothesis.extra import numpy as hnp

import deepscratch as tf
from deepscratch import errors
from deepscratch.gradients import _gradient_functions

NAMESPACES = {'tf': tf, 'tf.nn': tf.nn, 'tf.train': tf.train, 'tf.layers': tf.layers, 'tf.losses': tf.losses,
              'tf.strings': tf.strings, 'tf.data': tf.data, 'tf.data.experimental': tf.data.experimental,
              'tf.data.Dataset': tf.data.Dataset.range(3), 'tf.summary': tf.summary}   # a dataset: its sources, transformations and iterators
# What a wrong argument may legitimately give: the library's errors and Python's two argument errors...
EXPECTED = (TypeError, ValueError, errors.OpError, NotImplementedError)
# ...but not with the words of Python or numpy themselves, which name neither the function nor the argument.
FOREIGN = re.compile(r"object has no attribute|not subscriptable|unsupported operand|is not iterable|object is not callable|"
                     r"takes \d+ positional|could not convert string|must be real number|invalid literal|"
                     r"only integer scalar arrays|cannot be interpreted as an integer|setting an array element")
# Names that run programs, start servers or need a live session rather than values: not argument checkers.
# And the two that change the process-wide gradient registry by design (each test checks it is left unchanged).
SKIP = {'app', 'run', 'Print', 'InteractiveSession', 'Session', 'disable_eager_execution', 'disable_v2_behavior',
        'reset_default_graph', 'set_random_seed', 'RegisterGradient', 'NotDifferentiable', 'NoGradient', 'no_gradient'}


def public_callables():
    found = []
    for space, module in NAMESPACES.items():
        for name in getattr(module, '__all__', None) or [n for n in dir(module) if not n.startswith('_')]:
            f = getattr(module, name, None)
            if name in SKIP or not callable(f) or inspect.ismodule(f): continue
            if inspect.isclass(f) and issubclass(f, BaseException): continue
            try: params = [p for p in inspect.signature(f).parameters.values()
                           if p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY) and p.name not in ('self', 'name')]
            except (TypeError, ValueError): continue
            if params: found.append((f'{space}.{name}', f, params))
    return found

CALLABLES = public_callables()

WRONG = st.one_of(
    st.none(), st.text(max_size=4), st.booleans(),
    st.floats(allow_nan=True, allow_infinity=True), st.sampled_from([10**30, -1, -(10**30), 0, 2**63]),
    st.just([]), st.just([[1], [1, 2]]), st.lists(st.one_of(st.none(), st.text(max_size=2), st.floats()), max_size=3),
    st.dictionaries(st.text(max_size=2), st.integers(), max_size=2), st.just(object()),
    hnp.arrays(np.float64, hnp.array_shapes(min_dims=0, max_dims=4, max_side=3),
               elements=st.sampled_from([0.0, 1.5, -2.0, np.nan, np.inf, -np.inf])))


def test_every_namespace_is_fuzzed():
    spaces = {name.rsplit('.', 1)[0] for name, _, _ in CALLABLES}
    assert spaces == set(NAMESPACES), f'no callable found in {set(NAMESPACES) - spaces}'
    assert len(CALLABLES) > 150, f'only {len(CALLABLES)} public callables found'


@pytest.fixture(autouse=True, scope='module')
def in_a_scratch_directory(tmp_path_factory):
    "Run in an empty directory: a fuzzed path argument (FileWriter's logdir, a checkpoint's name) lands there, not in the repository."
    old = os.getcwd()
    os.chdir(tmp_path_factory.mktemp('fuzz'))
    yield
    os.chdir(old)


@pytest.mark.parametrize('name,function,params', CALLABLES, ids=[c[0] for c in CALLABLES])
@settings(max_examples=int(os.environ.get('FUZZ_EXAMPLES', 12)), deadline=None, derandomize=True,
          suppress_health_check=list(HealthCheck))
@given(data=st.data())
def test_wrong_arguments_are_named(name, function, params, data):
    target = data.draw(st.sampled_from(params[:3]), label='parameter')
    value = data.draw(WRONG, label='value')
    with tf.Graph().as_default(), warnings.catch_warnings():
        warnings.simplefilter('ignore')
        kwargs = {p.name: tf.constant([[1.0, 2.0], [3.0, 4.0]]) for p in params
                  if p is not target and p.default is inspect.Parameter.empty}
        kwargs[target.name] = value
        registry = dict(_gradient_functions)
        try:
            function(**kwargs)
        except EXPECTED as e:
            assert not FOREIGN.search(str(e)), f'{name}({target.name}={value!r}): {type(e).__name__} in foreign words: {e}'
        except Exception as e:
            pytest.fail(f'{name}({target.name}={value!r}) escaped as {type(e).__name__}: {e}')
        finally:
            changed = dict(_gradient_functions) != registry
            _gradient_functions.clear(); _gradient_functions.update(registry)
        assert not changed, f'{name}({target.name}={value!r}) changed the gradient registry, which outlives the test'
