"""A probe of the public API with wrong arguments: the seed of issue 15's API fuzz test (run by hand, not by make test).

For every public function and class of tf, tf.nn, tf.train, tf.layers, tf.losses and tf.strings, each of its first
three parameters is given each of 10 bad values (None, a string, a float, -1, [], a ragged list, NaN, an object, 10**30,
a dict), the other required parameters a 2x2 float constant; an outcome is bad when it escapes as an exception other
than TypeError/ValueError/a deepscratch error, or as one of those whose message is Python's or numpy's own words.
Prints the count of calls and, per function, its bad outcomes with one example.

    .venv/bin/python tools/api_probe.py
"""
import inspect, re, collections, warnings, signal
import numpy as np
import deepscratch as tf
warnings.simplefilter('ignore')
BAD = {'None': None, 'str': 'abc', 'float': 3.7, 'neg': -1, 'empty': [], 'ragged': [[1], [1, 2]], 'nan': float('nan'),
       'obj': object(), 'huge': 10**30, 'dict': {'a': 1}}
OK_EXC = (TypeError, ValueError, tf.errors.OpError, NotImplementedError)
spaces = {'tf': tf, 'tf.nn': tf.nn, 'tf.train': tf.train, 'tf.layers': tf.layers, 'tf.losses': tf.losses, 'tf.strings': tf.strings}
bad = collections.Counter(); examples = {}
def handler(*a): raise TimeoutError
signal.signal(signal.SIGALRM, handler)
n = 0
for sp, mod in spaces.items():
    names = getattr(mod, '__all__', None) or [k for k in dir(mod) if not k.startswith('_')]
    for name in names:
        f = getattr(mod, name, None)
        if not callable(f) or inspect.isclass(f) and issubclass(f, BaseException) or inspect.ismodule(f): continue
        if name in ('app', 'run', 'Print', 'InteractiveSession'): continue
        try: sig = inspect.signature(f)
        except (TypeError, ValueError): continue
        params = [p for p in sig.parameters.values() if p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY) and p.name not in ('self', 'name')]
        for p in params[:3]:
            for label, value in BAD.items():
                with tf.Graph().as_default():
                    kwargs = {}
                    # plausible defaults for the other required params
                    for q in params:
                        if q is p: kwargs[q.name] = value
                        elif q.default is inspect.Parameter.empty: kwargs[q.name] = tf.constant([[1.0, 2.0], [3.0, 4.0]])
                    n += 1
                    signal.alarm(2)
                    try: f(**kwargs)
                    except OK_EXC as e:
                        msg = str(e)
                        if re.search(r"object has no attribute|not subscriptable|unsupported operand|is not iterable|object is not callable|takes \d+ positional|got an unexpected keyword|could not convert string|must be real number|invalid literal", msg):
                            bad[(sp, name)] += 1; examples.setdefault((sp, name), f'{p.name}={label}: {type(e).__name__}: {msg[:120]}')
                    except TimeoutError: bad[(sp,name)] += 1; examples.setdefault((sp, name), f'{p.name}={label}: TIMEOUT')
                    except Exception as e:
                        bad[(sp, name)] += 1; examples.setdefault((sp, name), f'{p.name}={label}: {type(e).__name__}: {str(e)[:120]}')
                    finally: signal.alarm(0)
print(n, 'calls;', len(bad), 'functions with bad outcomes;', sum(bad.values()), 'bad outcomes')
for k, v in sorted(bad.items()): print(k, v, examples[k])
