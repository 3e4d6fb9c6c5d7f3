"""TensorBoard (chapter 26): the event files deepscratch writes, read back by TensorBoard's own reader and served by the
real TensorBoard, and the program that goes on without the `tensorboard` package.

    pytest tests/test_tensorboard.py -q
"""
import base64
import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import numpy as np
import pytest

import deepscratch as tf
from deepscratch.summaries import decode_png, default_bucket_limits, histogram_proto_fields

from tensorboard.backend.event_processing import event_accumulator
from tensorboard.compat.proto.summary_pb2 import Summary

ROOT = Path(__file__).resolve().parent.parent


def write_run(logdir, steps=5):
    "A small run: scalars, a histogram, images, text and the graph; what the session computed, by step."
    computed = {}
    with tf.Graph().as_default() as graph:
        x = tf.placeholder(tf.float32, [None, 4], name='x')
        with tf.name_scope('model'):
            W = tf.Variable(tf.ones([4, 2]), name='W')
            y = tf.matmul(x, W)
        loss = tf.reduce_mean(tf.square(y))
        tf.summary.scalar('loss', loss)
        tf.summary.histogram('activations', y)
        tf.summary.image('inputs', tf.reshape(x, [-1, 2, 2, 1]), max_outputs=2)
        tf.summary.text('note', tf.constant('step **note**'))
        merged = tf.summary.merge_all()
        with tf.Session() as sess, tf.summary.FileWriter(logdir, graph) as writer:
            for step in range(steps):
                feed = {x: np.arange(12, dtype=np.float32).reshape(3, 4) * (step - 2)}
                summary, computed[step] = sess.run([merged, [loss, y]], feed)
                writer.add_summary(summary, global_step=step)
    return computed, graph


def test_event_files_read_back_exactly(tmp_path):
    computed, graph = write_run(tmp_path)
    run = event_accumulator.EventAccumulator(str(tmp_path), size_guidance={event_accumulator.IMAGES: 0, event_accumulator.TENSORS: 0})
    run.Reload()
    assert [e.value for e in run.Scalars('loss')] == pytest.approx([float(computed[s][0]) for s in range(5)], rel=1e-6)
    for event in run.Histograms('activations'):
        values = computed[event.step][1].astype(np.float64)
        h = event.histogram_value
        assert (h.num, h.min, h.max, h.sum) == (values.size, values.min(), values.max(), pytest.approx(values.sum()))
        limits = default_bucket_limits()
        counts = np.bincount(np.searchsorted(limits, values.ravel(), side='right'), minlength=len(limits))
        for limit, count in zip(h.bucket_limit, h.bucket):
            if count: assert counts[np.searchsorted(limits, limit)] == count       # numpy counts the same in that bucket
    first = decode_png(run.Images('inputs/image/1')[0].encoded_image_string)[..., 0]
    raw = np.arange(12, dtype=np.float64).reshape(3, 4)[:2] * -2                   # step 0: all <= 0, so signed scaling
    expected = np.floor(raw * 127 / np.abs(raw).max() + 128).astype(np.uint8)
    assert first.tolist() == expected[1].reshape(2, 2).tolist()
    assert run.Tensors('note')[0].tensor_proto.string_val == [b'step **note**']
    ops = {n.name: n.op for n in run.Graph().node}
    assert (ops['x'], ops['model/W'], ops['model/MatMul']) == ('Placeholder', 'VariableV2', 'MatMul')
    assert len(ops) == len(graph.get_operations())


@pytest.mark.parametrize('values', [[0.0], [-1.0, 1.0, 1e-13, 3e19], np.linspace(-5, 5, 101), []])
def test_histogram_buckets_as_tensorflow_counts_them(values):
    fields = histogram_proto_fields(values)
    limits = default_bucket_limits()
    assert sum(fields['bucket']) == len(values)
    assert all(a < b for a, b in zip(fields['bucket_limit'], fields['bucket_limit'][1:]))
    for v in values:                                   # v lies in the bucket (previous edge, edge]: edge the first above v
        k = np.searchsorted(limits, v, side='right')
        assert limits[k - 1] <= v < limits[k] and limits[k] in fields['bucket_limit']


def test_summaries_errors():
    with tf.Graph().as_default(), tf.Session() as sess:
        with pytest.raises(ValueError, match='must be a scalar'): tf.summary.scalar('s', tf.zeros([2]))
        with pytest.raises(TypeError, match='must be a non-empty string'): tf.summary.scalar('', 1.0)
        with pytest.raises(ValueError, match='must be a string tensor'): tf.summary.text('t', 1.0)
        with pytest.raises(TypeError, match='is not a summary'): tf.summary.merge([tf.constant(1.0)])
        bad = tf.summary.image('i', tf.placeholder(tf.float32, None, name='p'))
        with pytest.raises(tf.errors.InvalidArgumentError, match='must be 4-D'): sess.run(bad, {'p:0': np.zeros((2, 2))})
    with pytest.raises(ValueError, match='logdir must not be empty'): tf.summary.FileWriter('')


def free_port():
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        return s.getsockname()[1]


def get(port, path, timeout=60):
    "GET from the TensorBoard server, waiting (up to `timeout` seconds) while it starts."
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(f'http://127.0.0.1:{port}{path}', timeout=10) as response: return response.read()
        except OSError:
            if time.monotonic() > deadline: raise
            time.sleep(0.5)


def test_the_real_tensorboard_serves_the_run(tmp_path):
    computed, _ = write_run(tmp_path / 'run1')
    tensorboard = Path(sys.executable).with_name('tensorboard')
    port = free_port()
    server = subprocess.Popen([str(tensorboard), '--logdir', str(tmp_path), '--host', '127.0.0.1', '--port', str(port)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 60
        while json.loads(get(port, '/data/runs')) != ['run1']:               # it finds the run after its first scan
            assert time.monotonic() < deadline, 'TensorBoard did not list the run'
            time.sleep(0.5)
        scalars = json.loads(get(port, '/data/plugin/scalars/scalars?run=run1&tag=loss'))
        assert [step for _, step, _ in scalars] == list(range(5))
        assert [value for _, _, value in scalars] == pytest.approx([float(computed[s][0]) for s in range(5)], rel=1e-6)
        histograms = json.loads(get(port, '/data/plugin/histograms/histograms?run=run1&tag=activations'))
        assert sum(count for _, _, count in histograms[2][2]) == computed[2][1].size
        text = json.loads(get(port, '/data/plugin/text/text?run=run1&tag=note'))
        assert text[0]['text'] == '<p>step <strong>note</strong></p>'           # rendered as Markdown
        images = json.loads(get(port, '/data/plugin/images/images?run=run1&tag=inputs/image/0&sample=0'))
        png = get(port, '/data/plugin/images/individualImage?' + images[4]['query'])
        assert decode_png(png).shape == (2, 2, 1)
        graph = get(port, '/data/plugin/graphs/graph?run=run1').decode()
        assert 'op: "MatMul"' in graph and 'name: "model/W"' in graph
        # and what a person sees: the scalars dashboard, in the machine's Chromium, lists the tag
        from playwright.sync_api import sync_playwright
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=os.environ.get('CHROMIUM', '/usr/bin/chromium'),
                                         args=['--no-sandbox', '--disable-gpu', '--no-first-run'])
            try:
                page = browser.new_page()
                page.route('**/*', lambda r: r.continue_() if r.request.url.startswith(('http://127.0.0.1', 'data:'))
                           else r.abort())                               # offline: nothing from outside
                page.goto(f'http://127.0.0.1:{port}/#scalars', wait_until='domcontentloaded', timeout=60000)
                tag = page.locator('text=loss').first                    # Playwright's text locator sees into shadow roots
                tag.wait_for(timeout=60000)
                assert tag.inner_text().strip() == 'loss'
            finally:
                browser.close()
    finally:
        server.kill()
        server.wait()


BLOCK_TENSORBOARD = """
import sys, warnings
class Block:
    def find_spec(self, name, path=None, target=None):
        if name == 'tensorboard' or name.startswith('tensorboard.'): raise ImportError('no tensorboard here')
sys.meta_path.insert(0, Block())
import numpy as np, deepscratch as tf
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter('always')
    with tf.Graph().as_default(), tf.Session() as sess:
        x = tf.placeholder(tf.float32, [], name='x')
        tf.summary.scalar('loss', x)
        merged = tf.summary.merge_all()
        writer = tf.summary.FileWriter(sys.argv[1], sess.graph if hasattr(sess, 'graph') else None)
        for step in range(3): writer.add_summary(sess.run(merged, {x: step}), step)
        writer.close()
print(len(caught), caught[0].message if caught else None)
"""

def test_without_tensorboard_the_program_goes_on_after_one_warning(tmp_path):
    r = subprocess.run([sys.executable, '-c', BLOCK_TENSORBOARD, str(tmp_path / 'logs')], capture_output=True, text=True, cwd=ROOT)
    assert r.returncode == 0, r.stderr
    count, message = r.stdout.strip().split(' ', 1)
    assert count == '1' and 'pip install "deepscratch[tensorboard]"' in message
    assert not list(tmp_path.rglob('events.out.tfevents.*'))
