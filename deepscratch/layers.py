"""`tf.layers`: layers that make their variables in their own variable scope (chapter 20; a hand-kept face: plain imports only)."""
from .variable_scopes import BatchNormalization, Dense, Flatten, Layer, batch_normalization, dense, flatten
