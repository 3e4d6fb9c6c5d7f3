"""`tf.nn`: the neural-network functions, gathered from the chapters that explain them (a hand-kept face: plain imports only)."""
from .activations import relu, sigmoid, softmax, tanh
from .criterion import log_softmax, sigmoid_cross_entropy_with_logits
# Chapters 17-19: convolutions, pooling, regularization.
from .convolution import bias_add, conv2d, conv2d_backprop_filter, conv2d_backprop_input, conv2d_transpose
from .pooling import avg_pool, avg_pool2d, max_pool, max_pool2d
from .regularization import batch_normalization, dropout, l2_loss, local_response_normalization, lrn, moments
# Chapter 21: the cross-entropies that also take integer labels (chapter 7's, with the labels cast first).
from .training_programs import (softmax_cross_entropy_with_logits, softmax_cross_entropy_with_logits_v2,
                             sparse_softmax_cross_entropy_with_logits)
# Chapter 23: control flow.
from .control_flow import embedding_lookup
# Chapter 21: the top k of each row, and whether a target is among them.
from .training_programs import in_top_k, top_k

# Chapter 23: sampled losses for large vocabularies, and their candidate samplers.
from .control_flow import log_uniform_candidate_sampler, nce_loss, sampled_softmax_loss, uniform_candidate_sampler
from .training_programs import not_offered as _not_offered
__getattr__ = _not_offered("tf.nn")  # a TF1 name that is not offered says so
