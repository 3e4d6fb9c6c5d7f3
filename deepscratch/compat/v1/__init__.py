"""`import deepscratch.compat.v1 as tf`: the same TensorFlow 1 face as `import deepscratch as tf` (a hand-kept face: plain imports only)."""
from deepscratch import *  # every public name of the package face, and its namespaces (nn, train, losses, ...)
from deepscratch import bool  # Python's name, which `import *` would not replace here
from deepscratch.training_programs import not_offered as _not_offered
__getattr__ = _not_offered('tf')  # a TF1 name that is not offered says so
