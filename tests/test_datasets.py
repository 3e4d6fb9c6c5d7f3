"""tf.data (chapter 25): random pipelines against a plain-Python model of each transformation, and the iterators' promises.

    pytest tests/test_datasets.py -q

The property test draws a source and a chain of up to six transformations, builds the pipeline with deepscratch and the
same chain on Python lists (each transformation a line or two: what TF 1.15 documents), and asserts the two give the
same elements, in order. Shuffles are checked as permutations (orders differ from TensorFlow's by design), and seeded
ones as reproducible. Then: what iterators promise (a pass per initializer run, OutOfRangeError at the end and after it,
a one-shot pass per session, feeds checked, fetched values that never alias the caller's arrays, threads dividing the
elements), and the errors, each naming what was wrong.
"""
import threading

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

import deepscratch as tf


def read_all(next_element, sess, limit=10_000):
    found = []
    try:
        while len(found) < limit: found.append(sess.run(next_element))
    except tf.errors.OutOfRangeError: pass
    return found

def as_python(value):
    return value.tolist() if isinstance(value, np.ndarray) else int(value)

# ---------------------------------------------------------------- the model: each transformation on a list

ERROR = 'error'   # where the pipeline raises: an element would stack batches of different shapes; nothing comes after it

def until_error(items):
    "`items` up to and including its first ERROR: an iterator stops at its first error."
    return items[:items.index(ERROR) + 1] if ERROR in items else items

def model(name, args, items):
    "The elements after transformation `name`, lazily as TF pulls them: an ERROR counts only if something pulls it."
    if name == 'take': n, = args; return items if n == -1 else items[:n]
    if name == 'skip':   # skipping pulls the skipped elements, so an error among them is raised
        n, = args; skipped = items if n == -1 else items[:n]
        return [ERROR] if ERROR in skipped else items[len(skipped):]
    if name == 'repeat': n, = args; return [] if n == 0 else items if ERROR in items else items * n
    if name == 'batch':
        size, drop = args
        out = []
        for i in range(0, len(items), size):
            batch = items[i:i + size]
            if ERROR in batch: return out + [ERROR]
            if len(batch) < size and drop: break   # a dropped remainder is never stacked, so never checked
            shapes = {len(x) if isinstance(x, list) else None for x in batch}
            out.append(batch if len(shapes) == 1 else ERROR)   # TensorFlow cannot stack elements of different shapes
        return until_error(out)
    if name == 'unbatch':
        out = []
        for batch in items:
            if batch == ERROR: return out + [ERROR]
            out.extend(batch)
        return out
    if name == 'map': return [x if x == ERROR else 3 * x + 1 for x in items]
    if name == 'filter': return [x for x in items if x == ERROR or x % 3 != 0]
    if name == 'shard':   # a shard pulls every element to find its own, so it meets an error wherever it is
        n, i = args; stop = items.index(ERROR) if ERROR in items else len(items)
        return items[:stop][i::n] + items[stop:]
    if name == 'cache' or name == 'prefetch': return items
    raise AssertionError(name)

def build(name, args, dataset):
    if name == 'map': return dataset.map(lambda x: 3 * x + 1)
    if name == 'filter': return dataset.filter(lambda x: tf.not_equal(x % 3, 0))
    if name == 'unbatch': return dataset.unbatch()
    if name == 'cache': return dataset.cache()
    if name == 'prefetch': return dataset.prefetch(2)
    if name == 'batch': return dataset.batch(args[0], drop_remainder=args[1])
    return getattr(dataset, name)(*args)

@st.composite
def chains(draw):
    "A chain of transformations that fits the elements' rank (map and filter on scalars, unbatch on batches)."
    rank, chain = 0, []
    for _ in range(draw(st.integers(0, 6))):
        options = ['take', 'skip', 'repeat', 'batch', 'shard', 'cache', 'prefetch'] + (['map', 'filter'] if rank == 0 else ['unbatch'])
        name = draw(st.sampled_from(options))
        if name in ('take', 'skip'): args = (draw(st.integers(-1, 12)),)
        elif name == 'repeat': args = (draw(st.integers(0, 3)),)
        elif name == 'batch': args = (draw(st.integers(1, 5)), draw(st.booleans())); rank += 1
        elif name == 'shard':
            n = draw(st.integers(1, 4)); args = (n, draw(st.integers(0, n - 1)))
        else: args = ()
        if name == 'unbatch': rank -= 1
        chain.append((name, args))
    return chain

@settings(max_examples=60, deadline=None)
@given(size=st.integers(0, 15), start=st.integers(-5, 5), chain=chains(), fed=st.booleans())
def test_random_pipelines_match_the_model(size, start, chain, fed):
    items = list(range(start, start + size))
    with tf.Graph().as_default():
        source = tf.placeholder(tf.int64, [None], name='source') if fed else np.array(items, dtype=np.int64)
        dataset = tf.data.Dataset.from_tensor_slices(source)
        for name, args in chain:
            dataset = build(name, args, dataset)
            items = model(name, args, items)
        good, fails = (items[:-1], True) if items[-1:] == [ERROR] else (items, False)
        iterator = dataset.make_initializable_iterator()
        element = iterator.get_next()
        with tf.Session() as sess:
            for _ in range(2):   # a second pass, from the initializer again, gives the same elements
                sess.run(iterator.initializer, {source: np.arange(start, start + size)} if fed else None)
                got = []
                if fails:
                    with pytest.raises(tf.errors.InvalidArgumentError, match='cannot batch tensors with different shapes'):
                        while True: got.append(sess.run(element))
                else: got = read_all(element, sess)
                assert [as_python(g) for g in got] == good, chain
            if not fails:
                with pytest.raises(tf.errors.OutOfRangeError, match='End of sequence'): sess.run(element)

@settings(max_examples=30, deadline=None)
@given(size=st.integers(0, 40), buffer=st.integers(1, 50), seed=st.integers(0, 2**31), epochs=st.integers(1, 3))
def test_shuffles_are_permutations_and_seeded_ones_repeat(size, buffer, seed, epochs):
    with tf.Graph().as_default():
        dataset = tf.data.Dataset.range(size).shuffle(buffer, seed=seed).repeat(epochs)
        element = dataset.make_one_shot_iterator().get_next()
        runs = []
        for _ in range(2):
            with tf.Session() as sess: runs.append([int(v) for v in read_all(element, sess)])
    for run in runs:
        for e in range(epochs):
            assert sorted(run[e * size:(e + 1) * size]) == list(range(size))      # each epoch a permutation
        ahead = [v - i for i, v in enumerate(run[:size])]
        assert not ahead or max(ahead) <= buffer - 1                           # no element further ahead than the buffer
    assert runs[0] == runs[1]                                                   # the same seed, the same epochs

def test_without_a_seed_each_session_shuffles_anew():
    with tf.Graph().as_default():
        element = tf.data.Dataset.range(50).shuffle(50).make_one_shot_iterator().get_next()
        orders = set()
        for _ in range(3):
            with tf.Session() as sess: orders.add(tuple(int(v) for v in read_all(element, sess)))
    assert len(orders) == 3

def test_graph_seed_alone_makes_shuffles_reproducible():
    def order():
        with tf.Graph().as_default():
            tf.set_random_seed(7)
            element = tf.data.Dataset.range(30).shuffle(30).make_one_shot_iterator().get_next()
            with tf.Session() as sess: return [int(v) for v in read_all(element, sess)]
    assert order() == order()

# ---------------------------------------------------------------- structures and sources

def test_structures_and_static_shapes():
    with tf.Graph().as_default():
        data = {'image': np.zeros((5, 3, 2), np.float32), 'label': np.arange(5)}
        dataset = tf.data.Dataset.from_tensor_slices((data, np.ones(5, np.float64))).batch(2)
        assert dataset.output_types == ({'image': tf.float32, 'label': tf.int64}, tf.float64)
        assert dataset.output_shapes == ({'image': tf.TensorShape([None, 3, 2]), 'label': tf.TensorShape([None])},
                                         tf.TensorShape([None]))
        (features, weight) = dataset.make_one_shot_iterator().get_next()
        assert features['image'].shape.as_list() == [None, 3, 2] and weight.dtype == tf.float64
        with tf.Session() as sess:
            got = read_all((features, weight), sess)
    assert [len(w) for _, w in got] == [2, 2, 1]
    assert [f['label'].tolist() for f, _ in got] == [[0, 1], [2, 3], [4]]

def test_from_generator_is_called_anew_for_each_pass_with_its_args():
    calls = []
    def gen(n):
        calls.append(int(n))
        for i in range(int(n)): yield i, [i] * i
    with tf.Graph().as_default():
        n = tf.placeholder(tf.int64, [], name='n')
        dataset = tf.data.Dataset.from_generator(gen, (tf.int32, tf.int32), ([], [None]), args=(n,))
        iterator = dataset.make_initializable_iterator()
        element = iterator.get_next()
        with tf.Session() as sess:
            for k in (3, 2):
                sess.run(iterator.initializer, {n: k})
                got = read_all(element, sess)
                assert [(int(a), b.tolist()) for a, b in got] == [(i, [i] * i) for i in range(k)]
    assert calls == [3, 2]
    with tf.Graph().as_default():
        bad = tf.data.Dataset.from_generator(lambda: iter(['x']), tf.int32)
        with tf.Session() as sess, pytest.raises(tf.errors.InvalidArgumentError, match='could not be converted to the expected type int32'):
            sess.run(bad.make_one_shot_iterator().get_next())

def test_padded_batch_of_strings_and_structures():
    with tf.Graph().as_default():
        words = tf.data.Dataset.from_generator(lambda: iter([(['a', 'b'], 1), (['c'], 2)]), (tf.string, tf.int32), ([None], []))
        batch = words.padded_batch(2, padded_shapes=([3], []), padding_values=('<pad>', -1)).make_one_shot_iterator().get_next()
        with tf.Session() as sess: tokens, ids = sess.run(batch)
    assert tokens.tolist() == [[b'a', b'b', b'<pad>'], [b'c', b'<pad>', b'<pad>']] and ids.tolist() == [1, 2]

# ---------------------------------------------------------------- iterators

def test_a_run_reads_one_element_for_all_its_components():
    with tf.Graph().as_default():
        x, y = tf.data.Dataset.from_tensor_slices((np.arange(4), 10 * np.arange(4))).make_one_shot_iterator().get_next()
        total = x + y
        with tf.Session() as sess:
            assert [int(v) for v in sess.run([x, y, total])] == [0, 0, 0]
            assert [int(v) for v in sess.run([total, y])] == [11, 10]          # the next element, consistently
            assert int(sess.run(x)) == 2

def test_fetched_elements_never_alias_the_fed_arrays():
    with tf.Graph().as_default():
        data = tf.placeholder(tf.float64, [None, 2], name='data')
        iterator = tf.data.Dataset.from_tensor_slices(data).make_initializable_iterator()
        row = iterator.get_next()
        array = np.arange(6.0).reshape(3, 2)
        with tf.Session() as sess:
            sess.run(iterator.initializer, {data: array})
            first = sess.run(row)
            first[:] = -1
            assert array[0].tolist() == [0.0, 1.0]
            array[1] = 99.0                                                   # the pass read its input when it started
            assert sess.run(row).tolist() in ([2.0, 3.0], [99.0, 99.0])
            assert not np.shares_memory(sess.run(row), array)

def test_threads_sharing_an_iterator_divide_its_elements():
    with tf.Graph().as_default():
        element = tf.data.Dataset.range(3000).map(lambda v: v * 2).make_one_shot_iterator().get_next()
        sess, found = tf.Session(), [[] for _ in range(6)]
        def reader(mine):
            try:
                while True: mine.append(int(sess.run(element)))
            except tf.errors.OutOfRangeError: pass
        threads = [threading.Thread(target=reader, args=(m,)) for m in found]
        for t in threads: t.start()
        for t in threads: t.join()
        sess.close()
    assert sorted(v for m in found for v in m) == list(range(0, 6000, 2))

def test_gradients_stop_at_the_elements_and_training_reads_the_pipeline():
    with tf.Graph().as_default():
        xs = np.linspace(-1, 1, 40).astype(np.float32)
        x, y = tf.data.Dataset.from_tensor_slices((xs, 3 * xs + 1)).repeat().batch(8).make_one_shot_iterator().get_next()
        w, b = tf.Variable(0.0), tf.Variable(0.0)
        loss = tf.reduce_mean(tf.square(w * x + b - y))
        assert tf.gradients(loss, [x])[0] is not None                         # a gradient w.r.t. the batch, as for any tensor
        train = tf.train.GradientDescentOptimizer(0.5).minimize(loss)
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            for _ in range(300): sess.run(train)
            np.testing.assert_allclose(sess.run([w, b]), [3.0, 1.0], atol=1e-3)

def test_variables_in_map_are_read_for_each_element():
    with tf.Graph().as_default():
        offset = tf.Variable(0, dtype=tf.int64, name='offset')
        element = tf.data.Dataset.range(3).map(lambda v: v + offset).make_initializable_iterator()
        value = element.get_next()
        bump = tf.assign_add(offset, 10)
        with tf.Session() as sess:
            sess.run([tf.global_variables_initializer(), element.initializer])
            assert int(sess.run(value)) == 0
            sess.run(bump)
            assert int(sess.run(value)) == 11

# ---------------------------------------------------------------- errors name what was wrong

@pytest.mark.parametrize('make, error, words', [
    (lambda: tf.data.Dataset.range(3).batch(0), ValueError, 'batch_size must be positive'),
    (lambda: tf.data.Dataset.range(3).batch(2.5), TypeError, 'Dataset.batch: batch_size must be an integer'),
    (lambda: tf.data.Dataset.range(3).shuffle(0), ValueError, 'Dataset.shuffle: buffer_size must be positive'),
    (lambda: tf.data.Dataset.range(3).shard(2, 2), ValueError, 'index must be between 0 and num_shards - 1'),
    (lambda: tf.data.Dataset.range(3).map(5), TypeError, 'Dataset.map: map_func must be callable'),
    (lambda: tf.data.Dataset.range(3).map(lambda v: tf.data.Dataset.range(v)), TypeError, 'use flat_map'),
    (lambda: tf.data.Dataset.zip((tf.data.Dataset.range(3), 4)), TypeError, 'Dataset.zip'),
    (lambda: tf.data.Dataset.range(1, 2, 3, 4), ValueError, 'Dataset.range takes 1 to 3 arguments'),
    (lambda: tf.data.Dataset.from_tensor_slices(()), ValueError, 'no components'),
    (lambda: tf.data.Dataset.range(3).cache('/tmp/x'), ValueError, 'caches in memory only'),
    (lambda: tf.data.Dataset.range(3).padded_batch(2, padded_shapes=[2]), ValueError, 'padded_shapes[0] (2,) does not fit'),
    (lambda: tf.data.Dataset.range(3).unbatch(), ValueError, 'unbatching needs rank >= 1'),
    (lambda: tf.data.Iterator.from_structure(tf.int64, ([], [])), TypeError, 'output_shapes must have the structure of output_types'),
    (lambda: tf.data.Dataset(None, [], []), TypeError, 'tf.data.Dataset is abstract'),
    (lambda: iter(tf.data.Dataset.range(3)), RuntimeError, 'only supported when eager execution is enabled'),
])
def test_build_time_errors(make, error, words):
    with tf.Graph().as_default(), pytest.raises(error) as caught: make()
    assert words in str(caught.value)

def test_run_time_errors_name_the_dataset():
    with tf.Graph().as_default():
        a, b = tf.placeholder(tf.int64, [None], name='a'), tf.placeholder(tf.int64, [None], name='b')
        iterator = tf.data.Dataset.from_tensor_slices((a, b)).make_initializable_iterator()
        size = tf.placeholder(tf.int64, [], name='size')
        batched = tf.data.Dataset.range(4).batch(size).make_initializable_iterator()
        with tf.Session() as sess:
            sess.run(iterator.initializer, {a: [1, 2], b: [1, 2, 3]})
            with pytest.raises(tf.errors.InvalidArgumentError, match='same size in their first dimension'): sess.run(iterator.get_next())
            sess.run(batched.initializer, {size: 0})
            with pytest.raises(tf.errors.InvalidArgumentError, match='batch_size must be positive, got 0'): sess.run(batched.get_next())
