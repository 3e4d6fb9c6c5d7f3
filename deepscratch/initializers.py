"""`tf.initializers`: TF1's initializer objects under their short names, as TF 1.15 lists them (chapter 20; a hand-kept face: plain imports only)."""
from .variable_scopes import constant_initializer as constant
from .variable_scopes import glorot_normal_initializer as glorot_normal
from .variable_scopes import glorot_uniform_initializer as glorot_uniform
from .variable_scopes import he_normal, he_uniform, lecun_normal, lecun_uniform
from .variable_scopes import identity_initializer as identity
from .variable_scopes import local_variables_initializer as local_variables
from .variable_scopes import ones_initializer as ones
from .variable_scopes import orthogonal_initializer as orthogonal
from .variable_scopes import random_normal_initializer as random_normal
from .variable_scopes import random_uniform_initializer as random_uniform
from .variable_scopes import truncated_normal_initializer as truncated_normal
from .variable_scopes import uniform_unit_scaling_initializer as uniform_unit_scaling
from .variable_scopes import variance_scaling_initializer as variance_scaling
from .variable_scopes import zeros_initializer as zeros
from .variables import global_variables_initializer as global_variables
from .variables import variables_initializer as variables
