"""`tf.nn`: the neural-network functions, gathered from the chapters that explain them (a hand-kept face: plain imports only)."""
from .activations import relu, sigmoid, softmax, tanh
from .criterion import (log_softmax, sigmoid_cross_entropy_with_logits, softmax_cross_entropy_with_logits,
                        softmax_cross_entropy_with_logits_v2)
from .convolution import bias_add, conv2d, conv2d_backprop_filter, conv2d_backprop_input, conv2d_transpose
from .pooling import avg_pool, avg_pool2d, max_pool, max_pool2d
from .regularization import batch_normalization, dropout, l2_loss, local_response_normalization, lrn, moments
