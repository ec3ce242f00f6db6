"""The tutorial's whole run, as the post wrote it (Keras 3 needs `learning_rate=` for its `lr=`): the yardstick that
lesson times are quoted against as ratios, since machines differ up to 4x in speed. `benchmarks/lessons.py` times it
in the same run as the lessons.

    .venv/bin/python benchmarks/tutorial_run.py            # uses data/mnist.npz

Prints the fit's seconds and the test accuracy; the process's wall time is the figure to compare.
"""
import os
import sys
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "1")  # the lessons' numeric path (rnn_helpers/__init__.py)
import numpy as np  # noqa: E402
from tensorflow import keras  # noqa: E402

path = sys.argv[1] if len(sys.argv) > 1 else "data/mnist.npz"
with np.load(path, allow_pickle=False) as f:
    (x_train, y_train), (x_test, y_test) = (f["x_train"], f["y_train"]), (f["x_test"], f["y_test"])
x_train, x_test = x_train / 255.0, x_test / 255.0
y_train, y_test = keras.utils.to_categorical(y_train, 10), keras.utils.to_categorical(y_test, 10)

time_steps, input_size, cell_size = 28, 28, int(os.environ.get("CELL", 10))
model = keras.Sequential([keras.Input((time_steps, input_size)),
                          keras.layers.SimpleRNN(units=cell_size),
                          keras.layers.Dense(10, activation="softmax")])
model.compile(optimizer=keras.optimizers.Adam(learning_rate=1e-4), loss="categorical_crossentropy", metrics=["accuracy"])
start = time.time()
model.fit(x_train, y_train, batch_size=64, epochs=3, verbose=0)
print(f"fit seconds {time.time() - start:.1f}")
print(f"test accuracy {model.evaluate(x_test, y_test, verbose=0)[1]:.4f}")
