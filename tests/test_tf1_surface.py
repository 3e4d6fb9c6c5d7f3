"""The fraction of TensorFlow 1's public names (tf.compat.v1: top level, nn, train, layers, losses) that deepscratch offers.

tests/tf1_public_names.txt is dir() of those namespaces in TensorFlow 2.21's tf.compat.v1 (names without a leading
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
    names = Path(__file__).with_name('tf1_public_names.txt').read_text().split()
    have = [n for n in names if offered(n)]
    fraction = len(have) / len(names)
    print(f'{len(have)} of {len(names)} tf.compat.v1 names offered: {fraction:.1%}')
    assert len(names) == 936
    assert {'losses.mean_squared_error', 'train.RMSPropOptimizer', 'nn.sparse_softmax_cross_entropy_with_logits',
            'ConfigProto', 'device', 'flags', 'app', 'logging', 'gfile'} <= set(have)
    assert len(have) >= 160, len(have)   # 17.1% when chapter 21 was written; merges of other chapters raise it
