"""Property-test strategies for the operations of chapter 21 (losses, metrics, more optimizers, scaffolding)."""
import numpy as np
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import deepscratch as tf
from deepscratch.training_programs import DivNoNan, SparseSoftmaxCrossEntropyBackprop
from test_properties import ANY, DIVISOR, NONEMPTY_RANK, Case, arrays, np_log_softmax, strategy, two_shapes


@strategy('DivNoNan')
def div_no_nan_case(draw, op_type):
    sx, sy = draw(two_shapes())
    return Case([draw(arrays(sx)), draw(arrays(sy, DIVISOR))], lambda x, y: DivNoNan(x, y), np.divide)


def _sparse_inputs(draw):
    shape = draw(NONEMPTY_RANK)
    logits = draw(arrays(shape))
    labels = draw(hnp.arrays(np.int32, shape[:-1], elements=st.integers(0, shape[-1] - 1)))
    return labels, logits


@strategy('SparseSoftmaxCrossEntropyWithLogits')
def sparse_xent_case(draw, op_type):
    labels, logits = _sparse_inputs(draw)
    def numpy(y, z): return -np.take_along_axis(np_log_softmax(z, -1), y[..., None].astype(int), axis=-1)[..., 0]
    return Case([labels, logits], lambda y, z: tf.nn.sparse_softmax_cross_entropy_with_logits(labels=y, logits=z), numpy)


@strategy('SparseSoftmaxCrossEntropyBackprop')
def sparse_xent_backprop_case(draw, op_type):
    labels, logits = _sparse_inputs(draw)
    def numpy(y, z): return np.exp(np_log_softmax(z, -1)) - np.eye(z.shape[-1])[y]
    return Case([labels, logits], SparseSoftmaxCrossEntropyBackprop, numpy)
