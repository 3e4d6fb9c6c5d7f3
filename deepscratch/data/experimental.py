"""`tf.data.experimental`: the few helpers TF1 programs reach for, from chapter 25 (a hand-kept face: plain imports only)."""
from ..datasets import (AUTOTUNE, get_output_classes, get_output_shapes, get_output_types, map_and_batch,
                         shuffle_and_repeat, unbatch)

from ..training_programs import not_offered as _not_offered
__getattr__ = _not_offered("tf.data.experimental")  # a TF1 name that is not offered says so
