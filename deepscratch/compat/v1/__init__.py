"""`import deepscratch.compat.v1 as tf`: the same TensorFlow 1 face as `import deepscratch as tf` (a hand-kept face: plain imports only)."""
from deepscratch import *  # every name `dir(deepscratch)` lists: TF1's names and namespaces (nn, train, losses, ...)
import deepscratch.compat as compat  # tf.compat.v1.compat, as in TF (the package imports this module before it has `compat`)
from deepscratch.training_programs import not_offered as _not_offered
__getattr__ = _not_offered('tf')  # a TF1 name that is not offered says so
