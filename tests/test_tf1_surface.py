"""The fraction of TensorFlow 1's public names (tf.compat.v1: top level, nn, train, layers, losses) that deepscratch offers.

deepscratch/tf1_public_names.txt is dir() of those namespaces in TensorFlow 2.21's tf.compat.v1 (names without a leading
underscore), saved so that this test needs no TensorFlow."""
from pathlib import Path

import deepscratch as tf


def offered(path):
    obj = tf
    for part in path.split('.'):
        try: obj = getattr(obj, part)
        except AttributeError: return False
    return True


def test_fraction_of_tf1_names_offered():
    names = Path(tf.__file__).with_name('tf1_public_names.txt').read_text().split()
    have = [n for n in names if offered(n)]
    fraction = len(have) / len(names)
    print(f'{len(have)} of {len(names)} tf.compat.v1 names offered: {fraction:.1%}')
    assert len(names) == 936
    assert {'losses.mean_squared_error', 'train.RMSPropOptimizer', 'nn.sparse_softmax_cross_entropy_with_logits',
            'ConfigProto', 'device', 'flags', 'app', 'logging', 'gfile', 'metrics', 'Print', 'to_float', 'floordiv', 'mod',
            'nn.top_k', 'nn.in_top_k', 'train.get_or_create_global_step', 'train.polynomial_decay', 'random'} <= set(have)
    assert {'mul', 'sub', 'neg'}.isdisjoint(names)   # names from before TensorFlow 1.0: TensorFlow 1.15 has none of them
    assert len(have) >= 277, len(have)   # 29.6% after the metrics, schedules and old names of chapter 21 (25.7% before)


def test_dir_lists_tf1_names_and_the_documented_own_ones():
    top = {n for n in Path(tf.__file__).with_name('tf1_public_names.txt').read_text().split() if '.' not in n}
    listed = set(dir(tf)) - {'__version__'}
    assert listed - top == {'draw', 'softmax'}
    assert {'placeholder', 'Session', 'nn', 'train', 'layers', 'get_variable', 'bool'} <= listed
    for internal in ['MatMul', 'MatMulGrad', 'SoftmaxCrossEntropyParts', 'patch_method', 'describe', 'widened', 'depth',
                     'Node', 'execution_order', 'to_dot']:
        assert not hasattr(tf, internal), internal
    with __import__('pytest').raises(AttributeError, match='MatMul'): tf.MatMul
    from deepscratch.operations import MatMul   # the op classes stay in their chapters' modules
    assert type(tf.matmul([[1.]], [[2.]])) is MatMul
    star = {}
    exec('from deepscratch import *', star)
    assert set(star) - {'__builtins__'} == listed
    import deepscratch.compat.v1 as v1
    assert {n for n in dir(v1) if not n.startswith('_')} >= listed and not hasattr(v1, 'MatMul')
