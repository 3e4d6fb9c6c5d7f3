"""Threads and sessions: what deepscratch promises (chapter 27 shows the same).

- One graph can be run by many threads at once, in one session, each with its own feeds: the values a run computes
  live in that run, never on the nodes, so each thread gets exactly its own answer. To be sure the runs really are
  in flight together, the graph holds an operation that waits until every thread's run has reached it.
- Sessions keep their variables apart, also when they run at the same time.
- The default graph, the name scope and the default session are per thread: building a graph in one thread while
  another runs a session on a different graph is safe.
- Two threads reading a variable for the first time initialize it once.
"""

import threading

import numpy as np
import pytest

import deepscratch as tf
from deepscratch.operations import Operation

THREADS = 8
TIMEOUT = 20   # seconds a thread waits for the others before the test fails (instead of hanging)


class Rendezvous(Operation):
    "Passes its input through, once `barrier.parties` runs are all computing it: they are then all in flight."
    type = 'Rendezvous'

    def __init__(self, x, barrier, name=None):
        self.barrier = barrier
        super().__init__(x, name=name)

    def compute(self, x):
        self.barrier.wait()
        return x


def in_threads(function, count=THREADS):
    "Run `function(k)` in `count` threads at once; return their results by k, re-raising the first error."
    results, failures = [None] * count, []
    def run(k):
        try: results[k] = function(k)
        except BaseException as e: failures.append(e)
    threads = [threading.Thread(target=run, args=(k,)) for k in range(count)]
    for t in threads: t.start()
    for t in threads: t.join(TIMEOUT * 3)
    assert not any(t.is_alive() for t in threads), 'a thread did not finish'
    if failures: raise failures[0]
    return results


def test_one_graph_from_eight_threads_each_gets_its_own_answer():
    barrier = threading.Barrier(THREADS, timeout=TIMEOUT)
    with tf.Graph().as_default() as graph:
        x = tf.placeholder(tf.float64, shape=[None, 3], name='x')
        W = tf.Variable(np.arange(12.).reshape(3, 4), name='W')
        hidden = Rendezvous(tf.matmul(x, W), barrier, name='hidden')   # every run waits here for all the others
        y = tf.reduce_sum(tf.tanh(hidden) * 2. + hidden, axis=1, name='y')
    session = tf.Session(graph=graph)
    W_value = session.run(W)

    def worker(k):
        rng = np.random.default_rng(k)
        answers = []
        for rows in range(1, 21):   # 20 rounds, all eight runs in flight at once in each; a new batch size each round
            batch = rng.normal(size=(rows, 3)) + k
            got = session.run(y, {x: batch})
            h = batch @ W_value
            answers.append(np.allclose(got, (np.tanh(h) * 2 + h).sum(axis=1), rtol=1e-12, atol=0))
        return answers

    assert in_threads(worker) == [[True] * 20] * THREADS


def test_two_sessions_keep_their_own_variables_while_running_at_once():
    with tf.Graph().as_default() as graph:
        counter = tf.Variable(0, name='counter')
        step = counter.assign_add(1)
    sessions = [tf.Session(graph=graph) for _ in range(2)]
    def train(k):
        for _ in range(300 * (k + 1)): sessions[k].run(step)
        return sessions[k].run(counter)
    assert in_threads(train, 2) == [300, 600]


def test_building_one_graph_while_another_thread_runs_a_session_on_another():
    barrier = threading.Barrier(2, timeout=TIMEOUT)
    built, running = tf.Graph(), tf.Graph()
    with running.as_default():
        q = tf.placeholder(tf.float64, name='q')
        doubled = q * 2.
    outside = tf.get_default_graph()

    def build():
        barrier.wait()
        with built.as_default():
            node = tf.constant(1.0, name='one')
            for _ in range(300):
                node = node + 1.
                assert tf.get_default_graph() is built
        return node.graph is built

    def run():
        barrier.wait()
        with running.as_default(), tf.Session() as s:
            return all(s.run(doubled, {q: k}) == 2 * k and tf.get_default_graph() is running for k in range(300))

    assert in_threads(lambda k: (build, run)[k](), 2) == [True, True]
    assert (len(built), len(running)) == (1 + 2 * 300, 3)
    assert tf.get_default_graph() is outside


def test_name_scope_and_default_session_are_per_thread():
    barrier = threading.Barrier(2, timeout=TIMEOUT)
    graph = tf.Graph()
    session = tf.Session(graph=graph)

    def scoped():
        with graph.as_default(), graph.name_scope('layer'), session.as_default():
            barrier.wait()                      # inside the scope and the default session...
            barrier.wait()                      # ...while the other thread builds and looks
            return tf.constant(1.0, name='inside').name, tf.get_default_session() is session

    def plain():
        barrier.wait()
        with graph.as_default():
            name = tf.constant(2.0, name='outside').name
        default = tf.get_default_session()
        barrier.wait()
        return name, default

    assert in_threads(lambda k: (scoped, plain)[k](), 2) == [('layer/inside', True), ('outside', None)]


def test_first_reads_of_a_variable_from_many_threads_initialize_it_once():
    barrier = threading.Barrier(THREADS, timeout=TIMEOUT)
    with tf.Graph().as_default() as graph:
        v = tf.Variable(tf.random_normal([5], dtype=tf.float64), name='v')   # no seed: a second initialization would differ
        read = Rendezvous(tf.identity(v), barrier)
    session = tf.Session(graph=graph)
    values = in_threads(lambda k: session.run(read))
    assert all(np.array_equal(value, values[0]) for value in values)
    assert np.array_equal(session.run(v), values[0])


@pytest.mark.parametrize('fetch_first', [True, False])
def test_checks_for_nan_from_many_threads_name_each_threads_own_first_bad_node(fetch_first):
    "Eight threads run a checked step at once; those fed a bad value get the error of their own first bad node."
    barrier = threading.Barrier(THREADS, timeout=TIMEOUT)
    with tf.Graph().as_default() as graph:
        x = tf.placeholder(tf.float32, shape=[None], name='x')
        meeting = Rendezvous(x, barrier)
        logs = tf.log(meeting, name='logs')                   # -inf at 0, NaN below
        out = tf.reduce_sum(tf.exp(logs * 100., name='big'))  # inf for x > 2.4 or so
        check = tf.add_check_numerics_ops()
    session = tf.Session(graph=graph)
    feeds = [[1., 0.5], [0., 1.], [3., 1.], [-1., 1.]] * 2      # fine, log(0), overflow, log(-1)
    expected = [None, "operation 'logs' (Log)", "operation 'big' (Exp)", "operation 'logs' (Log)"] * 2

    def worker(k):
        fetches = [check, out] if fetch_first else [out, check]
        with np.errstate(all='ignore'):
            try: session.run(fetches, {x: feeds[k]})
            except tf.errors.InvalidArgumentError as e: return e.message
        return None

    messages = in_threads(worker)
    for message, named in zip(messages, expected):
        if named is None: assert message is None
        else: assert message is not None and named in message, message


# Races between training and reading. A step adds the same amount to every element of two variables `a` and `b`, so
# any value made of one version has all its elements equal, and `a == b`: a torn read (half of one step, half of the
# next) shows as unequal elements. The check is exact, so a test that sees no tear is not luck at one tolerance.
SIZE, STEPS = 20_000, 60

def _training_graph(use_locking=False, learning_rate=1.0):
    a = tf.Variable(np.zeros(SIZE, np.float32), name='a')
    b = tf.Variable(np.zeros(SIZE, np.float32), name='b')
    loss = -(tf.reduce_sum(a) + tf.reduce_sum(b))   # gradient -1 everywhere: each step adds learning_rate to each element
    step = tf.train.GradientDescentOptimizer(learning_rate, use_locking=use_locking).minimize(loss)
    return a, b, step

def _consistent(a_value, b_value):
    return a_value.min() == a_value.max() == b_value.min() == b_value.max()


def test_a_reader_never_sees_a_torn_value_and_its_values_never_change_while_another_thread_trains():
    with tf.Graph().as_default():
        a, b, step = _training_graph()
        sess = tf.Session()
        sess.run(tf.global_variables_initializer())
        done, reads, reading = threading.Event(), [], threading.Event()
        def train(k):
            if k == 0:
                assert reading.wait(TIMEOUT)   # the reader is under way before training starts
                for _ in range(STEPS): sess.run(step)
                done.set()
            else:
                while not done.is_set():
                    got = sess.run([a, b])
                    reads.append((got, [g.copy() for g in got]))
                    reading.set()
        in_threads(train, 2)
        assert len(reads) > 0
        torn = sum(not _consistent(*got) for got, _ in reads)
        changed = sum(not all(np.array_equal(g, c) for g, c in zip(got, copies)) for got, copies in reads)
        assert (torn, changed) == (0, 0)
        np.testing.assert_array_equal(sess.run(a), np.full(SIZE, STEPS, np.float32))


def test_checkpoints_saved_while_training_are_consistent_snapshots(tmp_path):
    with tf.Graph().as_default():
        a, b, step = _training_graph()
        saver = tf.train.Saver([a, b])
        sess = tf.Session()
        sess.run(tf.global_variables_initializer())
        done, paths, saving = threading.Event(), [], threading.Event()
        def work(k):
            if k == 0:
                assert saving.wait(TIMEOUT)
                for _ in range(STEPS): sess.run(step)
                done.set()
            else:
                while not done.is_set() and len(paths) < 20:
                    paths.append(saver.save(sess, str(tmp_path / f'ckpt{len(paths)}')))
                    saving.set()
        in_threads(work, 2)
        assert paths
        check = tf.Session()
        for path in paths:
            saver.restore(check, path)
            assert _consistent(*check.run([a, b])), path


@pytest.mark.parametrize('kind', ['assign_add', 'optimizer'])
def test_four_threads_updating_with_use_locking_lose_no_update(kind):
    per_thread = 50
    with tf.Graph().as_default():
        if kind == 'assign_add':
            a = tf.Variable(np.zeros(SIZE, np.float32))
            step = tf.assign_add(a, np.ones(SIZE, np.float32), use_locking=True)
        else:
            a, _, step = _training_graph(use_locking=True)
        sess = tf.Session()
        sess.run(tf.global_variables_initializer())
        def train(k):
            for _ in range(per_thread): sess.run(step)
        in_threads(train, 4)
        np.testing.assert_array_equal(sess.run(a), np.full(SIZE, 4 * per_thread, np.float32))
