"Bad input to the CNN ops of chapters 17 and 18 fails when the graph is built, with a message naming what was wrong."
import pytest

import deepscratch as tf
from deepscratch import errors


@pytest.fixture(autouse=True)
def fresh_graph():
    tf.reset_default_graph()


def images(shape=(None, 8, 8, 3)): return tf.placeholder(tf.float32, list(shape), name='images')
def kernel(shape=(3, 3, 3, 4)): return tf.placeholder(tf.float32, list(shape), name='kernel')
ONES = [1, 1, 1, 1]
POOL = [1, 2, 2, 1]


def test_input_not_4d():
    with pytest.raises(errors.ShapeError, match=r"Conv2D: input .*'images(_\d+)?'.* must be 4-D"):
        tf.nn.conv2d(images((8, 8, 3)), kernel(), ONES, 'SAME')
    with pytest.raises(errors.ShapeError, match=r"Conv2D: filter .*'kernel(_\d+)?'.* must be 4-D"):
        tf.nn.conv2d(images(), kernel((3, 3, 3)), ONES, 'SAME')
    with pytest.raises(errors.ShapeError, match=r"MaxPool: input .*'images(_\d+)?'.* must be 4-D"):
        tf.nn.max_pool(images((None, 8, 8)), POOL, POOL, 'VALID')
    with pytest.raises(errors.ShapeError, match=r"AvgPool: input .* must be 4-D"):
        tf.nn.avg_pool(images((8, 8)), POOL, POOL, 'VALID')


def test_channels_differ_from_the_filter():
    with pytest.raises(errors.ShapeError, match=r"Conv2D: .*'images(_\d+)?'.* has 3 channels but .*'kernel(_\d+)?'.* expects 5"):
        tf.nn.conv2d(images(), kernel((3, 3, 5, 4)), ONES, 'SAME')
    with pytest.raises(errors.ShapeError, match=r"has 3 channels"):
        tf.nn.conv2d_transpose(images(), kernel((3, 3, 2, 5)), [1, 8, 8, 2], ONES, 'SAME')


@pytest.mark.parametrize('padding', ['same', 'FULL', '', None, 3])
def test_unknown_padding(padding):
    with pytest.raises(ValueError, match=r"conv2d: padding must be 'SAME' or 'VALID'"):
        tf.nn.conv2d(images(), kernel(), ONES, padding)
    with pytest.raises(ValueError, match=r"max_pool: padding must be 'SAME' or 'VALID'"):
        tf.nn.max_pool(images(), POOL, POOL, padding)


@pytest.mark.parametrize('strides', [[1, 1], [1, 1, 1], [1, 1, 1, 1, 1], 2])
def test_strides_not_of_length_4(strides):
    with pytest.raises(ValueError, match=r"conv2d: strides must be a list of 4 ints"):
        tf.nn.conv2d(images(), kernel(), strides, 'SAME')
    with pytest.raises(ValueError, match=r"avg_pool: strides must be a list of 4 ints"):
        tf.nn.avg_pool(images(), POOL, strides, 'SAME')
    with pytest.raises(ValueError, match=r"max_pool: ksize must be a list of 4 ints"):
        tf.nn.max_pool(images(), strides, POOL, 'SAME')


@pytest.mark.parametrize('window', [[2, 1, 1, 1], [1, 1, 1, 2], [2, 2, 2, 2]])
def test_striding_over_batch_or_channels(window):
    with pytest.raises(ValueError, match=r"conv2d: strides .* would move over the batch or channel axis"):
        tf.nn.conv2d(images(), kernel(), window, 'SAME')
    with pytest.raises(ValueError, match=r"max_pool: ksize .* would move over the batch or channel axis"):
        tf.nn.max_pool(images(), window, POOL, 'SAME')
    with pytest.raises(ValueError, match=r"avg_pool: strides .* would move over the batch or channel axis"):
        tf.nn.avg_pool(images(), POOL, window, 'SAME')


def test_nchw_is_not_supported():
    for build in (lambda: tf.nn.conv2d(images(), kernel(), ONES, 'SAME', data_format='NCHW'),
                  lambda: tf.nn.max_pool(images(), POOL, POOL, 'SAME', data_format='NCHW'),
                  lambda: tf.nn.avg_pool(images(), POOL, POOL, 'SAME', data_format='NCHW'),
                  lambda: tf.nn.conv2d_transpose(images(), kernel(), [1, 8, 8, 3], ONES, 'SAME', data_format='NCHW')):
        with pytest.raises(ValueError, match=r"data_format 'NCHW' is not supported"):
            build()


def test_window_larger_than_a_valid_input():
    with pytest.raises(errors.ShapeError, match=r"Conv2D: the 5x5 filter .* does not fit .* 'VALID' padding: the output would be empty"):
        tf.nn.conv2d(images((None, 4, 4, 3)), kernel((5, 5, 3, 4)), ONES, 'VALID')
    with pytest.raises(errors.ShapeError, match=r"MaxPool: a 3x3 window does not fit .* 'VALID' padding"):
        tf.nn.max_pool(images((None, 2, 8, 3)), [1, 3, 3, 1], POOL, 'VALID')
    # the same window is fine with 'SAME' padding, which always gives ceil(size / stride) outputs
    test = tf.nn.conv2d(images((None, 4, 4, 3)), kernel((5, 5, 3, 4)), ONES, 'SAME')
    assert test.shape.as_list() == [None, 4, 4, 4]
    assert tf.nn.max_pool(images((None, 2, 8, 3)), [1, 3, 3, 1], POOL, 'SAME').shape.as_list() == [None, 1, 4, 3]


# dropout's static keep_prob / rate range errors are in tests/test_regularization_errors.py


def test_good_input_still_builds():
    y = tf.nn.conv2d(images(), kernel(), [1, 2, 2, 1], 'SAME')
    assert y.shape.as_list() == [None, 4, 4, 4]
    assert tf.nn.dropout(y, 1.0).shape.as_list() == [None, 4, 4, 4]
    assert tf.nn.dropout(y, rate=0.0).shape.as_list() == [None, 4, 4, 4]
