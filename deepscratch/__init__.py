"""deepscratch: deep learning from first principles, with a TensorFlow 1.x graph API (`import deepscratch as tf`)."""
__version__ = "0.1.0"

# Hand-kept: the public face, gathered from the modules the notebooks export, in reading order.
from . import errors
from .graph import *
from .graph import bool_ as bool  # `tf.bool`; the module calls it bool_ so that Python's bool stays usable there
from .operations import *
from .placeholders import *
from .variables import *
from .session import *

Tensor = Node  # in deepscratch a node is both TensorFlow's Operation and its single output Tensor
