"""`tf.nn`: the neural-network functions, gathered from the chapters that explain them (a hand-kept face: plain imports only)."""
from .activations import relu, sigmoid, softmax, tanh
from .criterion import log_softmax, sigmoid_cross_entropy_with_logits
# Chapter 21: the cross-entropies that also take integer labels (chapter 7's, with the labels cast first).
from .loss_functions import (softmax_cross_entropy_with_logits, softmax_cross_entropy_with_logits_v2,
                             sparse_softmax_cross_entropy_with_logits)
