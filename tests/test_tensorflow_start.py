"""A lesson's set-up loads TensorFlow without the oneDNN banner it writes to file descriptor 2 as it loads."""

import os
import subprocess
import sys
import textwrap

from rnn_helpers.data import PROJECT_ROOT

BANNER = ("WARNING: All log messages before absl::InitializeLog() is called are written to STDERR\n"
          "I0000 00:00:1796390246.117791   10545 port.cc:153] oneDNN custom operations are on. You may see slightly "
          "different numerical results due to floating-point round-off errors from different computation orders. To turn "
          "them off, set the environment variable `TF_ENABLE_ONEDNN_OPTS=0`.\n")


def run_python(code: str, **env) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", textwrap.dedent(code)], capture_output=True, text=True,
                          cwd=PROJECT_ROOT, env={**os.environ, **env}, check=True)


def test_the_banner_is_dropped_and_every_other_line_written_back(tmp_path):
    # a stand-in "tensorflow" that writes the banner, twice as TensorFlow's two libraries do, and two other lines
    (tmp_path / "tensorflow.py").write_text(
        f"import os\nos.write(2, {BANNER.encode()!r})\nos.write(2, b'W0000 a real warning\\n')\n"
        f"os.write(2, {BANNER.encode()!r})\nos.write(2, b'last line, no newline')\n")
    done = run_python("""
        from rnn_helpers.tensorflow_start import load_tensorflow
        load_tensorflow()
        import sys
        print("loaded", "tensorflow" in sys.modules)
        """, PYTHONPATH=str(tmp_path))
    assert done.stdout == "loaded True\n"
    assert done.stderr == "W0000 a real warning\nlast line, no newline"


def test_what_a_failed_import_wrote_is_kept(tmp_path):
    # TensorFlow that cannot load says why on file descriptor 2 before it raises: the student must still see it
    (tmp_path / "tensorflow.py").write_text(
        f"import os\nos.write(2, {BANNER.encode()!r})\nos.write(2, b'E0000 libtensorflow.so: cannot open shared object\\n')\n"
        "raise ImportError('no TensorFlow here')\n")
    done = run_python("""
        from rnn_helpers.tensorflow_start import load_tensorflow
        try:
            load_tensorflow()
        except ImportError as error:
            print("raised:", error)
        """, PYTHONPATH=str(tmp_path))
    assert done.stdout == "raised: no TensorFlow here\n"
    assert done.stderr == "E0000 libtensorflow.so: cannot open shared object\n"
