"""Set for every pytest run, whatever paths it is given (tests/, notebooks/).

nbval and papermill kernels inherit this process's environment, so it is set
before any kernel starts: the stored outputs were made with the same values.
The numeric path (TF_ENABLE_ONEDNN_OPTS) keeps a value already set, which is
how `make test-second-path` runs the notebooks with oneDNN off.
"""

from rnn_build import kernel

kernel.kernel_environment()

# The Chinese edition's code cells and outputs are the English ones (tests/test_translations.py checks it),
# so nbval tests them once, in the English notebooks.
collect_ignore = ["notebooks/zh-CN"]
