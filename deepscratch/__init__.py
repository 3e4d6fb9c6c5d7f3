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

from .compiled import CompiledPlan
Session.plan_class = CompiledPlan  # the seam of chapter 5: sessions run plans as chapter 28's generated code (chapter 5's Plan is the reference)

Tensor = Node  # in deepscratch a node is both TensorFlow's Operation and its single output Tensor

# Chapter 11: constant and random initial values (tf.zeros, tf.random_normal, tf.set_random_seed, ...).
from .initial_values import *

# Chapter 12: checkpoints (tf.train.Saver, ...; tf.train is gathered in train.py).
from . import saving

# Chapter 13: more operations (tf.square, tf.equal, tf.cast, tf.argmax, tf.reshape, tf.one_hot, ...).
from .tensor_ops import *

# Chapter 14: optimizers with state (tf.train.MomentumOptimizer, tf.train.AdamOptimizer, ...).
from . import optimizers

# Chapter 21: losses with weights and reductions, more optimizers, a TF1 program's scaffolding.
from .training_programs import div_no_nan
from .training_programs import (ConfigProto, GPUOptions, GraphOptions, RunMetadata, RunOptions, device, disable_eager_execution,
                          disable_v2_behavior, enable_eager_execution, enable_v2_behavior, executing_eagerly)

# The namespaces TF1 programs reach through: real modules of plain imports.
from . import nn, train, losses, app, flags, logging, gfile

# Chapter 27: when things go wrong; TF1's tf.check_numerics and tf.add_check_numerics_ops find the first NaN or inf.
from .debugging import add_check_numerics_ops, check_numerics

# Chapter 23: control flow and dynamic shapes (tf.cond, tf.case, tf.while_loop, tf.tuple, tf.shape, x[1:, ::2], tf.gather,
# tf.where, tf.stack, tf.pad, ...), and the methods that chapter gives tensors: indexing, comparisons (x > 0 is
# tf.greater), set_shape, and TensorFlow's errors for bool(tensor) and iterating a tensor.
from .control_flow import *
from .control_flow import slice_ as slice, range_ as range   # TF's names, which the module spells so as not to hide Python's
from . import control_flow as _control_flow
for _name, _method in _control_flow._tensor_methods.items(): setattr(Node, _name, _method)

# Chapter 20: variables the TF1 way (tf.get_variable in tf.variable_scope), initializer objects, collections, tf.layers.
from .variable_scopes import (AUTO_REUSE, VariableAggregation, VariableScope, VariableSynchronization, add_to_collection,
                              add_to_collections, constant_initializer, get_collection, get_collection_ref,
                              get_local_variable, get_variable, get_variable_scope, glorot_normal_initializer,
                              glorot_uniform_initializer, local_variables, local_variables_initializer, model_variables,
                              ones_initializer, orthogonal_initializer, random_normal_initializer,
                              random_uniform_initializer, truncated_normal_initializer, uniform_unit_scaling_initializer,
                              variable_scope, variance_scaling_initializer, zeros_initializer)
from . import initializers, layers

# Chapter 21: tf.metrics, tf.Print, the old names (tf.to_float, tf.div, tf.mod, ...) and tf.random; `x // y` is
# tf.floordiv and `x % y` tf.floormod, as on TensorFlow's tensors.
from .training_programs import (Print, arg_max, arg_min, div, floor_div, floordiv, floormod, mod, to_double, to_float,
                                to_int32, to_int64, truncatediv, truncatemod)
from .training_programs import (cos, diag, diag_part, matrix_determinant, matrix_inverse, random_shuffle, sin, tensordot,
                                unique)
from . import metrics, random
from .operations import _operator
Node.__floordiv__, Node.__rfloordiv__ = _operator(floordiv, 'floordiv')
Node.__mod__, Node.__rmod__ = _operator(floormod, 'mod')

# Chapter 24: strings (the dtype tf.string comes with chapter 1's dtypes), under TF1's top-level names and as tf.strings.
from .string_ops import as_string, reduce_join, string_join, string_to_number
from . import strings

# What `dir(tf)` and `from deepscratch import *` list: TensorFlow 1's top-level names that deepscratch offers (among
# them its namespaces nn, train, layers, ...), and deepscratch's own short list, `_own_names` (chapter 15 shows it).
# The op classes (MatMul, SoftmaxCrossEntropyParts, ...) and helpers (describe, patch_method, widened, ...) that the
# star-imports above brought in leave this namespace; each stays in the module that defines it, e.g.
# deepscratch.operations.MatMul. The chapters' modules stay reachable (deepscratch.graph), but are not listed.
import types as _types
from pathlib import Path as _Path
_tf1_top_level = {_n for _n in _Path(__file__).with_name('tf1_public_names.txt').read_text().split() if '.' not in _n}
_own_names = {'draw', 'softmax'}   # a graph's picture (chapter 1); the seed tutorial's top-level softmax (chapter 6)
__all__ = sorted(_n for _n in globals() if _n in _tf1_top_level or _n in _own_names)
for _n in [_n for _n, _v in globals().items() if not _n.startswith('_') and _n not in __all__
           and not isinstance(_v, _types.ModuleType)]:
    del globals()[_n]
def __dir__(): return __all__ + ['__version__']

# Chapter 21: `import deepscratch.compat.v1 as tf` and `tf.compat.v1.X` (imported after __all__, which it star-imports).
from . import compat
__all__ = sorted(__all__ + ['compat'])

# A TF1 name that is not offered says so.
from .training_programs import not_offered as _not_offered
__getattr__ = _not_offered('tf')

# Chapter 25: input pipelines (tf.data.Dataset, its iterators, tf.data.experimental).
from . import data

# Chapter 26: TensorBoard (tf.summary, FileWriter, Graph.as_graph_def, tf.train.write_graph).
from . import summaries as _summaries, summary
Graph.as_graph_def = _summaries.as_graph_def   # the graph as TensorFlow's GraphDef, which TensorBoard draws
