"""Property-test strategies for chapter 24's string operations, checked against Python's own string handling.

They are not differentiable (strings have no gradient), so these cases check the forward value only: the text of
numbers against Python's printf-style `%`, the numbers of text against float()/int(), joins against bytes.join."""
import numpy as np
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import deepscratch as tf
from test_properties import Case, strategy

TEXT = st.text(alphabet=st.characters(codec='utf-8', exclude_categories=['Cs']), max_size=5).map(lambda s: s.encode())
SHAPES = hnp.array_shapes(min_dims=0, max_dims=3, min_side=0, max_side=3)


def byte_strings(draw, shape):
    "An object array of `shape` whose elements are random byte strings (UTF-8 text, some empty)."
    out = np.empty(shape, dtype=object)
    out.flat[:] = [draw(TEXT) for _ in range(out.size)]
    return out


def texts(array, format):
    out = np.empty(array.shape, dtype=object)
    out.flat[:] = [(format % v).encode() for v in array.reshape(-1).tolist()]
    return out


@strategy('AsString')
def as_string_case(draw, op_type):
    shape = draw(SHAPES)
    if draw(st.booleans()):   # integers, maybe padded
        x = draw(hnp.arrays(np.int32, shape, elements=st.integers(-10**6, 10**6)))
        width, fill = draw(st.integers(-1, 8)), draw(st.sampled_from(['', '0', '-', '+', ' ']))
        format = '%' + fill + (str(width) if width > -1 else '') + 'd'
        return Case([x], lambda x: tf.as_string(x, width=width, fill=fill), lambda x: texts(x, format), about=format)
    x = draw(hnp.arrays(np.float64, shape, elements=st.floats(-1e6, 1e6, allow_nan=False)))
    precision, style = draw(st.integers(-1, 9)), draw(st.sampled_from(['f', 'e', 'g']))
    format = '%' + (f'.{precision}' if precision > -1 else '') + style
    return Case([x], lambda x: tf.as_string(x, precision=precision, scientific=style == 'e', shortest=style == 'g'),
                lambda x: texts(x, format), about=format)


@strategy('StringToNumber')
def string_to_number_case(draw, op_type):
    shape, integer = draw(SHAPES), draw(st.booleans())
    numbers = (draw(hnp.arrays(np.int64, shape, elements=st.integers(-2**31, 2**31 - 1))) if integer else
               draw(hnp.arrays(np.float64, shape, elements=st.floats(allow_nan=False))))
    text = texts(numbers, '%d' if integer else '%r')   # repr: the shortest text that reads back exactly
    out_type = tf.int32 if integer else tf.float64
    return Case([text], lambda s: tf.string_to_number(s, out_type=out_type),
                lambda s: numbers.astype(np.int32 if integer else np.float64), about=out_type.name)


@strategy('StringJoin')
def string_join_case(draw, op_type):
    shapes = draw(hnp.mutually_broadcastable_shapes(num_shapes=draw(st.integers(1, 3)), min_dims=0, max_dims=2,
                                                    max_side=3)).input_shapes
    inputs, separator = [byte_strings(draw, s) for s in shapes], draw(TEXT)
    def numpy(*values):
        parts = np.broadcast_arrays(*values)
        out = np.empty(parts[0].shape, dtype=object)
        out.flat[:] = [separator.join(t) for t in zip(*(p.flat for p in parts))]
        return out
    return Case(inputs, lambda *xs: tf.string_join(list(xs), separator=separator), numpy, about=f'separator={separator!r}')


@strategy('StringLength')
def string_length_case(draw, op_type):
    x, unit = byte_strings(draw, draw(SHAPES)), draw(st.sampled_from(['BYTE', 'UTF8_CHAR']))
    count = len if unit == 'BYTE' else (lambda b: len(b.decode()))
    return Case([x], lambda x: tf.strings.length(x, unit=unit),
                lambda x: np.array([count(b) for b in x.flat], np.int32).reshape(x.shape), about=unit)


@strategy('ReduceJoin')
def reduce_join_case(draw, op_type):
    x = byte_strings(draw, draw(hnp.array_shapes(min_dims=1, max_dims=3, min_side=1, max_side=3)))
    axis = draw(st.one_of(st.none(), st.integers(-x.ndim, x.ndim - 1)))
    keep, separator = draw(st.booleans()), draw(TEXT)
    def numpy(x):
        if axis is None:
            out = np.array(separator.join(x.flat), dtype=object)
            return out.reshape([1] * x.ndim) if keep else out
        moved = np.moveaxis(x, axis, -1)
        out = np.empty(moved.shape[:-1], dtype=object)
        out.flat[:] = [separator.join(row) for row in moved.reshape(-1, moved.shape[-1])]
        return np.expand_dims(out, axis) if keep else out
    return Case([x], lambda x: tf.reduce_join(x, axis=axis, keep_dims=keep, separator=separator), numpy,
                about=f'axis={axis} keep_dims={keep} separator={separator!r}')
