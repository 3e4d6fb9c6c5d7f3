"""Variable scopes under threads: each thread has its own current scope; get_variable's store is shared and locked."""
import threading
from concurrent.futures import ThreadPoolExecutor

import deepscratch as tf


def test_each_thread_has_its_own_variable_scope():
    graph = tf.Graph()
    barrier = threading.Barrier(4)
    def build(i):
        with graph.as_default(), tf.variable_scope(f'tower{i}'):
            barrier.wait()                       # all four threads are inside their scopes at once
            return tf.get_variable_scope().name, tf.get_variable('w', [2]).name
    with ThreadPoolExecutor(4) as pool:
        got = list(pool.map(build, range(4)))
    assert got == [(f'tower{i}', f'tower{i}/w') for i in range(4)]
    with graph.as_default(): assert tf.get_variable_scope().name == ''


def test_auto_reuse_from_many_threads_makes_one_variable():
    graph = tf.Graph()
    def get(_):
        with graph.as_default(), tf.variable_scope('shared', reuse=tf.AUTO_REUSE):
            return tf.get_variable('w', [3], initializer=tf.ones_initializer())
    with ThreadPoolExecutor(8) as pool:
        variables = list(pool.map(get, range(32)))
    assert all(v is variables[0] for v in variables)
    assert [v.name for v in graph.get_collection(tf.GraphKeys.GLOBAL_VARIABLES)] == ['shared/w']
