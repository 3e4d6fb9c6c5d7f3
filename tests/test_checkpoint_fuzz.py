"""Checkpoint fuzzing: damaged and crafted checkpoint files are refused cleanly, and never change a variable.

A checkpoint with variables of every kind (float32, float64, float16, int32, uint8, bool; a matrix, a vector, a
scalar, an empty array) is saved once; then each case damages a copy of its bytes and restores it into variables
that hold other values. Every case must end in one of two ways:

- the restore succeeds and every variable holds exactly (bit for bit) the saved value: damage that touched nothing
  that matters, such as a zip timestamp;
- it raises DataLossError (or NotFoundError, for a file that is no checkpoint at all), and every variable still holds
  its value from before.

Nothing else: no other exception, and the memory the restore takes (measured with tracemalloc) stays within a small
multiple of the file's size, also for files that declare gigabytes (zip bombs, huge shapes).

The damages: random bit flips (anywhere, and aimed at the zip headers, the .npy headers and the manifest), truncations,
random bytes inserted or appended, and crafted archives (compressed or encrypted members, a zip bomb, a pickled object
array, manifests that lie about shapes, dtypes or sizes, deeply nested JSON, duplicate or missing members).
CHECKPOINT_FUZZ_CASES random cases per kind (default 60, so a few hundred in all), plus every crafted one.
"""

from __future__ import annotations

import io
import json
import os
import pickle
import struct
import tracemalloc
import zipfile
import zlib

import numpy as np
import pytest

import deepscratch as tf
from deepscratch import errors
from deepscratch.saving import _digest, read_checkpoint

# (more for a thorough run: CHECKPOINT_FUZZ_CASES=5000 pytest tests/test_checkpoint_fuzz.py)
CASES_PER_KIND = int(os.environ.get('CHECKPOINT_FUZZ_CASES', 60))
MEMORY_FACTOR, MEMORY_SLACK = 4, 2 << 20   # a restore may take 4 x the file's size, plus 2 MiB of bookkeeping

SAVED = {
    'layer/W': np.random.default_rng(0).normal(size=(6, 5)).astype(np.float32),
    'b64': np.array([1.5, -0.0, np.inf, np.nan], np.float64),
    'half': np.array([0.5, 65504.0], np.float16),
    'steps': np.int32(1234),
    'pixels': np.arange(10, dtype=np.uint8),
    'mask': np.array([True, False, True]),
    'empty': np.zeros((0, 3), np.float32),
}
TRIED = {}   # kind -> cases tried, printed at the end (pytest -s shows it)


@pytest.fixture(scope='module')
def setup(tmp_path_factory):
    "The saved checkpoint's bytes, and a session whose variables a restore may change."
    work = tmp_path_factory.mktemp('checkpoint-fuzz')
    with tf.Graph().as_default() as graph:
        variables = {name: tf.Variable(value, name=name) for name, value in SAVED.items()}
        saver = tf.train.Saver(variables)
    sess = tf.Session(graph=graph)
    good = saver.save(sess, str(work / 'good'))
    data = open(good + '.npz', 'rb').read()
    yield dict(work=work, variables=variables, saver=saver, sess=sess, data=data)
    sess.close()


def sentinels():
    "Values unlike the saved ones, of each variable's dtype and shape."
    return {name: (np.full(np.shape(v), 3, dtype=np.asarray(v).dtype) if np.asarray(v).dtype != bool
                   else ~np.asarray(v)) for name, v in SAVED.items()}


def same_bits(a, b):
    a, b = np.asarray(a), np.asarray(b)
    return a.dtype == b.dtype and a.shape == b.shape and a.tobytes() == b.tobytes()


def restore_case(setup, data, kind, label):
    "Restore `data` as a checkpoint file; check the outcome (see the module's docstring). Returns 'restored' or the error class."
    TRIED[kind] = TRIED.get(kind, 0) + 1
    path = setup['work'] / f'case.npz'
    path.write_bytes(data)
    sess, variables = setup['sess'], setup['variables']
    before = sentinels()
    for name, variable in variables.items(): sess.write_variable(variable, before[name])
    tracemalloc.start()
    try:
        setup['saver'].restore(sess, str(path))
        outcome = 'restored'
    except (errors.DataLossError, errors.NotFoundError) as e:
        outcome = type(e).__name__
        assert 'case.npz' in str(e), f'{label}: the message does not name the file: {e}'
    except BaseException as e:
        raise AssertionError(f'{label}: restore raised {type(e).__name__}: {e}') from e
    finally:
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    assert peak <= MEMORY_FACTOR * len(data) + MEMORY_SLACK, f'{label}: the restore took {peak} bytes for a file of {len(data)}'
    for name, variable in variables.items():
        expected = SAVED[name] if outcome == 'restored' else before[name]
        assert same_bits(sess.run(variable), expected), f'{label}: {outcome}, but variable {name!r} holds {sess.run(variable)!r}'
    return outcome


# ---------------------------------------------------------------- where the structure is

def zip_offsets(data):
    "Offsets of the bytes that zip and .npy structure live in: local headers, .npy headers, central directory, end record."
    spots = []
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for info in archive.infolist():
            start = info.header_offset
            spots += range(start, start + 30 + len(info.filename) + 20)             # local header, name, extra
            if info.filename.endswith('.npy'): spots += range(start + 30 + len(info.filename) + 20, start + 30 + len(info.filename) + 150)
    end = data.rfind(b'PK\x05\x06')
    central = struct.unpack('<I', data[end + 16:end + 20])[0]
    spots += range(central, len(data))                                              # central directory and end
    manifest = data.find(b'{\n "format"')
    spots += range(manifest, manifest + 400)
    return [s for s in spots if 0 <= s < len(data)]


def test_random_bit_flips(setup):
    data, rng = setup['data'], np.random.default_rng(1)
    spots = zip_offsets(data)
    for case in range(2 * CASES_PER_KIND):
        damaged = bytearray(data)
        for _ in range(rng.integers(1, 4)):
            where = int(rng.integers(len(data))) if case % 2 else int(spots[rng.integers(len(spots))])
            damaged[where] ^= 1 << int(rng.integers(8))
        restore_case(setup, bytes(damaged), 'bit flips', f'bit flips (case {case})')


def test_random_bytes_overwritten_inserted_appended(setup):
    data, rng = setup['data'], np.random.default_rng(2)
    for case in range(CASES_PER_KIND):
        damaged = bytearray(data)
        where, junk = int(rng.integers(len(data))), bytes(rng.integers(0, 256, int(rng.integers(1, 64)), dtype=np.uint8))
        mode = case % 3
        if mode == 0: damaged[where:where + len(junk)] = junk
        elif mode == 1: damaged[where:where] = junk
        else: damaged += junk
        outcome = restore_case(setup, bytes(damaged[:len(data) + 64]), 'bytes changed', f'bytes changed (case {case}, mode {mode})')
        if mode == 2: assert outcome == 'restored'   # zip finds its end record from the end: junk after it is harmless


def test_truncations(setup):
    data, rng = setup['data'], np.random.default_rng(3)
    cuts = sorted(set([0, 1, 4, 22, len(data) - 1, len(data) - 22] + [int(c) for c in rng.integers(0, len(data), CASES_PER_KIND)]))
    for cut in cuts:
        outcome = restore_case(setup, data[:cut], 'truncations', f'truncated to {cut} of {len(data)} bytes')
        assert outcome != 'restored', f'a checkpoint cut to {cut} of {len(data)} bytes was restored'


# ---------------------------------------------------------------- crafted archives

def members(data):
    with zipfile.ZipFile(io.BytesIO(data)) as archive: return {n: archive.read(n) for n in archive.namelist()}


def archive(items, compression=zipfile.ZIP_STORED):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, 'w', compression=compression) as z:
        for name, content in items.items(): z.writestr(name, content)
    return buffer.getvalue()


def npy(array, **kw):
    buffer = io.BytesIO()
    np.lib.format.write_array(buffer, np.asarray(array), **kw)
    return buffer.getvalue()


def with_manifest(items, change):
    manifest = json.loads(items['manifest.json'])
    change(manifest)
    return {**items, 'manifest.json': json.dumps(manifest)}


def entry(manifest, name): return next(e for e in manifest['arrays'] if e['name'] == name)


def crafted_cases(data):
    "(label, bytes) of archives made by hand to break a reader."
    good = members(data)
    W = 'layer/W.npy'
    cases = {
        'every member deflated': archive(good, zipfile.ZIP_DEFLATED),
        'no manifest': archive({k: v for k, v in good.items() if k != 'manifest.json'}),
        'a member missing': archive({k: v for k, v in good.items() if k != W}),
        'manifest not JSON': archive({**good, 'manifest.json': b'\xff\xfe not json'}),
        'manifest a list': archive({**good, 'manifest.json': b'[1, 2, 3]'}),
        'manifest nested 100000 deep': archive({**good, 'manifest.json': b'[' * 100_000 + b']' * 100_000}),
        'manifest of another format': archive(with_manifest(good, lambda m: m.update(format='tensorflow'))),
        'manifest arrays not a list': archive(with_manifest(good, lambda m: m.update(arrays={'a': 1}))),
        'manifest entry not a dict': archive(with_manifest(good, lambda m: m['arrays'].append(7))),
        'manifest names an array twice': archive(with_manifest(good, lambda m: m['arrays'].append(dict(m['arrays'][0])))),
        'manifest shape huge': archive(with_manifest(good, lambda m: entry(m, 'layer/W').update(shape=[2**40, 2**20]))),
        'manifest shape negative': archive(with_manifest(good, lambda m: entry(m, 'layer/W').update(shape=[-6, -5]))),
        'manifest shape of floats': archive(with_manifest(good, lambda m: entry(m, 'layer/W').update(shape=[6.0, 5.0]))),
        'manifest shape wrong': archive(with_manifest(good, lambda m: entry(m, 'layer/W').update(shape=[5, 6]))),
        'manifest dtype object': archive(with_manifest(good, lambda m: entry(m, 'layer/W').update(dtype='object'))),
        'manifest dtype unknown': archive(with_manifest(good, lambda m: entry(m, 'layer/W').update(dtype='float128x'))),
        'manifest dtype wrong': archive(with_manifest(good, lambda m: entry(m, 'layer/W').update(dtype='int32'))),
        'manifest checksum wrong': archive(with_manifest(good, lambda m: entry(m, 'layer/W').update(sha256='0' * 64))),
        'manifest file points elsewhere': archive(with_manifest(good, lambda m: entry(m, 'layer/W').update(file='b64.npy'))),
        'manifest 20 MB': archive({**good, 'manifest.json': b' ' * (20 << 20)}),
        'a pickled object array': archive({**good, W: npy(np.array([{'a': 1}], dtype=object), allow_pickle=True)}),
        'a pickle instead of .npy': archive({**good, W: pickle.dumps(SAVED['layer/W'])}),
        'an .npy of another shape': archive({**good, W: npy(SAVED['layer/W'].T)}),
        'an .npy of another dtype': archive({**good, W: npy(SAVED['layer/W'].astype(np.float64))}),
        'an .npy with extra bytes': archive({**good, W: good[W] + b'\0' * 8}),
        'an .npy cut short': archive({**good, W: good[W][:-8]}),
        'an .npy header 1 MB long': archive({**good, W: b'\x93NUMPY\x02\x00' + struct.pack('<I', 1 << 20) + b' ' * (1 << 20)}),
        'an .npy of version 9': archive({**good, W: b'\x93NUMPY\x09\x00' + good[W][8:]}),
        'an .npy with a header that is code': archive({**good, W: npy_with_header(b"__import__('os').system('false')")}),
        'an .npy in Fortran order, same values': archive({**good, W: npy(np.asfortranarray(SAVED['layer/W']))}),
        'an .npy big-endian, same values': archive({**good, W: npy(SAVED['layer/W'].astype('>f4'))}),
        'a zip bomb (1 MiB that inflates to 1 GiB)': zip_bomb(good),
        'a member declaring 4 GiB': declared_size(data, W, 1 << 32),
        'an encrypted member': encrypted_flag(data, W),
        'not a zip': b'weights: [1, 2, 3]\n' * 10,
        'empty': b'',
    }
    return cases


def npy_with_header(header):
    header = header + b' ' * (63 - len(header) % 64) + b'\n'
    return b'\x93NUMPY\x01\x00' + struct.pack('<H', len(header)) + header + b'\0' * 120


def zip_bomb(good):
    "The good members, plus a deflated member of 1 GiB of zeros, which compresses to about 1 MiB."
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, 'w', compresslevel=1) as z:
        for name, content in good.items():
            if name == 'layer/W.npy':   # the array the manifest names, in a 1 GiB member
                info = zipfile.ZipInfo(name)
                info.compress_type = zipfile.ZIP_DEFLATED
                with z.open(info, 'w', force_zip64=True) as member:
                    chunk = content + b'\0' * ((1 << 20) - len(content))
                    member.write(chunk)
                    zeros = b'\0' * (1 << 20)
                    for _ in range(1023): member.write(zeros)
            else: z.writestr(name, content)
    return buffer.getvalue()


def declared_size(data, name, size):
    "The archive with the central directory's sizes of member `name` changed to `size` (CRC and all else intact)."
    out = bytearray(data)
    at = data.find(b'PK\x01\x02')   # the first central directory entry
    while at != -1:
        name_length = struct.unpack('<H', data[at + 28:at + 30])[0]
        if data[at + 46:at + 46 + name_length] == name.encode():
            out[at + 20:at + 28] = struct.pack('<II', min(size, 2**32 - 1), min(size, 2**32 - 1))
        at = data.find(b'PK\x01\x02', at + 4)
    return bytes(out)


def encrypted_flag(data, name):
    "The archive with member `name` flagged as encrypted in the central directory."
    out = bytearray(data)
    at = data.find(b'PK\x01\x02')
    while at != -1:
        name_length = struct.unpack('<H', data[at + 28:at + 30])[0]
        if data[at + 46:at + 46 + name_length] == name.encode(): out[at + 8] |= 0x1
        at = data.find(b'PK\x01\x02', at + 4)
    return bytes(out)


def test_crafted_archives(setup):
    outcomes = {}
    for label, data in crafted_cases(setup['data']).items():
        outcomes[label] = restore_case(setup, data, 'crafted', label)
    restored = {label for label, outcome in outcomes.items() if outcome == 'restored'}
    # the same values in another byte order or memory layout are the same checkpoint; everything else is refused
    assert restored == {'an .npy in Fortran order, same values', 'an .npy big-endian, same values'}, outcomes


def test_refused_file_left_alone_and_good_file_still_restores(setup):
    "After all the damage, the good checkpoint restores exactly."
    assert restore_case(setup, setup['data'], 'good', 'the good checkpoint') == 'restored'
    arrays = read_checkpoint(os.path.join(setup['work'], 'case.npz'))
    assert {k: _digest(v) for k, v in arrays.items()} == {k: _digest(np.asarray(v)) for k, v in SAVED.items()}


def test_zz_cases_tried():
    "How many cases each kind ran (shown by pytest -s; checks that every kind ran)."
    print('\ncheckpoint fuzz cases:', TRIED, 'total', sum(TRIED.values()))
    assert set(TRIED) >= {'bit flips', 'bytes changed', 'truncations', 'crafted'}
