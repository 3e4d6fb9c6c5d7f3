"""`tf.app`: `run` and the flags of a TF1 script (chapter 21; a hand-kept face: plain imports only)."""
from . import flags
from .training_programs import run
