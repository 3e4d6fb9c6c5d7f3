"""`tf.random`: TensorFlow 1's namespace of random operations, gathered from chapter 11 (a hand-kept face: plain imports only)."""
from .initial_values import random_normal as normal, random_uniform as uniform, set_random_seed, truncated_normal
# Chapter 21: the shuffle of input code.
from .training_programs import random_shuffle as shuffle
# Chapter 23: the candidate samplers of the sampled losses.
from .control_flow import log_uniform_candidate_sampler, uniform_candidate_sampler

from .training_programs import not_offered as _not_offered
__getattr__ = _not_offered("tf.random")  # a TF1 name that is not offered says so
