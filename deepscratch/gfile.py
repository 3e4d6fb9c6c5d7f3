"""`tf.gfile`: the file system under TensorFlow 1's names (chapter 21; a hand-kept face: plain imports only)."""
from .training_programs import (Copy, DeleteRecursively, Exists, FastGFile, GFile, Glob, IsDirectory, ListDirectory, MakeDirs,
                          Mkdir, Open, Remove, Rename)
