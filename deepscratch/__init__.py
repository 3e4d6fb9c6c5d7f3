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

from .activations import *
from .losses import *
from .gradients import *  # also switches the optimizers to backpropagation
from . import train       # `tf.train.GradientDescentOptimizer`, ...

Tensor = Node  # in deepscratch a node is both TensorFlow's Operation and its single output Tensor

# `tf.nn`: TensorFlow keeps the neural-network functions in a namespace of their own.
import sys as _sys, types as _types
nn = _types.ModuleType('deepscratch.nn', 'Neural-network functions, as in `tf.nn`.')
for _name in ('sigmoid', 'softmax', 'log_softmax', 'tanh', 'relu', 'softmax_cross_entropy_with_logits',
              'softmax_cross_entropy_with_logits_v2', 'sigmoid_cross_entropy_with_logits'):
    setattr(nn, _name, globals()[_name])
_sys.modules[nn.__name__] = nn
del _sys, _types, _name

# Chapter 11: constant and random initial values (tf.zeros, tf.random_normal, tf.set_random_seed, ...).
from .initializers import *

# Chapter 12: checkpoints, spelled as in TF1: tf.train.Saver, tf.train.latest_checkpoint, ... join chapter 08's module.
from . import saving
for _name in ('Saver', 'latest_checkpoint', 'get_checkpoint_state', 'update_checkpoint_state', 'checkpoint_exists',
              'list_variables', 'load_variable'):
    setattr(train, _name, getattr(saving, _name))
del _name

# Chapter 13: more operations (tf.square, tf.equal, tf.cast, tf.argmax, tf.reshape, tf.one_hot, ...).
from .tensor_ops import *

# Chapter 14: optimizers with state; TF1 spells them tf.train.MomentumOptimizer, tf.train.AdamOptimizer, ...
from . import optimizers
for _name in ('MomentumOptimizer', 'AdamOptimizer', 'exponential_decay'):
    setattr(train, _name, getattr(optimizers, _name))
del _name

# Chapter 17: when things go wrong; TF1's tf.check_numerics and tf.add_check_numerics_ops find the first NaN or inf.
from .debugging import add_check_numerics_ops, check_numerics
