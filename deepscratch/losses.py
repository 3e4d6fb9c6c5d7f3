"""`tf.losses`: losses that weigh and reduce per-example losses, and the collections of losses (chapter 21; a hand-kept face: plain imports only)."""
from .training_programs import (Reduction, absolute_difference, add_loss, compute_weighted_loss, cosine_distance, get_losses,
                             get_regularization_loss, get_regularization_losses, get_total_loss, hinge_loss, huber_loss,
                             log_loss, mean_squared_error, sigmoid_cross_entropy, softmax_cross_entropy,
                             sparse_softmax_cross_entropy)

from .training_programs import not_offered as _not_offered
__getattr__ = _not_offered("tf.losses")  # a TF1 name that is not offered says so
