"""deepscratch: deep learning from first principles, with a TensorFlow 1.x graph API."""
__version__ = "0.1.0"
