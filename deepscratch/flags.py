"""`tf.flags` (also `tf.app.flags`): command-line flags as absl defines them (chapter 21; a hand-kept face: plain imports only)."""
from .training_programs import (FLAGS, DEFINE_bool, DEFINE_boolean, DEFINE_enum, DEFINE_float, DEFINE_integer, DEFINE_list,
                          DEFINE_string, DuplicateFlagError, Flag, FlagValues, IllegalFlagValueError, UnrecognizedFlagError)
from .training_programs import FlagsError as Error
