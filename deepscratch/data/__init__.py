"""`tf.data`: input pipelines, from chapter 25 (a hand-kept face: plain imports only)."""
from ..datasets import (Dataset, Iterator, TextLineDataset, get_output_classes, get_output_shapes, get_output_types,
                        make_initializable_iterator, make_one_shot_iterator)
from . import experimental

from ..training_programs import not_offered as _not_offered
__getattr__ = _not_offered("tf.data")  # a TF1 name that is not offered says so (TFRecordDataset, FixedLengthRecordDataset, ...)
