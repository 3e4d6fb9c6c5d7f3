"""Saving under concurrency and crashes: threads saving at once, processes killed with SIGKILL in the middle of a save,
stale temporary files, and `max_to_keep` as TensorFlow documents it.

- Several threads saving with `max_to_keep` (through one saver, or a saver each) leave a state file that names
  checkpoints that exist, and exactly `max_to_keep` checkpoint files per saver.
- A process killed (SIGKILL) while it saves leaves the previous checkpoint restorable bit for bit and named by the
  state file; its half-written temporary file is removed by the next save, so crashes do not pile files up.
- `max_to_keep=None` and `0` keep every file (the state file names only the latest); a negative or non-integer
  `max_to_keep` is refused when the saver is made.
"""

from __future__ import annotations

import glob
import os
import signal
import subprocess
import sys
import textwrap
import threading
import time

import numpy as np
import pytest

import deepscratch as tf
from deepscratch.saving import remove_stale_temporaries, write_atomically

THREAD_TRIALS = int(os.environ.get('CHECKPOINT_THREAD_TRIALS', 6))
KILLS = int(os.environ.get('CHECKPOINT_KILLS', 4))


def model(value=0.0, size=4):
    with tf.Graph().as_default() as graph:
        w = tf.Variable(np.full(size, value), name='w')
        step = tf.Variable(0, name='step')
    return graph, w, step


def checkpoints(directory): return sorted(n for n in os.listdir(directory) if n.endswith('.npz'))


def check_state(directory):
    "The state file names an existing latest checkpoint, and every recent one it lists exists; returns the state."
    state = tf.train.get_checkpoint_state(str(directory))
    assert state is not None
    assert tf.train.checkpoint_exists(state.model_checkpoint_path), f'the state file names a deleted {state.model_checkpoint_path}'
    for path in state.all_model_checkpoint_paths: assert tf.train.checkpoint_exists(path), f'the state file lists a deleted {path}'
    assert state.all_model_checkpoint_paths[-1] == state.model_checkpoint_path
    return state


@pytest.mark.parametrize('shared', [True, False], ids=['one saver', 'a saver per thread'])
def test_threads_saving_with_max_to_keep(tmp_path, shared):
    graph, w, step = model()
    sess = tf.Session(graph=graph)
    sess.run(w)
    for trial in range(THREAD_TRIALS):
        directory = tmp_path / f'trial{trial}'
        directory.mkdir()
        with graph.as_default(): savers = [tf.train.Saver(max_to_keep=2)] * 4 if shared else [tf.train.Saver(max_to_keep=2) for _ in range(4)]
        start = threading.Barrier(4)
        failures = []
        def save_many(k):
            start.wait()
            try:
                for i in range(8): savers[k].save(sess, str(directory / 'model'), global_step=100 * k + i)
            except BaseException as e: failures.append(e)
        threads = [threading.Thread(target=save_many, args=(k,)) for k in range(4)]
        for t in threads: t.start()
        for t in threads: t.join()
        assert not failures, failures
        state = check_state(directory)
        kept = 2 if shared else 2 * 4
        assert len(checkpoints(directory)) == kept, checkpoints(directory)
        if shared: assert sorted(os.path.basename(p) + '.npz' for p in state.all_model_checkpoint_paths) == checkpoints(directory)
        assert not glob.glob(str(directory / '.*.tmp'))


def test_save_while_reading_latest(tmp_path):
    "A thread that restores the latest checkpoint while another saves always finds one (the state file never runs ahead); one deleted by max_to_keep before it is read was superseded."
    graph, w, step = model()
    sess = tf.Session(graph=graph)
    with graph.as_default(): saver = tf.train.Saver(max_to_keep=3)
    saver.save(sess, str(tmp_path / 'model'), global_step=0)
    done, seen = threading.Event(), []
    def read():
        reader = tf.Session(graph=graph)
        while not done.is_set():
            latest = tf.train.latest_checkpoint(str(tmp_path))
            assert latest is not None
            step = int(latest.rsplit('-', 1)[1])
            try: saver.restore(reader, latest)
            except tf.errors.NotFoundError:   # three newer saves came in between and max_to_keep deleted it, as TF would
                assert int(tf.train.latest_checkpoint(str(tmp_path)).rsplit('-', 1)[1]) >= step + 3
            seen.append(step)
    errors = []
    def guarded():
        try: read()
        except BaseException as e: errors.append(e)
    t = threading.Thread(target=guarded)
    t.start()
    for i in range(1, 40):
        sess.write_variable(w, np.full(4, float(i)))
        saver.save(sess, str(tmp_path / 'model'), global_step=i)
    done.set()
    t.join()
    assert not errors, errors
    assert seen == sorted(seen)   # never an older checkpoint after a newer one


KILL_SCRIPT = textwrap.dedent("""
    import sys
    import numpy as np
    import deepscratch as tf
    directory = sys.argv[1]
    with tf.Graph().as_default() as g:
        w = tf.Variable(np.zeros(500_000), name='w')   # 4 MB of float64
        step = tf.Variable(0, name='step')
        saver = tf.train.Saver(max_to_keep=2)
    sess = tf.Session(graph=g)
    saver.recover_last_checkpoints((tf.train.get_checkpoint_state(directory) or tf.train.CheckpointState('', [])).all_model_checkpoint_paths)
    print('ready', flush=True)
    for i in range(1, 10_000):
        sess.write_variable(w, np.full(500_000, float(i)))
        saver.save(sess, directory + '/model', global_step=i)
""")


@pytest.mark.skipif(not hasattr(signal, 'SIGKILL'), reason='needs SIGKILL (POSIX)')
def test_kill_during_saves_leaves_a_restorable_checkpoint_and_no_pile_of_temporaries(tmp_path):
    rng = np.random.default_rng(0)
    graph, w, step = model(size=500_000)
    sess = tf.Session(graph=graph)
    with graph.as_default(): saver = tf.train.Saver(max_to_keep=2)
    saver.save(sess, str(tmp_path / 'model'), global_step=0)
    leftovers = []
    for kill in range(KILLS):
        process = subprocess.Popen([sys.executable, '-c', KILL_SCRIPT, str(tmp_path)], stdout=subprocess.PIPE, text=True)
        assert process.stdout.readline().strip() == 'ready'
        time.sleep(float(rng.uniform(0.05, 0.6)))   # somewhere among its saves (timing only aims the kill; nothing asserts on it)
        process.send_signal(signal.SIGKILL)
        process.wait()
        process.stdout.close()
        latest = check_state(tmp_path).model_checkpoint_path
        saver.restore(sess, latest)
        value = sess.run(w)
        assert np.all(value == value[0])                   # one whole checkpoint, not a mix
        temporaries = glob.glob(str(tmp_path / '.*.tmp'))
        assert len(temporaries) <= 1, temporaries            # at most the one the killed process was writing
        leftovers.append(len(temporaries))
    saver.recover_last_checkpoints(check_state(tmp_path).all_model_checkpoint_paths)   # what the other processes kept
    saver.save(sess, str(tmp_path / 'model'), global_step=10**6)   # a save in this process removes what the dead left
    assert glob.glob(str(tmp_path / '.*.tmp')) == []
    check_state(tmp_path)
    print(f'\nkills: {KILLS}, temporary files left by each kill: {leftovers}')


def test_stale_temporaries_of_dead_processes_only(tmp_path):
    finished = subprocess.run([sys.executable, '-c', 'import os; print(os.getpid())'], capture_output=True, text=True)
    dead = int(finished.stdout)
    alive = subprocess.Popen([sys.executable, '-c', 'import sys; sys.stdin.read()'], stdin=subprocess.PIPE)
    try:
        names = [f'.model-1.npz.{dead}-0123abcd.tmp', f'.model-2.npz.{alive.pid}-0123abcd.tmp', f'.notes.{dead}-00000000.tmp',
                 'model.tmp', f'.model-3.npz.{dead}-xyz.tmp']
        for n in names: (tmp_path / n).write_bytes(b'half')
        removed = remove_stale_temporaries(str(tmp_path), keep=lambda base: base.endswith('.npz'))
        assert removed == [names[0]]
        assert sorted(os.listdir(tmp_path)) == sorted(names[1:])
    finally:
        alive.stdin.close()
        alive.wait()


def test_a_temporary_in_flight_is_not_removed(tmp_path):
    "A save in another thread of this process is not disturbed by the cleanup of a save here."
    target = str(tmp_path / 'big.npz')
    inside, release = threading.Event(), threading.Event()
    def slow(f):
        f.write(b'part one ')
        inside.set()
        release.wait(20)
        f.write(b'part two')
    t = threading.Thread(target=write_atomically, args=(target, slow))
    t.start()
    inside.wait(20)
    assert remove_stale_temporaries(str(tmp_path)) == []
    release.set()
    t.join()
    assert open(target, 'rb').read() == b'part one part two'


def test_max_to_keep_as_tensorflow_documents(tmp_path):
    graph, w, step = model()
    sess = tf.Session(graph=graph)
    for keep in (None, 0):
        directory = tmp_path / f'keep{keep}'
        directory.mkdir()
        with graph.as_default(): saver = tf.train.Saver(max_to_keep=keep)
        for i in range(4): saver.save(sess, str(directory / 'model'), global_step=i)
        assert checkpoints(directory) == [f'model-{i}.npz' for i in range(4)]   # nothing deleted
        assert check_state(directory).all_model_checkpoint_paths == [str(directory / 'model-3')]   # only the latest listed
    directory = tmp_path / 'keep1'
    directory.mkdir()
    with graph.as_default(): saver = tf.train.Saver(max_to_keep=1)
    for i in range(4): saver.save(sess, str(directory / 'model'), global_step=i)
    assert checkpoints(directory) == ['model-3.npz']
    for bad in (-1, 2.5, '3', True):
        with graph.as_default(), pytest.raises(ValueError, match='Saver: max_to_keep must be None or a non-negative int'):
            tf.train.Saver(max_to_keep=bad)
