"""`tf.layers`: layers that make their variables in their own variable scope (chapter 20; a hand-kept face: plain imports only)."""
from .variable_scopes import (AveragePooling2D, BatchNormalization, Conv2D, Dense, Dropout, Flatten, Layer, MaxPooling2D,
                              average_pooling2d, batch_normalization, conv2d, dense, dropout, flatten, max_pooling2d)
