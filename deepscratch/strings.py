"""`tf.strings`: the string operations of chapter 24 under TensorFlow's module names (a hand-kept face: plain imports only)."""
from .string_ops import as_string, join, length, reduce_join, to_number

from .training_programs import not_offered as _not_offered
__getattr__ = _not_offered("tf.strings")  # a TF1 name that is not offered says so
