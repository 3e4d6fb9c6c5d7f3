"""`tf.nn`: the neural-network functions, gathered from the chapters that explain them (a hand-kept face: plain imports only)."""
from .activations import relu, sigmoid, softmax, tanh
from .criterion import (log_softmax, sigmoid_cross_entropy_with_logits, softmax_cross_entropy_with_logits,
                        softmax_cross_entropy_with_logits_v2)
from .control_flow import embedding_lookup
