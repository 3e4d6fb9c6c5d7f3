"""`tf.train`: optimizers, learning-rate schedules and checkpoints, gathered from the chapters that explain them (a hand-kept face: plain imports only)."""
from .optimizer import GradientDescentOptimizer, Optimizer
from .optimizers import AdamOptimizer, MomentumOptimizer, exponential_decay
from .saving import (Saver, checkpoint_exists, get_checkpoint_state, latest_checkpoint, list_variables, load_variable,
                     update_checkpoint_state)
