"""`tf.summary`: summaries for TensorBoard and the writer of their event files, from chapter 26 (a hand-kept face: plain imports only)."""
from .summaries import FileWriter, FileWriterCache, histogram, image, merge, merge_all, scalar, text

from .training_programs import not_offered as _not_offered
__getattr__ = _not_offered("tf.summary")  # a TF1 name that is not offered says so
