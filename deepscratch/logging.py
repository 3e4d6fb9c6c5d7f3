"""`tf.logging`: TensorFlow 1's logging functions and levels (chapter 21; a hand-kept face: plain imports only)."""
from .training_programs import (DEBUG, ERROR, FATAL, INFO, WARN, debug, error, fatal, get_verbosity, info, log, set_verbosity,
                          warn, warning)
