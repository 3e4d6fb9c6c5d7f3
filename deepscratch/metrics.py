"""`tf.metrics`: values accumulated over many batches in local variables, each a (value, update_op) pair (a hand-kept face: plain imports only)."""
# Chapter 21: metrics.
from .training_programs import (accuracy, mean, mean_absolute_error, mean_squared_error, precision, recall,
                                root_mean_squared_error)

from .training_programs import not_offered as _not_offered
__getattr__ = _not_offered("tf.metrics")  # a TF1 name that is not offered says so
