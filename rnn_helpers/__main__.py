"""`python -m rnn_helpers ...`: the command line lives in the build wing, rnn_build.cli."""
from rnn_build.cli import main

if __name__ == "__main__":
    raise SystemExit(main())
