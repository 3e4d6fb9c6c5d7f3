"""`tf.compat`: `deepscratch.compat.v1` is the same face as `deepscratch` (a hand-kept face: plain imports only)."""
from . import v1
