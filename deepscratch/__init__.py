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
from .session import node_eval, node_run
Node.eval, Node.run = node_eval, node_run  # chapter 5: node.eval() and op.run() in the default session

from .activations import *
from .criterion import *
from .gradients import *
from .optimizer import Optimizer
Optimizer.gradient_function = staticmethod(backprop_gradients)  # the seam of chapter 8: optimizers use chapter 9's backpropagation

Tensor = Node  # in deepscratch a node is both TensorFlow's Operation and its single output Tensor

# Chapter 11: constant and random initial values (tf.zeros, tf.random_normal, tf.set_random_seed, ...).
from .initial_values import *

# Chapter 12: checkpoints (tf.train.Saver, ...; tf.train is gathered in train.py).
from . import saving

# Chapter 13: more operations (tf.square, tf.equal, tf.cast, tf.argmax, tf.reshape, tf.one_hot, ...).
from .tensor_ops import *

# Chapter 14: optimizers with state (tf.train.MomentumOptimizer, tf.train.AdamOptimizer, ...).
from . import optimizers

# The namespaces TF1 programs reach through: real modules of plain imports.
from . import nn, train

# Chapter 26: when things go wrong; TF1's tf.check_numerics and tf.add_check_numerics_ops find the first NaN or inf.
from .debugging import add_check_numerics_ops, check_numerics
