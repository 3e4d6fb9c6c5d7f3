"""`tf.train`: optimizers, learning-rate schedules and checkpoints, gathered from the chapters that explain them (a hand-kept face: plain imports only)."""
from .optimizer import GradientDescentOptimizer, Optimizer
from .optimizers import AdamOptimizer, MomentumOptimizer, exponential_decay
from .saving import (Saver, checkpoint_exists, get_checkpoint_state, latest_checkpoint, list_variables, load_variable,
                     update_checkpoint_state)

# Chapter 21: RMSProp, Adagrad, Adadelta, proximal gradient descent.
from .training_programs import (AdadeltaOptimizer, AdagradOptimizer, ProximalGradientDescentOptimizer,
                                RMSPropOptimizer)
# Chapter 21: the global step and more learning-rate schedules.
from .training_programs import (cosine_decay, create_global_step, get_global_step, get_or_create_global_step, global_step,
                                inverse_time_decay, natural_exp_decay, piecewise_constant, polynomial_decay)
from .training_programs import not_offered as _not_offered
__getattr__ = _not_offered("tf.train")  # a TF1 name that is not offered says so
# Chapter 26: a graph written as a GraphDef file.
from .summaries import write_graph
