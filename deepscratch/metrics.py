"""`tf.metrics`: values accumulated over many batches in local variables, each a (value, update_op) pair (a hand-kept face: plain imports only)."""
# Chapter 21: metrics.
from .training_programs import (accuracy, mean, mean_absolute_error, precision, recall, root_mean_squared_error)
from .training_programs import metric_mean_squared_error as mean_squared_error   # (the module's mean_squared_error is the loss)

from .training_programs import not_offered as _not_offered
__getattr__ = _not_offered("tf.metrics")  # a TF1 name that is not offered says so
