"""How much of TensorFlow 1's public API deepscratch offers, counted from TensorFlow's own listing.

Run by hand with a Python that has TensorFlow (never by the tests):

    TF_PYTHON=/path/to/venv-with-tensorflow/bin/python python tools/tf1_coverage.py

It asks that Python for the public names of tf.compat.v1 and of its modules nn, train, layers and losses, then
looks each one up in deepscratch (a name that is not offered raises AttributeError, so `hasattr` is False)."""
import json, os, subprocess, sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
import deepscratch as tf

NAMESPACES = ['', 'nn', 'train', 'layers', 'losses']
LIST = """
import json, os
os.environ.setdefault('TF_CPP_MIN_LOG_LEVEL', '3'); os.environ.setdefault('TF_USE_LEGACY_KERAS', '1')
import tensorflow.compat.v1 as v1
out = {}
for ns in %r:
    module = v1
    for part in filter(None, ns.split('.')): module = getattr(module, part)
    out[ns] = sorted(n for n in dir(module) if not n.startswith('_'))
print(json.dumps(out))
""" % NAMESPACES


def offered(namespace, name):
    module = tf
    for part in filter(None, namespace.split('.')):
        module = getattr(module, part, None)
        if module is None: return False
    return hasattr(module, name)


def main():
    python = os.environ.get('TF_PYTHON') or sys.exit('set TF_PYTHON to a Python that has tensorflow installed')
    listing = json.loads(subprocess.run([python, '-c', LIST], capture_output=True, text=True, check=True).stdout.splitlines()[-1])
    total = have = 0
    for namespace, names in listing.items():
        got = [n for n in names if offered(namespace, n)]
        total, have = total + len(names), have + len(got)
        print(f"tf.{namespace or '(top level)':<12} {len(got):4d} of {len(names):4d} ({100 * len(got) / len(names):5.1f}%)")
    print(f"{'all':<15} {have:4d} of {total:4d} ({100 * have / total:5.1f}%)")


if __name__ == '__main__': main()
